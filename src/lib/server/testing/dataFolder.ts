/**
 * Unit tests of server code run on real files: each test gets a data folder of
 * its own in the OS temp folder, the store forgets what it cached from the last
 * one, and the folder is removed afterwards. Test-only (no module of the app imports it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resetStoreCache } from '../store';

/** A fresh, empty data folder as SPANLAB_DATA, with the store's caches dropped; returns its path. */
export function freshDataFolder(prefix = 'spanlab-unit-'): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	process.env.SPANLAB_DATA = root;
	resetStoreCache();
	return root;
}

/** Removes a folder made by freshDataFolder. */
export function removeDataFolder(root: string): void {
	fs.rmSync(root, { recursive: true, force: true });
}
