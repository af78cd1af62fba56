#!/usr/bin/env node
// Starts the production build (adapter-node's handler) behind a tiny guard.
// Defaults suited to spanlab; every one can be overridden by the environment.
import http from 'node:http';

process.env.PORT ||= '3000';
// Imports may be up to 50 MB; routes enforce their own, smaller limits.
process.env.BODY_SIZE_LIMIT ||= String(60 * 1024 * 1024);
const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT);

// Without ORIGIN, adapter-node assumes https and SvelteKit's CSRF check then
// refuses every form post on plain http://localhost. When no ORIGIN or proxy
// header is configured, tell it the protocol the socket really used.
const OWN_PROTOCOL_HEADER = 'x-spanlab-socket-protocol';
const deriveProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (deriveProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

const { handler } = await import('../build/handler.js');

// The URL parser resolves "..", "%2e%2e" and friends before any route sees
// them, so a path trick would silently become another (legitimate) URL.
// Refuse them outright instead, as the raw request arrived.
const PATH_TRICK = /(^|\/)(\.|%2e){2}(\/|%2f|%5c|\\|$)|%00|\u0000|%2e%2e|\\/i;

const server = http.createServer((req, res) => {
	const rawPath = (req.url ?? '/').split('?')[0];
	if (PATH_TRICK.test(rawPath)) {
		res.writeHead(400, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
		res.end(JSON.stringify({ error: 'invalid path: "..", encoded dots, backslashes and NUL bytes are not allowed' }));
		return;
	}
	if (deriveProtocol) {
		// overwrite whatever the client sent: this header is ours
		req.headers[OWN_PROTOCOL_HEADER] = /** @type {any} */ (req.socket).encrypted ? 'https' : 'http';
	}
	handler(req, res, () => {
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: 'not found' }));
	});
});

server.listen(port, host, () => {
	console.log(`spanlab: listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

function shutdown() {
	server.closeIdleConnections();
	server.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
