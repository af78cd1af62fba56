/**
 * The check after a copy: both stores read back through the seam and
 * summarised the same way (counts, and sha256 over every read as JSON text, key
 * order included), then compared line by line. Releases are hashed from their
 * bytes and compared with their manifests' sha256 too. Nothing is written to
 * either store (no release is cut to check).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../types';
import type { DatasetRecord } from '../../../model/dataset';
import { documentsOf, liveSessions, setsOf } from './copy';
import { counter, type Log } from './progress';
import { plural } from '../../../text/plural';

/** One thing compared: a count and the hash of its reads, or what a release's bytes hash to. */
export interface Measure {
	/** shown in the table: a count, a sha256, a size */
	shown: string;
	/** compared: equal means the same reads */
	digest: string;
	/** a problem of this side alone (a release whose bytes are not its manifest's) */
	problem?: string;
}

/** what → measure, in the order the table lists them */
export type Fingerprint = Map<string, Measure>;

class Hasher {
	private readonly hash = createHash('sha256');
	add(value: unknown): void {
		this.hash.update(JSON.stringify(value) ?? 'undefined');
		this.hash.update('\n');
	}
	digest(): string {
		return this.hash.digest('hex');
	}
}

const short = (hex: string) => hex.slice(0, 12);

function measured(count: number, hasher: Hasher, noun: string, many?: string): Measure {
	const digest = hasher.digest();
	return { shown: `${plural(count, noun, many)} (${short(digest)})`, digest: `${count}:${digest}` };
}

function of(values: unknown[], noun: string, many?: string): Measure {
	const h = new Hasher();
	for (const v of values) h.add(v);
	return measured(values.length, h, noun, many);
}

/** Keys sorted at every level: for what two stores may order differently and mean the same by. */
function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortedKeys(v)]));
}

/**
 * A dataset record as compared: a record from before versions has none and reads as
 * version 0 (DatasetRecord.version); a database keeps the 0 in its column, in its
 * place, so the record is compared with the version filled in and its keys sorted.
 */
function comparableRecord(record: DatasetRecord): unknown {
	return sortedKeys({ ...record, version: record.version ?? 0 });
}

const byKey = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Everything `store` keeps, summarised; streams documents and sets (memory flat in the corpus). */
export async function fingerprint(store: Store, log: Log, side: string): Promise<Fingerprint> {
	const print: Fingerprint = new Map();
	print.set('users', of(await store.users.list(), 'user'));
	print.set('API tokens', of(await store.tokens.list(), 'token'));
	print.set('sessions', of(await liveSessions(store), 'session'));
	const datasets = await store.datasets.list();
	print.set('datasets', of(datasets.map((d) => d.slug), 'dataset'));

	for (const record of datasets) {
		const slug = record.slug;
		print.set(`${slug}: record`, of([comparableRecord(record)], 'record'));

		const headers = await store.documents.headers(slug);
		const docs = new Hasher();
		docs.add(headers);
		const read = counter(log, `checking ${side}: ${slug}: documents read`, headers.length);
		let count = 0;
		for await (const doc of documentsOf(store, slug, () => read.tick())) {
			docs.add(doc);
			count++;
		}
		read.done();
		print.set(`${slug}: documents`, measured(count, docs, 'document'));

		const states = new Hasher();
		const histories = new Hasher();
		let sets = 0;
		let revisions = 0;
		const walked = counter(log, `checking ${side}: ${slug}: documents with their annotation sets read`, headers.length);
		for await (const work of store.sets.iterateWork(slug)) {
			walked.tick();
			for await (const state of setsOf(store, slug, work)) {
				const key = { slug, docId: work.document.id, annotator: state.annotator };
				states.add([key.docId, state]);
				for (const revision of await store.sets.revisions(key)) {
					histories.add([key.docId, key.annotator, revision]);
					revisions++;
				}
				sets++;
			}
		}
		walked.done();
		states.add(byKey([...(await store.sets.summaries(slug))].map(([doc, perDoc]) => [doc, byKey(perDoc)] as [string, unknown])));
		print.set(`${slug}: annotation sets`, measured(sets, states, 'set'));
		print.set(`${slug}: revisions`, measured(revisions, histories, 'revision'));

		const gazetteer = await store.gazetteers.read(slug);
		print.set(`${slug}: gazetteer`, gazetteer ? of(gazetteer.gazetteer.entries, 'entry', 'entries') : { shown: 'none', digest: 'none' });
		if (gazetteer) print.set(`${slug}: gazetteer upload`, of([{ ...gazetteer.gazetteer, entries: undefined }], 'record'));

		for (const manifest of (await store.runs.list(slug)).sort((a, b) => (a.run < b.run ? -1 : 1))) {
			const h = new Hasher();
			h.add(manifest);
			let lines = 0;
			for await (const line of store.transfer.runLines(slug, manifest.run)) {
				h.add(line);
				lines++;
			}
			print.set(`${slug}: run ${manifest.run}`, measured(lines, h, 'line'));
		}

		for (const version of await store.releases.versions(slug)) {
			const manifest = await store.releases.manifest(slug, version);
			const bytes = createHash('sha256');
			let size = 0;
			const { body } = await store.releases.bytes(slug, version);
			for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
				bytes.update(chunk);
				size += chunk.byteLength;
			}
			const sha = bytes.digest('hex');
			const m = new Hasher();
			m.add(manifest);
			print.set(`${slug}: release ${manifest.name}`, {
				shown: `sha256 ${short(sha)}…, ${size} bytes`,
				digest: `${sha}:${size}:${m.digest()}`,
				...(sha !== manifest.sha256 ? { problem: `its bytes hash to ${sha}, its manifest says ${manifest.sha256}` } : {})
			});
		}
	}
	return print;
}

export interface Row {
	what: string;
	source: string;
	target: string;
	ok: boolean;
	problem?: string;
}

/** Every line of either fingerprint, in the source's order (then what only the target has). */
export function compare(source: Fingerprint, target: Fingerprint): Row[] {
	const rows: Row[] = [];
	const names = [...source.keys(), ...[...target.keys()].filter((k) => !source.has(k))];
	for (const what of names) {
		const a = source.get(what);
		const b = target.get(what);
		const problem = a?.problem ?? b?.problem;
		rows.push({
			what,
			source: a?.shown ?? '—',
			target: b?.shown ?? '—',
			ok: a !== undefined && b !== undefined && a.digest === b.digest && !problem,
			...(problem ? { problem } : {})
		});
	}
	return rows;
}

/** The table the tool prints: one line per row, `ok` or `MISMATCH`. */
export function formatTable(rows: Row[]): string {
	const head = { what: 'what', source: 'source', target: 'target' };
	const width = (key: 'what' | 'source' | 'target') => Math.max(head[key].length, ...rows.map((r) => r[key].length));
	const [w, s, t] = [width('what'), width('source'), width('target')];
	const line = (r: { what: string; source: string; target: string }, verdict: string) =>
		`${r.what.padEnd(w)}  ${r.source.padEnd(s)}  ${r.target.padEnd(t)}  ${verdict}`.trimEnd();
	return [line(head, ''), ...rows.map((r) => line(r, r.ok ? 'ok' : `MISMATCH${r.problem ? ` (${r.problem})` : ''}`))].join('\n');
}
