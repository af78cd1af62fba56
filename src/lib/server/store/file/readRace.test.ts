/**
 * Reads outside the lock racing writes (the CI failure of replies.spec: a fresh
 * session answered "not logged in"). A read that found a file before a write
 * landed used to put the older content back in memory after the write, so the
 * new session (or user, or dataset change) was gone from memory, and the next
 * write, built on it, took it off the disk too. Real files in a temp folder.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableJSONFile } from './durable';
import { findSession, findUser, updateSessions, updateUsers } from './system';
import { createDataset, getDataset, resetDatasetCache, updateDataset } from './datasets';

let root: string;
beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-readrace-'));
	process.env.SPANLAB_DATA = root;
	resetDatasetCache();
	// a slow disk: a read finds the file as it is when it starts, and answers 15 ms later
	// (the window the race needs, which a fast disk opens only now and then)
	const read = DurableJSONFile.prototype.read;
	vi.spyOn(DurableJSONFile.prototype, 'read').mockImplementation(function (this: DurableJSONFile<unknown>) {
		const found = read.call(this);
		return new Promise((resolve, reject) => setTimeout(() => found.then(resolve, reject), 15));
	});
});
afterEach(() => {
	vi.restoreAllMocks();
	fs.rmSync(root, { recursive: true, force: true });
});

const session = (i: number) => ({ hash: `h${i}`, username: 'u'.repeat(2000), created_at: '2026-01-01T00:00:00Z', expires_at: '2999-01-01T00:00:00Z', credential_version: 0 });

/** `writes` (queued on the lock together) while four readers read in a loop, as requests do outside the lock */
async function withReaders(read: () => Promise<unknown>, writes: Array<() => Promise<unknown>>): Promise<void> {
	let done = false;
	const reader = async () => {
		while (!done) await read();
	};
	const readers = [reader(), reader(), reader(), reader()];
	try {
		// all queued at once, as parallel requests are: each write starts the moment the one before ends
		await Promise.all(writes.map((write) => write()));
	} finally {
		done = true;
		await Promise.all(readers);
	}
}

describe('a read racing a write never brings the older content back', () => {
	it('sessions: 60 logins with reads between them are all found, in memory and on disk', async () => {
		await withReaders(
			() => findSession('h0'),
			Array.from({ length: 60 }, (_, i) => () => updateSessions((d) => void d.sessions.push(session(i))))
		);
		for (let i = 0; i < 60; i++) expect(await findSession(`h${i}`), `session ${i}`).toBeDefined();
		const onDisk = JSON.parse(fs.readFileSync(path.join(root, '_system', 'sessions.json'), 'utf8'));
		expect(onDisk.sessions).toHaveLength(60);
	});

	it('users: 40 accounts added with reads between them are all there', async () => {
		await withReaders(
			() => findUser('user0'),
			Array.from({ length: 40 }, (_, i) => () =>
				updateUsers((d) => void d.users.push({ username: `user${i}`, role: 'annotator', password_hash: 'x'.repeat(2000), active: true, created_at: '2026-01-01T00:00:00Z' }))
			)
		);
		for (let i = 0; i < 40; i++) expect(await findUser(`user${i}`), `user${i}`).toBeDefined();
	});

	it('a dataset: 40 changes with reads between them all land', async () => {
		await createDataset({ slug: 'race', title: 'Race', createdBy: 'lead' });
		await updateDataset('race', (d) => void (d.guidelines = 'g'.repeat(100_000)));
		await withReaders(
			() => getDataset('race'),
			Array.from({ length: 40 }, (_, i) => () => updateDataset('race', (d) => void (d.description = `${d.description}${i},`)))
		);
		const parts = (await getDataset('race')).description.split(',').filter(Boolean);
		expect(parts).toHaveLength(40);
		resetDatasetCache();
		expect((await getDataset('race')).description.split(',').filter(Boolean)).toHaveLength(40);
	});
});
