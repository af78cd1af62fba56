/**
 * Article extraction off the main thread: one worker thread (`htmlWorker.ts`)
 * takes the imported HTML pages one at a time from a queue, so a page that
 * takes long to parse delays other imports' pages, never other requests.
 * Each page has a time budget; a worker past it is killed (a new one starts
 * for the next page) and the page is refused. The worker's heap is capped, so
 * a page that needs too much memory is refused the same way.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HtmlJob, HtmlResult } from './htmlWorker';
import type { HtmlArticle } from './html';

/** Time one page may take to parse (default 10 s; SPANLAB_HTML_IMPORT_MS). */
export function htmlTimeBudgetMs(): number {
	return Number(process.env.SPANLAB_HTML_IMPORT_MS || 10_000);
}

const HEAP_MB = 512;

interface Pending {
	job: HtmlJob;
	timeoutMs: number;
	resolve: (result: { article: HtmlArticle } | { problem: string }) => void;
}

const queue: Pending[] = [];
let worker: Worker | null = null;
let current: Pending | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let nextId = 1;

/**
 * The article of one page, or the problem that refused it: too deep
 * (`MAX_HTML_DEPTH`, checked before parsing), over the time budget, out of
 * memory, or not parseable.
 */
export function extractHtmlInWorker(
	html: string,
	fileName: string,
	opts: { timeoutMs?: number } = {}
): Promise<{ article: HtmlArticle } | { problem: string }> {
	return new Promise((resolve) => {
		queue.push({ job: { id: nextId++, html, fileName }, timeoutMs: opts.timeoutMs ?? htmlTimeBudgetMs(), resolve });
		void pump();
	});
}

let bundled: Promise<string> | null = null;

/**
 * The worker's code when running from the TypeScript source (vitest, the
 * command-line tools under tsx): Node 20 does not give a worker thread the
 * main thread's TypeScript loader, so the module and its dependencies are
 * bundled into one script with esbuild (Vite's and tsx's), once per process.
 * The built server runs its own JavaScript chunk instead.
 */
function bundledWorkerSource(file: string): Promise<string> {
	const name = 'esbuild'; // not a literal import: the server build must not try to bundle esbuild
	return (bundled ??= import(/* @vite-ignore */ name).then(async (esbuild: typeof import('esbuild')) => {
		const out = await esbuild.build({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
		return out.outputFiles[0].text;
	}));
}

async function startWorker(): Promise<Worker> {
	// the module's own URL: the .ts source under vitest and tsx, the built chunk in the server
	const { workerUrl } = await import('./htmlWorker');
	const options = { workerData: { spanlabHtmlWorker: true }, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } };
	const w = workerUrl.endsWith('.ts')
		? new Worker(await bundledWorkerSource(fileURLToPath(workerUrl)), { ...options, eval: true })
		: new Worker(new URL(workerUrl), options);
	w.on('message', (r: HtmlResult) => {
		if (current?.job.id === r.id) settle('article' in r ? { article: r.article } : { problem: r.problem });
	});
	// a worker that was killed (time budget) or replaced no longer speaks for the current page
	w.on('error', (e) => {
		if (worker !== w) return;
		worker = null;
		const memory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
		settle({ problem: memory ? `the HTML needs more than ${HEAP_MB} MB to parse: refused` : `could not parse the HTML: ${String(e).slice(0, 200)}` });
	});
	w.on('exit', () => {
		if (worker !== w) return;
		worker = null;
		settle({ problem: 'could not parse the HTML (the parser stopped)' });
	});
	return w;
}

function settle(result: { article: HtmlArticle } | { problem: string }): void {
	const done = current;
	if (!done) return;
	current = null;
	clearTimeout(timer);
	// an idle worker does not keep the process alive (the command-line import exits when done)
	worker?.unref();
	done.resolve(result);
	void pump();
}

let starting = false;

async function pump(): Promise<void> {
	if (current || starting || queue.length === 0) return;
	if (!worker) {
		starting = true;
		try {
			worker = await startWorker();
		} catch (e) {
			starting = false;
			const failed = queue.splice(0);
			for (const p of failed) p.resolve({ problem: `could not start the HTML parser: ${String(e).slice(0, 200)}` });
			return;
		}
		starting = false;
	}
	const next = queue.shift()!;
	current = next;
	const w = worker;
	w.ref();
	timer = setTimeout(() => {
		if (current !== next) return;
		// killed: the next page gets a fresh worker
		worker = null;
		void w.terminate();
		const budget = next.timeoutMs < 1000 ? `${next.timeoutMs} ms` : `${Math.round(next.timeoutMs / 100) / 10} s`;
		settle({ problem: `the HTML took longer than ${budget} to parse: refused` });
	}, next.timeoutMs);
	w.postMessage(next.job);
}
