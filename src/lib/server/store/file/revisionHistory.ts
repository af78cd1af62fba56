/**
 * Reading a set's revision log (`<annotator>.revisions.jsonl`, see revisionLog.ts for
 * its lines): the whole history, or a page of it read from the end, parsing only the
 * lines the page needs.
 */
import fs from 'node:fs/promises';
import { REVISIONS_PAGE, type RevisionPage } from '../../../model/work';
import type { Revision } from '../../../model/types';
import { revisionLogFile } from './paths';
import { decodeLine, decodeRevisions, lineIsCheckpoint, type LogLine } from './revisionLog';

export const REVISION_PREFIX = /^\{"revision":(\d+),/;

/**
 * The revision number of a log line without parsing its spans: lines are
 * written by JSON.stringify of a Revision, whose first key is `revision`.
 * (Parsing a 2,000-span line on every read doubled the cost of a GET.)
 */
export function revisionOfLogLine(line: string): number {
	const match = REVISION_PREFIX.exec(line);
	return match ? Number(match[1]) : (JSON.parse(line) as Revision).revision;
}

/** The lines of a log, in order (a torn one from a crash is dropped when parsed). */
async function readLogLines(file: string): Promise<string[]> {
	let raw: string;
	try {
		raw = await fs.readFile(file, 'utf8');
	} catch {
		return [];
	}
	return raw.split('\n').filter((line) => line !== '');
}

function parseLines(lines: readonly string[]): LogLine[] {
	const parsed: LogLine[] = [];
	for (const line of lines) {
		try {
			parsed.push(JSON.parse(line) as LogLine);
		} catch {
			// a torn line from a crash: that save was never acknowledged
		}
	}
	return parsed;
}

export async function readRevisionLog(file: string): Promise<Revision[]> {
	return decodeRevisions(parseLines(await readLogLines(file)));
}

/** The full history of one set, oldest first (every revision with its full span list). */
export async function listRevisions(slug: string, docId: string, annotator: string): Promise<Revision[]> {
	return readRevisionLog(revisionLogFile(slug, docId, annotator));
}



/** A log read as bytes, its complete lines found without decoding them (a 127 MB log of full revisions is one buffer, not a string). */
class LogLines {
	readonly starts: number[] = [];
	readonly ends: number[] = [];
	constructor(private readonly buf: Buffer) {
		for (let start = 0; start < buf.length; ) {
			const end = buf.indexOf(0x0a, start);
			if (end < 0) break; // a torn last line from a crash: that save was never acknowledged
			if (end > start) {
				this.starts.push(start);
				this.ends.push(end);
			}
			start = end + 1;
		}
	}
	get length(): number {
		return this.starts.length;
	}
	text(i: number): string {
		return this.buf.toString('utf8', this.starts[i], this.ends[i]);
	}
	/** The line's start, enough for its revision number and kind (see revisionLog.ts). */
	head(i: number): string {
		return this.buf.toString('utf8', this.starts[i], Math.min(this.ends[i], this.starts[i] + 256));
	}
	/** The line's revision, -1 for a line that is not one (torn). */
	revision(i: number): number {
		const match = REVISION_PREFIX.exec(this.head(i));
		if (match) return Number(match[1]);
		try {
			return revisionOfLogLine(this.text(i));
		} catch {
			return -1;
		}
	}
	isCheckpoint(i: number): boolean {
		return (lineIsCheckpoint(this.head(i)) ?? lineIsCheckpoint(this.text(i))) === true;
	}
}

/**
 * Lines parsed and decoded one at a time (decodeRevisions), the event loop let
 * through after every big one: a full revision of 20,000 spans takes ~20 ms to
 * parse, and rebuilding one from a delta ~3 ms, so 25 of them in one go held
 * other requests ~150 ms.
 */
async function decodeLogRange(log: LogLines, from: number, to: number): Promise<Revision[]> {
	const out: Revision[] = [];
	let prev: Revision | null = null;
	for (let i = from; i < to; i++) {
		let line: LogLine;
		try {
			line = JSON.parse(log.text(i)) as LogLine;
		} catch {
			continue; // a torn line from a crash: that save was never acknowledged
		}
		prev = decodeLine(prev, line);
		if (prev) out.push(prev);
		const big = log.ends[i] - log.starts[i] > 256 * 1024 || (prev?.spans.length ?? 0) > 2_000;
		if (big) await new Promise<void>((resolve) => setImmediate(resolve));
	}
	return out;
}

/**
 * The last `limit` revisions before revision `before` (all: the latest ones),
 * oldest first, stopping early so that the page holds at most
 * REVISIONS_PAGE.maxSpans spans in all (always at least one revision). Read
 * newest first, a checkpoint and the deltas after it at a time, so only the
 * lines the page needs are parsed (and at most one checkpoint's run beyond).
 */
export async function pageRevisions(
	slug: string,
	docId: string,
	annotator: string,
	opts: { limit?: number; before?: number } = {}
): Promise<RevisionPage> {
	const limit = Math.max(1, Math.min(REVISIONS_PAGE.maxLimit, opts.limit ?? REVISIONS_PAGE.defaultLimit));
	const before = opts.before ?? Infinity;
	let buf: Buffer;
	try {
		buf = await fs.readFile(revisionLogFile(slug, docId, annotator));
	} catch {
		return { revisions: [], nextBefore: null };
	}
	const log = new LogLines(buf);
	const numbers = log.starts.map((_, i) => log.revision(i));
	let hi = numbers.length;
	while (hi > 0 && !(numbers[hi - 1] < before)) hi--;
	const newestFirst: Revision[] = [];
	let spans = 0;
	let full = false;
	while (hi > 0 && !full) {
		let checkpoint = hi - 1;
		while (checkpoint > 0 && !log.isCheckpoint(checkpoint)) checkpoint--;
		const decoded = (await decodeLogRange(log, checkpoint, hi)).filter((r) => r.revision < before);
		for (let i = decoded.length - 1; i >= 0; i--) {
			const size = decoded[i].spans.length + (decoded[i].rejected?.length ?? 0);
			if (newestFirst.length >= limit || (newestFirst.length > 0 && spans + size > REVISIONS_PAGE.maxSpans)) {
				full = true;
				break;
			}
			newestFirst.push(decoded[i]);
			spans += size;
		}
		hi = checkpoint;
	}
	const revisions = newestFirst.reverse();
	const oldest = revisions[0]?.revision;
	const earlier = oldest !== undefined && numbers.some((n) => n >= 1 && n < oldest);
	return { revisions, nextBefore: earlier ? oldest : null };
}
