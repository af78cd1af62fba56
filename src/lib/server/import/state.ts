import {
	DEFAULT_MAX_BYTES,
	DEFAULT_MAX_PROBLEMS,
	type ImportedDocument,
	type ImportReport,
	type ParseOptions
} from './types';
import { formatBytes } from './util';

function formatLimit(n: number): string {
	return n < 1024 ? `${n} bytes` : `${formatBytes(n)} (${n} bytes)`;
}

/** Thrown (internally) when the import exceeds `maxBytes`; parsing stops, a problem is recorded. */
export class SizeLimitExceeded extends Error {
	constructor(public readonly file: string) {
		super('size limit exceeded');
	}
}

/**
 * Everything shared by the files of one import: the report, the problem cap,
 * the byte budget and the ids seen so far (for duplicate detection).
 */
export class ImportState {
	readonly report: ImportReport = {
		problems: [],
		labelsFound: new Map(),
		bytes: 0,
		files: 0,
		documents: 0,
		done: false,
		tooLarge: false
	};
	readonly maxBytes: number;
	readonly maxProblems: number;
	private omitted = 0;
	private readonly ids = new Map<string, string>();
	/** brat `.ann` files waiting for their `.txt` (by path without extension), and the `.txt` paths already read */
	readonly bratAnn = new Map<string, { name: string; text: string }>();
	readonly txtStems = new Set<string>();

	constructor(opts: ParseOptions = {}) {
		this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
		this.maxProblems = Math.max(0, opts.maxProblems ?? DEFAULT_MAX_PROBLEMS);
	}

	problem(file: string, line: number | undefined, message: string): void {
		if (this.report.problems.length >= this.maxProblems) {
			this.omitted++;
			return;
		}
		this.report.problems.push(line === undefined ? { file, message } : { file, line, message });
	}

	get problemCount(): number {
		return this.report.problems.length + this.omitted;
	}

	/** Counts `n` more content bytes; records a problem and throws SizeLimitExceeded past the limit. */
	addBytes(file: string, n: number): void {
		this.report.bytes += n;
		if (this.report.bytes > this.maxBytes) this.sizeLimit(file);
	}

	/** Checks that `n` more bytes would fit without counting them. */
	checkFits(file: string, n: number, what = 'the import'): void {
		if (this.report.bytes + n > this.maxBytes) this.sizeLimit(file, what);
	}

	sizeLimit(file: string, what = 'the import'): never {
		this.report.tooLarge = true;
		this.problemForced(
			file,
			`${what} is larger than the size limit of ${formatLimit(this.maxBytes)}; nothing was imported`
		);
		throw new SizeLimitExceeded(file);
	}

	/** Like `problem` but always kept (replaces the last kept problem when the list is full). */
	private problemForced(file: string, message: string): void {
		const p = this.report.problems;
		if (p.length >= this.maxProblems && p.length > 0) {
			p.pop();
			this.omitted++;
		}
		p.push({ file, message });
	}

	/** Registers an id; returns where it was first seen when it is a duplicate, else null. */
	claimId(id: string, where: string): string | null {
		const prev = this.ids.get(id);
		if (prev !== undefined) return prev;
		this.ids.set(id, where);
		return null;
	}

	/** Records a valid document (counts and labels). */
	accept(doc: ImportedDocument): void {
		this.report.documents++;
		const labels = this.report.labelsFound;
		for (const s of doc.spans) labels.set(s.label, (labels.get(s.label) ?? 0) + 1);
	}

	/** Appends the "…and N more problems" entry; idempotent. */
	finish(): void {
		if (this.report.done) return;
		this.report.done = true;
		for (const { name } of this.bratAnn.values()) {
			this.problem(name, undefined, `brat annotations without their text: no ${name.replace(/\.ann$/i, '.txt')} in this import`);
		}
		if (this.omitted > 0) {
			this.report.problems.push({ message: `…and ${this.omitted} more problem${this.omitted === 1 ? '' : 's'}` });
		}
	}
}
