/**
 * Import use case: files → documents (and their pre-annotations) in a dataset, all or nothing.
 * No SvelteKit imports: the HTTP routes, the CLI (scripts/import.ts) and benchmarks call `importFiles`.
 *
 * Pass 1 streams every file through the parsing layer (./import), checks each valid
 * document against the dataset (texts already there are duplicates, ids taken by another
 * text are problems, labels are counted) and appends it, normalised, to a staging area
 * (`store.staging`: in the file store a temp NDJSON file of the dataset's folder, which a
 * crash leaves for the next start to sweep away). Memory stays flat in the size of the input.
 * Pass 2 runs only when pass 1 found no problem at all: the staging area becomes the
 * import's pending commit (`store.imports.commit`, importCommit.ts: the commit point, so
 * that a crash from here on is finished at the next start), then labels are added if
 * asked, the staged documents are streamed into `addDocuments`, and the pre-annotations
 * of the documents actually added are saved as `import~<source>` sets (revision 1, done).
 */
import { parseImport, type InputFile } from './';
import { limits } from '../config';
import { documentLookup, getDataset, store, withLock } from '../store';
import { parseLabelMap, planLabels, type LabelUse } from './importLabels';
import { importedAnnotationProblems, mapImportedSpans } from './importRelations';
import { relationTypesOf } from '../../model/relations';
import type { ImportedRelation, ImportedSpan } from './';
import { applyImportCommit, finishInterruptedImport, type StagedDocument } from './importCommit';
import type { ImportPhase, ImportProblem, ImportProgress, ImportResult, PreAnnotationSource } from '../../import/importApi';

export interface ImportOptions {
	/** username of the importing lead (recorded as the author of pre-annotation sets) */
	by: string;
	/** imported label → dataset label: a map, or the query syntax `FROM:TO,FROM2:TO2` */
	labelMap?: Map<string, string> | Record<string, string> | string;
	/** add labels that are not in the dataset (after mapping), with generated keys and colours */
	addLabels?: boolean;
	/** size limit of the whole import in bytes; default `limits.importBytes` */
	maxBytes?: number;
	/** problems listed before "…and N more problems"; default 100 */
	maxProblems?: number;
	/** called as the import advances (at most every 100 ms, and at each phase change) */
	onProgress?: (progress: ImportProgress) => void;
}

export type { ImportPhase, ImportProgress, PreAnnotationSource };

/** An import's outcome: the API's answer (`ImportResult`) before the refusal sentence, and whether it was over the size limit. */
export interface ImportSummary extends Omit<ImportResult, 'error'> {
	/** the import is over the size limit (HTTP 413) */
	tooLarge: boolean;
}

const PROGRESS_INTERVAL_MS = 100;
function toLabelMap(value: ImportOptions['labelMap'], found: ReadonlySet<string>): { map: Map<string, string>; problems: string[] } {
	if (value === undefined) return { map: new Map(), problems: [] };
	if (typeof value === 'string') return parseLabelMap(value, found);
	return { map: value instanceof Map ? value : new Map(Object.entries(value)), problems: [] };
}

/**
 * Imports `files` into dataset `slug`: all of them, or — when any problem is found —
 * nothing, and the summary lists every problem (up to the cap). Imports into one
 * dataset run one at a time. Throws only for a missing dataset or I/O failures
 * (including a failing input stream); nothing is imported then either, unless the
 * failure happens in pass 2 (disk full, a crash), after validation.
 */
export async function importFiles(
	slug: string,
	files: AsyncIterable<InputFile> | Iterable<InputFile>,
	opts: ImportOptions
): Promise<ImportSummary> {
	await getDataset(slug); // 404 before reading anything
	return withLock(`import:${slug}`, async () => {
		// an earlier import interrupted after its commit point is finished first: this one's checks see all of it
		await finishInterruptedImport(slug);
		return runImport(slug, files, opts);
	});
}

