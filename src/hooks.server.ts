import { json, text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { authenticate, SESSION_COOKIE } from '$lib/server/auth/auth';
import { dataRoot } from '$lib/server/config';
import { store, storeKind, sweepTempFiles, whereData } from '$lib/server/store';
import { seedDemo } from '$lib/server/demo';
import { resumeLabelRewrites } from '$lib/server/datasets/datasets';
import { resumeImportCommits } from '$lib/server/import/importCommit';
import { recoverAllReleases } from '$lib/server/release/releases';
import { crossSiteRefusal } from '$lib/server/auth/crossSite';
import { asApiError } from '$lib/server/http/http';
import { storageFault, type DomainError } from '$lib/server/http/errors';
import { claimDataFolder, openControlSocket } from '$lib/server/control/serverStart';

/**
 * Start-up, on either store (SPANLAB_STORE, see $lib/server/store):
 * - both: `store.init()` (on PostgreSQL: the schema's migrations, then leftovers of dead processes),
 *   the label changes, release cuts and import commits a stop interrupted, the demo data on a first start;
 * - the file store only: the data folder's lock (one process per folder), the sweep of temp files,
 *   the control socket the command-line tools talk to (on PostgreSQL they run against the database).
 * On PostgreSQL several app processes start on one database: the migrations wait for one another,
 * and the steps after them run one process at a time (`store.startup`).
 */
export const init: ServerInit = async () => {
	await store.init();
	if (storeKind === 'file') {
		// one writer per data folder: a second server refuses to start (before it touches anything)
		await claimDataFolder(dataRoot());
		// in the background: leftovers of an interrupted write are never read, and the walk can take seconds
		sweepTempFiles().then(
			(removed) => removed && console.log(`spanlab: removed ${removed} temp file(s) left by an interrupted write`),
			(e) => console.error('spanlab: could not sweep temp files:', e)
		);
	}
	const oneAtATime = store.startup?.bind(store) ?? (<T>(fn: () => Promise<T>) => fn());
	await oneAtATime(async () => {
		try {
			for (const slug of await resumeLabelRewrites()) console.log(`spanlab: finished the label change of "${slug}" that a stop had interrupted`);
		} catch (e) {
			// a full or read-only disk: start anyway (reads work); the next label change finishes it
			const fault = storageFault(e, 'a label change interrupted by a stop is not finished yet');
			if (!fault) throw e;
			console.error(`spanlab: ${fault.message}`);
		}
		for (const r of await recoverAllReleases()) console.log(`spanlab: release v${String(r.version).padStart(4, '0')} of "${r.slug}", interrupted by a stop: ${r.outcome}`);
		await resumeImportCommits(); // imports interrupted after their commit point: finished (each says so in the log)
		await seedDemo();
	});
	// the command-line tools send their commands here while this server runs
	if (storeKind === 'file') await openControlSocket(dataRoot());
	console.log(`spanlab: data in ${whereData()}`);
};

export const handle: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	const { pathname } = event.url;
	const isApi = pathname === '/api' || pathname.startsWith('/api/');
	// Ours, for every content type (SvelteKit's covers form posts only, and is turned off in svelte.config.js).
	const refusal = crossSiteRefusal(method, headers, event.url.origin);
	if (refusal) return secured(isApi ? json({ error: refusal }, { status: 403 }) : text(refusal, { status: 403 }));
	event.locals.user = await authenticate(event.cookies.get(SESSION_COOKIE), headers.get('authorization'));
	let response = await resolve(event);
	const fault = faults.get(event.request);
	if (fault && response.status === 500) response = withStatus(response, fault.status);
	const answer = isApi ? await asApiError(response, method, pathname) : response;
	if (event.locals.user) keptPrivate(answer);
	return secured(answer);
};

/**
 * Storage faults (full or read-only disk) that reached SvelteKit unhandled, by request
 * (the Request: SvelteKit hands handleError a copy of the event): the error page says
 * what happened, and `handle` gives the answer the fault's status (507 / 503, see
 * storageFault) instead of 500. Routes that map errors themselves (api(), guarded(),
 * formAction()) never get here.
 */
const faults = new WeakMap<Request, DomainError>();

export const handleError: HandleServerError = ({ error, event }) => {
	const fault = storageFault(error);
	if (fault) {
		faults.set(event.request, fault);
		console.error(`spanlab: ${fault.message}:`, (error as Error).message);
		return { message: fault.message };
	}
	console.error(error);
	return { message: 'Internal Error' };
};

function withStatus(response: Response, status: number): Response {
	return new Response(response.body, { status, headers: response.headers });
}

/**
 * What a signed-in person saw is never stored by the browser or a proxy: Back
 * after logout asks the server again (and lands on the login page) instead of
 * showing the last document from the cache; Vary says the answer depends on who asks.
 */
function keptPrivate(response: Response): void {
	const cacheControl = response.headers.get('cache-control');
	if (!cacheControl || !/\bno-store\b/i.test(cacheControl)) response.headers.set('Cache-Control', 'private, no-store');
	const vary = (response.headers.get('vary') ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	for (const name of ['Cookie', 'Authorization']) if (!vary.some((v) => v.toLowerCase() === name.toLowerCase())) vary.push(name);
	response.headers.set('Vary', vary.join(', '));
}

function secured(response: Response): Response {
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
}
