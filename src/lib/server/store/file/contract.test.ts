/** The store contract (../contract.ts) against the file store, in a fresh temp data folder per test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeContract } from '../contract';
import { fileStore } from '.';

storeContract('file', async () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-contract-'));
	const before = process.env.SPANLAB_DATA;
	process.env.SPANLAB_DATA = root;
	const store = fileStore();
	store.reset();
	return {
		store,
		async close() {
			store.reset();
			fs.rmSync(root, { recursive: true, force: true });
			if (before === undefined) delete process.env.SPANLAB_DATA;
			else process.env.SPANLAB_DATA = before;
		}
	};
});
