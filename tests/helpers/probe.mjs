/**
 * The event-loop probe: asks GET /api/me every 50 ms (one request at a time,
 * on one kept-alive connection) and records how long each answer took. A
 * process of its own, so the test's (or the bench's) own work never delays
 * it. Usage: node tests/helpers/probe.mjs URL COOKIE; it prints
 * "ready" once the first answer came, and on "stop" (stdin) one JSON line:
 * {"samples":[[sentAtMs, latencyMs, status], …]} and exits.
 */
import http from 'node:http';
import readline from 'node:readline';

const [url, cookie] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const samples = [];
let stopped = false;

function ask() {
	return new Promise((resolve) => {
		const sent = performance.timeOrigin + performance.now();
		const t0 = performance.now();
		const req = http.request({ host: hostname, port, path: '/api/me', headers: { cookie }, agent }, (res) => {
			res.resume();
			res.on('end', () => resolve([Math.round(sent), performance.now() - t0, res.statusCode]));
		});
		req.on('error', () => resolve([Math.round(sent), performance.now() - t0, 0]));
		req.end();
	});
}

let ready = false;
(async () => {
	while (!stopped) {
		const started = performance.now();
		const sample = await ask();
		samples.push(sample);
		if (!ready) {
			ready = true;
			process.stdout.write('ready\n');
		}
		await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - started))));
	}
})();

readline.createInterface({ input: process.stdin }).on('line', (line) => {
	if (line.trim() !== 'stop') return;
	stopped = true;
	process.stdout.write(JSON.stringify({ samples }) + '\n', () => process.exit(0));
});
