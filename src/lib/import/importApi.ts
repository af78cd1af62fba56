/**
 * The import API's wire shapes, shared by the server (src/lib/server/import/importHttp.ts)
 * and the import page, and the reader for its `?progress=1` NDJSON event stream.
 */
import { plural } from '../text/plural';

/**
 * One problem of an import, as the parsers find it, the label plan reports it and
 * the API answers it (`errors[]`, docs/api.md): the one shape. `message` never
 * repeats `file` or `line`; whoever shows a problem on one line composes them
 * (`problemLine`).
 */
export interface ImportProblem {
	/** the file (for zip entries `archive.zip/path/in/archive`); absent for import-wide problems */
	file?: string;
	/** 1-based line (JSONL files, and files whose problem is at a line) */
	line?: number;
	message: string;
	/** set for label problems, so the import page can say them in words: the label, its spans, where labelMap sends it */
	kind?: 'unknown-label' | 'unmapped-label';
	label?: string;
	target?: string;
	count?: number;
}

/** `line N: message` (the message alone when the problem has no line): a problem on one line, its file shown beside it. */
export function problemLine(p: Pick<ImportProblem, 'line' | 'message'>): string {
	return p.line === undefined ? p.message : `line ${p.line}: ${p.message}`;
}

/** One problem as the import page shows it. */
export interface ProblemForPeople {
	file?: string;
	line?: number;
	text: string;
}

/**
 * An import's problems as the page lists them: in words (no API parameter
 * syntax such as `labelMap=…`), import-wide ones first, then by file (in the
 * order the files first appear) and line, each only once.
 */
export function problemsForPeople(errors: readonly ImportProblem[]): ProblemForPeople[] {
	const fileOrder = new Map<string, number>();
	for (const e of errors) if (e.file !== undefined && !fileOrder.has(e.file)) fileOrder.set(e.file, fileOrder.size);
	const seen = new Set<string>();
	const out: Array<ProblemForPeople & { order: number }> = [];
	errors.forEach((e, order) => {
		const text = problemInWords(e);
		const key = `${e.file ?? ''}\u0000${e.line ?? ''}\u0000${text}`;
		if (seen.has(key)) return;
		seen.add(key);
		out.push({ ...(e.file !== undefined ? { file: e.file } : {}), ...(e.line !== undefined ? { line: e.line } : {}), text, order });
	});
	const rank = (p: ProblemForPeople) => (p.file === undefined ? -1 : fileOrder.get(p.file)!);
	out.sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0) || a.order - b.order);
	return out.map(({ order: _, ...p }) => p);
}

function problemInWords(e: ImportProblem): string {
	const spans = e.count !== undefined ? ` (${plural(e.count, 'span')})` : '';
	if (e.kind === 'unknown-label' && e.label !== undefined) {
		return `The label “${e.label}”${spans} is not one of this dataset's labels. Choose a label of the dataset for it, or tick “Add labels the dataset does not have yet”, and import again.`;
	}
	if (e.kind === 'unmapped-label' && e.label !== undefined) {
		return `“${e.label}”${spans} was to become “${e.target}”, which is not one of this dataset's labels.`;
	}
	return e.message;
}

export interface ImportResult {
	/** set when nothing was imported */
	error?: string;
	imported: number;
	/** documents skipped because their text is already in the dataset */
	duplicates: number;
	/** every problem found (capped); when not empty nothing was imported */
	errors: ImportProblem[];
	/** labels added to the dataset (`addLabels`) */
	labelsAdded: string[];
	/** labels found that the dataset lacks, with counts (set when they are among the errors) */
	unknownLabels: Array<{ label: string; count: number }>;
	/** pre-annotation sets saved, per source */
	preAnnotations: PreAnnotationSource[];
	/** whose queues the new documents went to (absent when nothing was imported) */
	assignment?: ImportAssignment;
}

/** The pre-annotations of one imported file, saved as one annotation set per document. */
export interface PreAnnotationSource {
	/** `import:<file>` */
	source: string;
	/** the reserved annotator id the sets are stored under, `import~<sanitised file>` */
	annotator: string;
	documents: number;
	spans: number;
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

/** How far an import is. */
export interface ImportProgress {
	phase: ImportPhase;
	/** files parsed so far (zip entries count individually) */
	files: number;
	/** content bytes read so far */
	bytes: number;
	/** valid documents found so far */
	documents: number;
	/** importing/annotations: how many of `total` are done */
	done: number;
	total: number;
}

/** A line of the `?progress=1` stream while the import runs. */
export interface ImportProgressEvent extends ImportProgress {
	type: 'progress';
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

