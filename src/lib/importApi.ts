/**
 * The import API's wire shapes, shared by the server (src/lib/server/importHttp.ts)
 * and the import page, and the reader for its `?progress=1` NDJSON event stream.
 */
import { plural } from './text';

export interface ImportErrorItem {
	/** the file (for zip entries `archive.zip/path/in/archive`); absent for import-wide problems */
	file?: string;
	/** 1-based line for JSONL files */
	line?: number;
	message: string;
}

export interface ImportResult {
	/** set when nothing was imported */
	error?: string;
	imported: number;
	/** documents skipped because their text is already in the dataset */
	duplicates: number;
	errors: ImportErrorItem[];
	labelsAdded: string[];
	unknownLabels: Array<{ label: string; count: number }>;
	preAnnotations: Array<{ source: string; annotator: string; documents: number; spans: number }>;
	/** whose queues the new documents went to (absent when nothing was imported) */
	assignment?: ImportAssignment;
}

/** What an import did about queues. */
export type ImportAssignment =
	/** no assignment: every annotator member sees the new documents */
	| { mode: 'everyone' }
	/** the dataset's standing rule assigned them; `annotators`: new documents per annotator */
	| { mode: 'auto'; documents: number; annotatorsPerDocument: number; share: number; annotators: Record<string, number> }
	/** assigned by hand: the new documents are in nobody's queue; `reason` when a standing rule could not be applied */
	| { mode: 'manual'; unassigned: number; reason?: string };

/**
 * The assignment outcome of an import in words, for the import summary and the
 * command line, as one sentence without its final stop (the page may add a link).
 */
export function describeImportAssignment(a: ImportAssignment): string {
	if (a.mode === 'everyone') return 'Every annotator of the dataset sees the new documents (nothing is assigned by hand yet)';
	if (a.mode === 'auto') {
		const rule =
			a.share >= 100
				? `every document to ${plural(a.annotatorsPerDocument, 'annotator')}`
				: `${a.share} % of the documents to ${plural(a.annotatorsPerDocument, 'annotator')}, the rest to one`;
		const who = Object.entries(a.annotators)
			.filter(([, n]) => n > 0)
			.map(([name, n]) => `${name} ${n}`)
			.join(', ');
		return `Assigned automatically, as the dataset's standing rule says (${rule}): ${plural(a.documents, 'new document')} to ${who || 'nobody'}`;
	}
	const waiting = `the ${plural(a.unassigned, 'new document')} ${a.unassigned === 1 ? 'is' : 'are'} in nobody's queue yet`;
	if (a.reason) return `The standing automatic rule could not be applied (${a.reason}): ${waiting}`;
	return `Documents are assigned by hand in this dataset, so ${waiting}`;
}

export type ImportPhase = 'validating' | 'importing' | 'annotations' | 'done';

export interface ImportProgressEvent {
	type: 'progress';
	phase: ImportPhase;
	files: number;
	bytes: number;
	documents: number;
	done: number;
	total: number;
}

export interface ImportResultEvent extends Partial<ImportResult> {
	type: 'result';
	/** the HTTP status the same import answers with without `?progress=1` */
	status: number;
}

export type ImportEvent = ImportProgressEvent | ImportResultEvent;

/**
 * Splits a growing NDJSON text (XMLHttpRequest's responseText) into events: call it
 * with the whole text so far; it returns the events of the lines completed since the
 * last call. An incomplete last line waits for the next call.
 */
export function eventReader(): (textSoFar: string) => ImportEvent[] {
	let consumed = 0;
	return (text) => {
		const events: ImportEvent[] = [];
		for (;;) {
			const nl = text.indexOf('\n', consumed);
			if (nl === -1) break;
			const line = text.slice(consumed, nl).trim();
			consumed = nl + 1;
			if (line) events.push(JSON.parse(line) as ImportEvent);
		}
		return events;
	};
}

/** Query string of an import's options (`labelMap=FROM:TO,…`, `addLabels=1`). */
export function importQuery(opts: { labelMap?: Record<string, string>; addLabels?: boolean; progress?: boolean }): string {
	const params = new URLSearchParams();
	const pairs = Object.entries(opts.labelMap ?? {}).filter(([from, to]) => from && to && from !== to);
	if (pairs.length) params.set('labelMap', pairs.map(([from, to]) => `${from}:${to}`).join(','));
	if (opts.addLabels) params.set('addLabels', '1');
	if (opts.progress) params.set('progress', '1');
	const q = params.toString();
	return q ? `?${q}` : '';
}

/** 1536 → "1.5 KB": sizes as the import page shows them. */
export function formatSize(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
	if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${bytes} bytes`;
}
