#!/usr/bin/env node
// Makes sure a Chromium for the end-to-end tests is present (Debian's package; Playwright cannot download here).
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
	console.log('spanlab tests: Chromium missing, installing Debian package "chromium" (one time)…');
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
	if (existsSync('/usr/bin/chromium')) process.exit(0);
}
console.error('spanlab tests need Chromium. Install it with:  sudo apt-get install -y chromium   (or set CHROMIUM_PATH)');
process.exit(1);
