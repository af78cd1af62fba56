#!/usr/bin/env node
// `npm start`: build when the sources changed since the last build (or there is
// none), then serve. `npm run serve` serves the existing build without checking.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild, sourcesHash, writeStamp } from './build-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs `vite build`, passing its output through except SvelteKit's "npm run preview" hint (we serve with scripts/serve.js). */
function build() {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let pending = '';
		const emit = (line) => {
			if (!/npm run preview/.test(line.replace(ANSI, ''))) process.stdout.write(line + '\n');
		};
		child.stdout.on('data', (chunk) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			lines.forEach(emit);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (pending) emit(pending);
			code === 0 ? resolve() : reject(new Error(`the build failed (exit code ${code})`));
		});
	});
}

if (needsBuild(root)) {
	const hash = sourcesHash(root); // of the sources as the build reads them
	console.log('spanlab: building (the sources changed since the last build)…');
	try {
		await build();
	} catch (e) {
		console.error(`spanlab: ${e.message}`);
		process.exit(1);
	}
	writeStamp(root, hash);
} else {
	console.log('spanlab: the build is up to date with the sources; starting it');
}
await import('./serve.js');
