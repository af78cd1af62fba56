/**
 * How a dataset index's snapshot (datasetIndex.ts) lays out its rows (layout 2):
 * after the header line, each line holds up to ROWS_PER_LINE documents (or sets
 * of documents the index does not list), as one JSON object:
 *
 *   {"labelSets":[["claim","date"],…],"docs":[[id,title,sha256,position,length,meta,[summary,…]],…]}
 *   {"labelSets":[…],"orphans":[[docId,[summary,…]],…]}
 *   summary: [annotator,status,revision,spans,updated_at,active_seconds,labelSet,keys] (+ flag when flagged)
 *
 * Why: opening a dataset after a restart is parsing this file, and at 100,000
 * documents × 3 sets the cost was the number of values made (a key per field,
 * a line per document, a labels array per set), not the bytes. Arrays carry no
 * field names; a line of many rows is one JSON.parse; the distinct label sets of
 * a line are listed once and shared (frozen) by the summaries that have them; the
 * text is ASCII (every other character escaped), so it is read as latin1, a copy,
 * instead of decoded from UTF-8. (Layout 1, a JSON object per document and line,
 * is still read: datasetIndex.ts.)
 */
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';
import type { DocumentMeta } from './datasetIndex';

export const SNAPSHOT_LAYOUT = 2;
/** Documents a line holds (one JSON.parse, one turn of the event loop: a few milliseconds). */
export const ROWS_PER_LINE = 1_000;

type SummaryRow = [string, SetSummary['status'], number, number, string | null, number, number, string, SetSummary['flag']?];
type DocRow = [string, string, string, number, number, DocumentMeta, SummaryRow[]];
type OrphanRow = [string, SummaryRow[]];

/** One row of the snapshot, as the index takes it (DatasetIndex.loadRow). */
export type LoadRow = (docId: string, header: DocumentHeader | undefined, meta: DocumentMeta | undefined, summaries: SetSummary[]) => void;

/** Every character outside ASCII as a JSON escape (the same value for JSON.parse). */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Rows gathered into a line: add them, then `take` the line's text. */
export class SnapshotLine {
	private labelSets: string[][] = [];
	private labelSetIndex = new Map<string, number>();
	private docs: DocRow[] = [];
	private orphans: OrphanRow[] = [];

	get rows(): number {
		return this.docs.length + this.orphans.length;
	}

	addDocument(header: DocumentHeader, meta: DocumentMeta, summaries: readonly SetSummary[]): void {
		this.docs.push([header.id, header.title, header.sha256, header.position, header.length, meta, summaries.map((s) => this.summaryRow(s))]);
	}

	/** sets of a document the index does not list (a folder left by hand): kept, as the files are */
	addOrphan(docId: string, summaries: readonly SetSummary[]): void {
		this.orphans.push([docId, summaries.map((s) => this.summaryRow(s))]);
	}

	/** The line (without its newline); the next rows start a new one. Documents and orphans go in separate lines. */
	take(): string {
		const line = asciiJson(this.orphans.length ? { labelSets: this.labelSets, orphans: this.orphans } : { labelSets: this.labelSets, docs: this.docs });
		this.labelSets = [];
		this.labelSetIndex.clear();
		this.docs = [];
		this.orphans = [];
		return line;
	}

	private summaryRow(s: SetSummary): SummaryRow {
		const key = JSON.stringify(s.labels);
		let labelSet = this.labelSetIndex.get(key);
		if (labelSet === undefined) {
			labelSet = this.labelSets.push(s.labels) - 1;
			this.labelSetIndex.set(key, labelSet);
		}
		const row: SummaryRow = [s.annotator, s.status, s.revision, s.spans, s.updated_at, s.active_seconds, labelSet, s.keys];
		if (s.flag !== undefined) row.push(s.flag);
		return row;
	}
}

/**
 * A line's rows into `load`. A summary comes out as `summarise` makes it, fields in
 * the same order (the index compares summaries by their JSON).
 * @throws on a line of another shape (the caller rebuilds the index from the files)
 */
export function readSnapshotLine(line: Record<string, unknown>, load: LoadRow): void {
	const labelSets = line.labelSets as string[][];
	if (!Array.isArray(labelSets)) throw new Error('snapshot line without label sets');
	for (const labels of labelSets) Object.freeze(labels);
	const summaries = (rows: SummaryRow[]): SetSummary[] => {
		const out: SetSummary[] = [];
		for (const r of rows) {
			const labels = labelSets[r[6]];
			if (labels === undefined) throw new Error('snapshot summary of an unknown label set');
			out.push(
				r.length > 8
					? { annotator: r[0], status: r[1], revision: r[2], spans: r[3], updated_at: r[4], active_seconds: r[5], flag: r[8], labels, keys: r[7] }
					: { annotator: r[0], status: r[1], revision: r[2], spans: r[3], updated_at: r[4], active_seconds: r[5], labels, keys: r[7] }
			);
		}
		return out;
	};
	if (Array.isArray(line.docs)) {
		for (const d of line.docs as DocRow[]) load(d[0], { id: d[0], title: d[1], sha256: d[2], position: d[3], length: d[4] }, d[5], summaries(d[6]));
	} else if (Array.isArray(line.orphans)) {
		for (const o of line.orphans as OrphanRow[]) load(o[0], undefined, undefined, summaries(o[1]));
	} else {
		throw new Error('snapshot line without rows');
	}
}
