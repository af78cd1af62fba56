import { json, text, type Handle, type ServerInit } from '@sveltejs/kit';
import { authenticate, SESSION_COOKIE } from '$lib/server/auth';
import { dataRoot } from '$lib/server/config';
import { removeTempFiles } from '$lib/server/store/durable';
import { seedDemo } from '$lib/server/demo';
import { resumeLabelRewrites } from '$lib/server/datasets';
import { crossSiteRefusal } from '$lib/server/crossSite';
import { asApiError } from '$lib/server/http';
import fs from 'node:fs';

export const init: ServerInit = async () => {
	fs.mkdirSync(dataRoot(), { recursive: true });
	// in the background: leftovers of an interrupted write are never read, and the walk can take seconds
	removeTempFiles(dataRoot()).then(
		(removed) => removed && console.log(`spanlab: removed ${removed} temp file(s) left by an interrupted write`),
		(e) => console.error('spanlab: could not sweep temp files:', e)
	);
	for (const slug of await resumeLabelRewrites()) console.log(`spanlab: finished the label change of "${slug}" that a stop had interrupted`);
	await seedDemo();
	console.log(`spanlab: data in ${dataRoot()}`);
};

export const handle: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	const { pathname } = event.url;
	const isApi = pathname === '/api' || pathname.startsWith('/api/');
	// Ours, for every content type (SvelteKit's covers form posts only, and is turned off in svelte.config.js).
	const refusal = crossSiteRefusal(method, headers, event.url.origin);
	if (refusal) return secured(isApi ? json({ error: refusal }, { status: 403 }) : text(refusal, { status: 403 }));
	event.locals.user = await authenticate(event.cookies.get(SESSION_COOKIE), headers.get('authorization'));
	const response = await resolve(event);
	const answer = isApi ? await asApiError(response, method, pathname) : response;
	if (event.locals.user) keptPrivate(answer);
	return secured(answer);
};

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
