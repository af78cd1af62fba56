import { json, text, type Handle, type ServerInit } from '@sveltejs/kit';
import { authenticate, SESSION_COOKIE } from '$lib/server/auth';
import { dataRoot } from '$lib/server/config';
import { removeTempFiles } from '$lib/server/store/durable';
import { seedDemo } from '$lib/server/demo';
import { resumeLabelRewrites } from '$lib/server/datasets';
import { resumeImportCommits } from '$lib/server/importCommit';
import { crossSiteRefusal } from '$lib/server/crossSite';
import { asApiError } from '$lib/server/http';
import { claimDataFolder, openControlSocket } from '$lib/server/control/serverStart';
import fs from 'node:fs';

export const init: ServerInit = async () => {
	fs.mkdirSync(dataRoot(), { recursive: true });
	// one writer per data folder: a second server refuses to start (before it touches anything)
	await claimDataFolder(dataRoot());
	// in the background: leftovers of an interrupted write are never read, and the walk can take seconds
	removeTempFiles(dataRoot()).then(
		(removed) => removed && console.log(`spanlab: removed ${removed} temp file(s) left by an interrupted write`),
		(e) => console.error('spanlab: could not sweep temp files:', e)
	);
	for (const slug of await resumeLabelRewrites()) console.log(`spanlab: finished the label change of "${slug}" that a stop had interrupted`);
	await resumeImportCommits(); // imports interrupted after their commit point: finished (each says so in the log)
	await seedDemo();
	// the command-line tools send their commands here while this server runs
	await openControlSocket(dataRoot());
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
	return secured(isApi ? await asApiError(response, method, pathname) : response);
};

function secured(response: Response): Response {
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
}