async function runImport(
	slug: string,
	files: AsyncIterable<InputFile> | Iterable<InputFile>,
	opts: ImportOptions
): Promise<ImportSummary> {
	const summary: ImportSummary = {
		imported: 0,
		duplicates: 0,
		errors: [],
		labelsAdded: [],
		unknownLabels: [],
		preAnnotations: [],
		tooLarge: false
	};
	const parsed = parseImport(files, { maxBytes: opts.maxBytes ?? limits.importBytes, maxProblems: opts.maxProblems });
	const { report } = parsed;
	const progress: ImportProgress = { phase: 'validating', files: 0, bytes: 0, documents: 0, done: 0, total: 0 };
	let lastProgress = 0;
	const tell = (force = false) => {
		if (!opts.onProgress) return;
		const now = Date.now();
		if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
		lastProgress = now;
		progress.files = report.files;
		progress.bytes = report.bytes;
		progress.documents = report.documents;
		opts.onProgress({ ...progress });
	};
	tell(true);

	const staging = await store.staging.create(slug);
	try {
		// ---- pass 1: parse, validate, stage
		const labels = new Map<string, LabelUse>();
		const existing = await documentLookup(slug); // imports into this dataset run one at a time
		let staged = 0;
		let withSpans = 0;
		// documents with relations or attributes: checked against the dataset once the label map is known
		const annotated: Array<{ file: string; line?: number; task?: number; spans: ImportedSpan[]; relations: ImportedRelation[] }> = [];
		for await (const doc of parsed.documents) {
			tell();
			if (existing.idOfText(doc.sha256) !== undefined) {
				summary.duplicates++;
				continue;
			}
			// a file-name id already in the dataset (another text): the file keeps its text-derived id instead
			if (existing.hasId(doc.id) && doc.fallbackId !== undefined && !existing.hasId(doc.fallbackId)) doc.id = doc.fallbackId;
			if (existing.hasId(doc.id)) {
				parsed.problem(doc.source, doc.line, `id "${doc.id}" is already used by another document of this dataset (with a different text)`);
				continue;
			}
			if (doc.spans.length > limits.spansPerSet) {
				parsed.problem(doc.source, doc.line, `too many spans: ${doc.spans.length} (limit ${limits.spansPerSet} per document)`);
				continue;
			}
			// the same per-set size limit as a save (annotate/saveChecks.ts), checked before anything is committed
			const covered = doc.spans.reduce((n, s) => n + s.end - s.start, 0);
			if (covered > limits.setTextChars) {
				parsed.problem(doc.source, doc.line, `the spans cover ${covered} characters in total, more than the ${limits.setTextChars} one annotation set may hold`);
				continue;
			}
			for (const span of doc.spans) {
				const use = labels.get(span.label);
				if (use) use.count++;
				else labels.set(span.label, { count: 1, file: doc.source, ...(doc.line !== undefined ? { line: doc.line } : {}) });
			}
			if (doc.spans.length > 0) withSpans++;
			if (doc.relations?.length || doc.spans.some((s) => s.attrs)) {
				annotated.push({
					file: doc.source,
					...(doc.line !== undefined ? { line: doc.line } : {}),
					...(doc.task !== undefined ? { task: doc.task } : {}),
					spans: doc.spans,
					relations: doc.relations ?? []
				});
			}
			const record: StagedDocument = {
				id: doc.id,
				title: doc.title,
				text: doc.text,
				meta: doc.meta,
				sha256: doc.sha256,
				spans: doc.spans,
				...(doc.relations?.length ? { relations: doc.relations } : {}),
				source: doc.source
			};
			await staging.append(JSON.stringify(record));
			staged++;
		}
		summary.tooLarge = report.tooLarge;

		const dataset = await getDataset(slug);
		const labelMap = toLabelMap(opts.labelMap, new Set(labels.keys()));
		const plan = planLabels(dataset.labels, labels, { labelMap: labelMap.map, addLabels: opts.addLabels });
		const labelErrors: ImportProblem[] = [...labelMap.problems.map((message) => ({ message })), ...plan.problems];
		summary.unknownLabels = plan.unknown;
		// relations and attributes the dataset cannot hold (its relation types, its labels' attributes)
		const labelsAfter = [...dataset.labels, ...plan.added];
		const types = relationTypesOf(dataset);
		for (const doc of annotated) {
			if (labelErrors.length + report.problems.length >= 100) break;
			for (const message of importedAnnotationProblems(mapImportedSpans(doc.spans, labelsAfter, plan.map), doc.relations, labelsAfter, types)) {
				const said = doc.task !== undefined ? `task ${doc.task}: ${message}` : message;
				labelErrors.push({ file: doc.file, ...(doc.line !== undefined ? { line: doc.line } : {}), message: said });
			}
		}
		summary.errors = [...labelErrors, ...report.problems];
		if (summary.errors.length > 0) {
			summary.duplicates = 0; // nothing was imported, nothing was skipped
			progress.phase = 'done';
			tell(true);
			return summary;
		}

		// ---- pass 2: commit (from here on, a crash is finished at the next start), then apply
		const committed = await store.imports.commit(slug, staging, {
			by: opts.by,
			labelMap: [...plan.map],
			addLabels: plan.added,
			documents: staged,
			withSpans,
			at: new Date().toISOString()
		});
		const outcome = await applyImportCommit(slug, committed, (p) => {
			const phaseChanged = progress.phase !== p.phase;
			progress.phase = p.phase;
			progress.done = p.done;
			progress.total = p.total;
			tell(phaseChanged);
		});
		summary.labelsAdded = outcome.labelsAdded;
		summary.imported = outcome.imported;
		summary.duplicates += outcome.duplicates; // texts added by someone else since pass 1
		summary.preAnnotations = outcome.preAnnotations;
		if (outcome.assignment) summary.assignment = outcome.assignment;
		progress.phase = 'done';
		tell(true);
		return summary;
	} finally {
		await staging.remove(); // a no-op once committed
	}
}
