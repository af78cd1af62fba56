/**
 * How a dataset index's snapshot (datasetIndex.ts) lays out its rows (layout 3):
 * after the header line, each line holds up to ROWS_PER_LINE documents (or sets
 * of documents the index does not list), as one JSON object of columns:
 *
 *   {"labelSets":[["claim","date"],…],
 *    "docs":{"id":[…],"title":[…],"sha256":[…],"position":[…],"length":[…],"meta":[…],"sets":[3,…]},
 *    "sets":{"annotator":[…],"status":[…],"revision":[…],"spans":[…],"updated_at":[…],"active_seconds":[…],"labelSet":[…],"keys":[…],"flag":{"7":"not_news"}}}
 *   {"labelSets":[…],"orphans":{"id":[…],"sets":[…]},"sets":{…}}
 *
 * A document's sets follow the previous document's in `sets` (`docs.sets` says how many); `flag` lists only
 * the sets that have one, by their index in `sets`.
 *
 * Why: opening a dataset after a restart is parsing this file (and, on PostgreSQL, the
 * same lines from the database: ../postgres/listCache.ts), and at 100,000 documents ×
 * 3 sets the cost was the number of values made, not the bytes. Columns make a line
 * of 1,000 documents ~20 arrays instead of ~5,000 (layout 2: an array a document, a
 * set and a document's sets; 100,000 × 3 opened in 480–530 ms against 590–620 ms
 * here); a line of many rows is one JSON.parse; the distinct label sets of a line are
 * listed once and shared (frozen) by the summaries that have them; the text is ASCII
 * (every other character escaped), so it is read as latin1, a copy, instead of
 * decoded from UTF-8. Layout 2 (an array a row) is still read here, layout 1 (a
 * JSON object per document and line) by datasetIndex.ts.
 */
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';
import type { DocumentMeta } from './datasetIndex';

export const SNAPSHOT_LAYOUT = 3;
/** the layouts readSnapshotLine reads */
export const LINE_LAYOUTS: readonly number[] = [2, 3];
/** Documents a line holds (one JSON.parse, one turn of the event loop: a few milliseconds). */
export const ROWS_PER_LINE = 1_000;

/** One row of the snapshot, as the index takes it (DatasetIndex.loadRow). */
export type LoadRow = (docId: string, header: DocumentHeader | undefined, meta: DocumentMeta | undefined, summaries: SetSummary[]) => void;

/** Every character outside ASCII as a JSON escape (the same value for JSON.parse). */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface SetColumns {
	annotator: string[];
	status: SetSummary['status'][];
	revision: number[];
	spans: number[];
	updated_at: (string | null)[];
	active_seconds: number[];
	labelSet: number[];
	keys: string[];
	/** set index (in these columns) → its flag */
	flag: Record<string, SetSummary['flag']>;
}
interface DocColumns {
	id: string[];
	title: string[];
	sha256: string[];
	position: number[];
	length: number[];
	meta: DocumentMeta[];
	sets: number[];
}
interface OrphanColumns {
	id: string[];
	sets: number[];
}

const setColumns = (): SetColumns => ({ annotator: [], status: [], revision: [], spans: [], updated_at: [], active_seconds: [], labelSet: [], keys: [], flag: {} });
const docColumns = (): DocColumns => ({ id: [], title: [], sha256: [], position: [], length: [], meta: [], sets: [] });

/** Rows gathered into a line: add them, then `take` the line's text. */
export class SnapshotLine {
	private labelSets: string[][] = [];
	private labelSetIndex = new Map<string, number>();
	private docs = docColumns();
	private orphans: OrphanColumns = { id: [], sets: [] };
	private sets = setColumns();

	get rows(): number {
		return this.docs.id.length + this.orphans.id.length;
	}

	addDocument(header: DocumentHeader, meta: DocumentMeta, summaries: readonly SetSummary[]): void {
		const d = this.docs;
		d.id.push(header.id);
		d.title.push(header.title);
		d.sha256.push(header.sha256);
		d.position.push(header.position);
		d.length.push(header.length);
		d.meta.push(meta);
		d.sets.push(summaries.length);
		for (const summary of summaries) this.addSet(summary);
	}

	/** sets of a document the index does not list (a folder left by hand): kept, as the files are */
	addOrphan(docId: string, summaries: readonly SetSummary[]): void {
		this.orphans.id.push(docId);
		this.orphans.sets.push(summaries.length);
		for (const summary of summaries) this.addSet(summary);
	}

	/** The line (without its newline); the next rows start a new one. Documents and orphans go in separate lines. */
	take(): string {
		const rows = this.orphans.id.length ? { orphans: this.orphans } : { docs: this.docs };
		const line = asciiJson({ labelSets: this.labelSets, ...rows, sets: this.sets });
		this.labelSets = [];
		this.labelSetIndex.clear();
		this.docs = docColumns();
		this.orphans = { id: [], sets: [] };
		this.sets = setColumns();
		return line;
	}

