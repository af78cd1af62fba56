// What the production build was made from: a SHA-256 over the paths and contents
// of every source file that goes into it, kept next to the build. `npm start`
// rebuilds only when it differs (or there is no build).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Files and folders (relative to the project) the build depends on. */
export const BUILD_INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
export const STAMP_FILE = path.join('build', '.sources-sha256');

/** Unit tests and their fixtures beside the code never reach the build. */
const ignored = (rel) => /\.test\.ts$/.test(rel) || rel.split(path.sep).includes('fixtures');

function walk(root, rel, out) {
	const full = path.join(root, rel);
	let stat;
	try {
		stat = fs.statSync(full);
	} catch {
		return; // an optional input that is not there
	}
	if (stat.isDirectory()) {
		for (const name of fs.readdirSync(full).sort()) walk(root, path.join(rel, name), out);
	} else if (stat.isFile() && !ignored(rel)) {
		out.push(rel);
	}
}

/** @param {string} root the project folder */
export function sourcesHash(root) {
	const files = [];
	for (const input of BUILD_INPUTS) walk(root, input, files);
	const hash = createHash('sha256');
	for (const rel of files) {
		hash.update(rel.split(path.sep).join('/') + '\0');
		hash.update(fs.readFileSync(path.join(root, rel)));
		hash.update('\0');
	}
	return hash.digest('hex');
}

/** True when there is no complete build, or it was made from other sources. */
export function needsBuild(root) {
	if (!fs.existsSync(path.join(root, 'build', 'handler.js'))) return true;
	let stamp = '';
	try {
		stamp = fs.readFileSync(path.join(root, STAMP_FILE), 'utf8').trim();
	} catch {
		return true;
	}
	return stamp !== sourcesHash(root);
}

/** After a successful build: remember what it was made from. */
export function writeStamp(root, hash) {
	fs.writeFileSync(path.join(root, STAMP_FILE), hash + '\n');
}

// `node scripts/build-stamp.js` (the end of `npm run build`): stamp the build just made.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
	writeStamp(process.cwd(), sourcesHash(process.cwd()));
}
