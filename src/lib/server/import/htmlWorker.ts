/**
 * The worker thread that extracts articles from imported HTML pages
 * (`htmlPool.ts` starts it and talks to it). Loaded on the main thread too,
 * only to learn its own file's URL (`workerUrl`), which works the same from
 * the TypeScript source (vitest, the command-line tools under tsx) and from
 * the built server's chunk.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { MAX_HTML_DEPTH, extractHtmlArticle, htmlDepth, type HtmlArticle } from './html';
import { clip } from './util';

export const workerUrl = import.meta.url;

export interface HtmlJob {
	id: number;
	html: string;
	fileName: string;
}

export type HtmlResult =
	| { id: number; article: HtmlArticle }
	| { id: number; problem: string };

/** The depth check, then the extraction: one job's answer. */
export function runHtmlJob(job: HtmlJob): HtmlResult {
	const depth = htmlDepth(job.html);
	if (depth > MAX_HTML_DEPTH)
		return { id: job.id, problem: `the HTML nests elements more than ${MAX_HTML_DEPTH} deep: refused without parsing it` };
	try {
		return { id: job.id, article: extractHtmlArticle(job.html, job.fileName) };
	} catch (e) {
		return { id: job.id, problem: `could not parse the HTML: ${clip(String(e), 200)}` };
	}
}

if (!isMainThread && parentPort && (workerData as { spanlabHtmlWorker?: boolean } | null)?.spanlabHtmlWorker) {
	const port = parentPort;
	port.on('message', (job: HtmlJob) => port.postMessage(runHtmlJob(job)));
}