	private addSet(s: SetSummary): void {
		const key = JSON.stringify(s.labels);
		let labelSet = this.labelSetIndex.get(key);
		if (labelSet === undefined) {
			labelSet = this.labelSets.push(s.labels) - 1;
			this.labelSetIndex.set(key, labelSet);
		}
		const c = this.sets;
		if (s.flag !== undefined) c.flag[c.annotator.length] = s.flag;
		c.annotator.push(s.annotator);
		c.status.push(s.status);
		c.revision.push(s.revision);
		c.spans.push(s.spans);
		c.updated_at.push(s.updated_at);
		c.active_seconds.push(s.active_seconds);
		c.labelSet.push(labelSet);
		c.keys.push(s.keys);
	}
}

/**
 * A line's rows into `load`, of either layout (3, or 2 as written before: see LINE_LAYOUTS). A summary
 * comes out as `summarise` makes it, fields in the same order (the index compares summaries by their JSON).
 * @throws on a line of another shape (the caller rebuilds the index from the files)
 */
export function readSnapshotLine(line: Record<string, unknown>, load: LoadRow): void {
	const labelSets = line.labelSets as string[][];
	if (!Array.isArray(labelSets)) throw new Error('snapshot line without label sets');
	for (const labels of labelSets) Object.freeze(labels);
	const labelsOf = (index: number): string[] => {
		const labels = labelSets[index];
		if (labels === undefined) throw new Error('snapshot summary of an unknown label set');
		return labels;
	};
	if (Array.isArray(line.docs) || Array.isArray(line.orphans)) return readRowLine(line, labelsOf, load);
	const sets = line.sets as SetColumns | undefined;
	if (!sets || !Array.isArray(sets.annotator)) throw new Error('snapshot line without rows');
	let next = 0;
	const summaries = (count: number): SetSummary[] => {
		const out: SetSummary[] = [];
		for (const end = next + count; next < end; next++) {
			const i = next;
			if (i >= sets.annotator.length) throw new Error('snapshot line with fewer sets than its documents have');
			const flag = sets.flag[i];
			out.push(
				flag !== undefined
					? { annotator: sets.annotator[i], status: sets.status[i], revision: sets.revision[i], spans: sets.spans[i], updated_at: sets.updated_at[i], active_seconds: sets.active_seconds[i], flag, labels: labelsOf(sets.labelSet[i]), keys: sets.keys[i] }
					: { annotator: sets.annotator[i], status: sets.status[i], revision: sets.revision[i], spans: sets.spans[i], updated_at: sets.updated_at[i], active_seconds: sets.active_seconds[i], labels: labelsOf(sets.labelSet[i]), keys: sets.keys[i] }
			);
		}
		return out;
	};
	const docs = line.docs as DocColumns | undefined;
	const orphans = line.orphans as OrphanColumns | undefined;
	if (docs && Array.isArray(docs.id)) {
		for (let i = 0; i < docs.id.length; i++) {
			const id = docs.id[i];
			load(id, { id, title: docs.title[i], sha256: docs.sha256[i], position: docs.position[i], length: docs.length[i] }, docs.meta[i], summaries(docs.sets[i]));
		}
	} else if (orphans && Array.isArray(orphans.id)) {
		for (let i = 0; i < orphans.id.length; i++) load(orphans.id[i], undefined, undefined, summaries(orphans.sets[i]));
	} else {
		throw new Error('snapshot line without rows');
	}
	if (next !== sets.annotator.length) throw new Error('snapshot line with more sets than its documents have');
}

/** layout 2: [docId, title, sha256, position, length, meta, [summary, …]] a document, [docId, [summary, …]] an orphan */
type SummaryRow = [string, SetSummary['status'], number, number, string | null, number, number, string, SetSummary['flag']?];
type DocRow = [string, string, string, number, number, DocumentMeta, SummaryRow[]];
type OrphanRow = [string, SummaryRow[]];

function readRowLine(line: Record<string, unknown>, labelsOf: (index: number) => string[], load: LoadRow): void {
	const summaries = (rows: SummaryRow[]): SetSummary[] =>
		rows.map((r) =>
			r.length > 8
				? { annotator: r[0], status: r[1], revision: r[2], spans: r[3], updated_at: r[4], active_seconds: r[5], flag: r[8], labels: labelsOf(r[6]), keys: r[7] }
				: { annotator: r[0], status: r[1], revision: r[2], spans: r[3], updated_at: r[4], active_seconds: r[5], labels: labelsOf(r[6]), keys: r[7] }
		);
	if (Array.isArray(line.docs)) {
		for (const d of line.docs as DocRow[]) load(d[0], { id: d[0], title: d[1], sha256: d[2], position: d[3], length: d[4] }, d[5], summaries(d[6]));
	} else {
		for (const o of line.orphans as OrphanRow[]) load(o[0], undefined, undefined, summaries(o[1]));
	}
}
