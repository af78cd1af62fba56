/**
 * Child process: writes the bench data folder with the store's own functions
 * (createUser, createDataset, addDocuments, saveSet), so the files are exactly
 * what the server writes. Run with SPANLAB_DATA set (bench/run.ts points it at
 * a tmpfs folder and copies the result to disk: the durable writes' fsyncs
 * would otherwise make 50,000 files take minutes).
 *
 *   node --import tsx bench/generate.ts '<plan JSON>'
 * Prints one JSON line: what was written and how long it took.
 */
import { createUser } from '../src/lib/server/auth/auth';
import { createDataset, addDocuments, updateDataset, type NewDocument } from '../src/lib/server/store';
import { saveSet } from '../src/lib/server/annotate/saveSet';
import { makeArticle, makeSpans, LABELS } from './corpus';
import type { Role } from '../src/lib/model/types';

export interface GeneratePlan {
	password: string;
	users: Array<{ username: string; role: Role }>;
	/** datasets `save-<n>` of n articles (figure 1) */
	saveSizes: number[];
	articleChars: number;
	/** dataset `long`: one article with one annotator's spans (figures 2, 3) */
	long: { chars: number; spans: number; annotator: string };
	/** dataset `corpus`: documents × annotators × spans, status done (figures 5, 6) */
	corpus: { docs: number; annotators: string[]; spans: number };
}

const plan = JSON.parse(process.argv[2]) as GeneratePlan;
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const t0 = performance.now();
	const result = await fn();
	timings[name] = Math.round(performance.now() - t0);
	return result;
}

function* articles(count: number, chars: number, prefix: string): Generator<NewDocument> {
	for (let n = 0; n < count; n++) {
		const a = makeArticle(n, chars, prefix);
		yield { id: a.id, title: a.title, text: a.text, meta: { source: 'bench', n }, sha256: a.sha256 };
	}
}

async function dataset(slug: string, members: Record<string, Role>): Promise<void> {
	await createDataset({ slug, title: slug, createdBy: 'lead' });
	await updateDataset(slug, (d) => {
		d.members = members;
	});
}

await timed('users', () =>
	Promise.all(plan.users.map((u) => createUser({ username: u.username, password: plan.password, role: u.role })))
);

for (const size of plan.saveSizes) {
	const slug = `save-${size}`;
	await dataset(slug, { ann1: 'annotator' });
	await timed(slug, () => addDocuments(slug, articles(size, plan.articleChars, 'doc')));
}

await timed('long', async () => {
	const { chars, spans, annotator } = plan.long;
	await dataset('long', { [annotator]: 'annotator' });
	const article = makeArticle(1, chars, 'long');
	await addDocuments('long', [{ id: article.id, title: article.title, text: article.text, meta: {}, sha256: article.sha256 }]);
	await saveSet('long', article, annotator, annotator, LABELS, {
		baseRevision: 0,
		spans: makeSpans(article, spans, 42, { overlapShare: 0.15 })
	});
});

const { docs, annotators, spans } = plan.corpus;
await dataset('corpus', Object.fromEntries(annotators.map((a) => [a, 'annotator' as Role])));
await timed('corpus-documents', () => addDocuments('corpus', articles(docs, plan.articleChars, 'doc')));
await timed('corpus-sets', async () => {
	for (let n = 0; n < docs; n++) {
		const article = makeArticle(n, plan.articleChars, 'doc');
		for (let k = 0; k < annotators.length; k++) {
			// same positions and labels for everyone, with a share shifted by a word: realistic, imperfect agreement
			const input = makeSpans(article, spans, n, { jitter: k === 0 ? 0 : 0.15 * k, labelSeed: n + 1 });
			await saveSet('corpus', article, annotators[k], annotators[k], LABELS, { baseRevision: 0, spans: input, status: 'done' });
		}
	}
});

console.log(JSON.stringify({ timings }));
