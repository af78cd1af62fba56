/**
 * Child process for figure 20 (issue #20, the large dataset): writes a dataset of
 * `docs` articles × `annotators` sets of `spans` spans (status done) straight into
 * the file store's files — the same bytes the store writes (a document's JSON, each
 * set's revision log line from `encodeRevision` and its state file, both computed
 * by the save's own pure rules `prepareSave` and `nextRevision`), without the
 * fsyncs and locks of 400,000 saves — and the dataset's index (datasetIndex.ts),
 * as the store would have kept it. A second, small dataset (`small` documents,
 * same content) is the other end of the save ratio.
 *
 *   SPANLAB_DATA=… node --import tsx bench/large-generate.ts '<plan JSON>'
 * Prints one JSON line: what was written and how long it took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDataset, updateDataset } from '../src/lib/server/store';
import { createUser } from '../src/lib/server/auth/auth';
import { prepareSave } from '../src/lib/server/annotate/saveChecks';
import { nextRevision } from '../src/lib/server/annotate/revision';
import { encodeRevision } from '../src/lib/server/store/file/revisionLog';
import { summarise } from '../src/lib/server/store/file/annotations';
import { DatasetIndex, headerOf, stampOf } from '../src/lib/server/store/file/datasetIndex';
import { annotationFile, annotationsDir, documentFile, documentsDir, revisionLogFile } from '../src/lib/server/store/file/paths';
import { stableJson } from '../src/lib/server/store/file/durable';
import { makeArticle, makeSpans, LABELS } from './corpus';
import type { AnnotationSet, Role } from '../src/lib/model/types';
import type { StoredDocument } from '../src/lib/model/dataset';

export interface LargePlan {
	password: string;
	datasets: Array<{ slug: string; docs: number }>;
	annotators: string[];
	spans: number;
	articleChars: number;
}

const plan = JSON.parse(process.argv[2]) as LargePlan;
const timings: Record<string, number> = {};
const AT = '2026-12-01T12:00:00.000Z';

const empty = (annotator: string): AnnotationSet => ({ annotator, revision: 0, status: 'not_started', spans: [], updated_at: null, updated_by: null, active_seconds: 0 });

let n0 = 0;
const id = () => (n0++).toString(16);

async function generate(slug: string, docs: number): Promise<void> {
	await createDataset({ slug, title: slug, createdBy: 'lead' });
	await updateDataset(slug, (d) => {
		d.members = Object.fromEntries(plan.annotators.map((a) => [a, 'annotator' as Role]));
	});
	const index = new DatasetIndex(slug);
	fs.mkdirSync(documentsDir(slug), { recursive: true });
	for (let n = 0; n < docs; n++) {
		const a = makeArticle(n, plan.articleChars, 'doc');
		const doc: StoredDocument = { id: a.id, title: a.title, text: a.text, meta: { source: 'bench', n, lang: n % 2 ? 'en' : 'fr' }, sha256: a.sha256, created_at: AT, position: n };
		fs.writeFileSync(documentFile(slug, doc.id), stableJson(doc));
		index.apply({ doc: [headerOf(doc), doc.meta] });
		fs.mkdirSync(annotationsDir(slug, doc.id), { recursive: true });
		for (let k = 0; k < plan.annotators.length; k++) {
			const annotator = plan.annotators[k];
			// as bench/generate.ts: same positions for everyone, a share shifted by a word
			const input = makeSpans(a, plan.spans, n, { jitter: k === 0 ? 0 : 0.15 * k, labelSeed: n + 1 });
			const prepared = prepareSave(a, annotator, LABELS, { baseRevision: 0, spans: input, status: 'done' });
			const { set, revision } = nextRevision(empty(annotator), prepared, annotator, AT, id);
			fs.writeFileSync(revisionLogFile(slug, doc.id, annotator), JSON.stringify(encodeRevision(revision!, null)) + '\n');
			fs.writeFileSync(annotationFile(slug, doc.id, annotator), stableJson(set));
			index.apply({ set: [doc.id, summarise(set)] });
		}
	}
	index.docsStamp = await stampOf(documentsDir(slug));
	await index.compact();
	index.close();
}

await createUser({ username: 'lead', password: plan.password, role: 'lead' });
for (const { slug, docs } of plan.datasets) {
	const t0 = performance.now();
	await generate(slug, docs);
	timings[slug] = Math.round(performance.now() - t0);
}
const bytes = (dir: string): number => {
	let total = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) total += e.isDirectory() ? bytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size;
	return total;
};
console.log(JSON.stringify({ timings, indexBytes: bytes(path.dirname(documentsDir(plan.datasets[0].slug)) + '/index') }));
