import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeHolder, LOCK_FILE, readHolder, takeDataLockWaiting, tryTakeDataLock, type LockHolder } from './dataLock';
import { bootId, processStartTicks } from './processes';

let root: string;
const children: ChildProcess[] = [];

/** A live process other than this one (sleeps until killed). */
function liveProcess(): ChildProcess {
	const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
	children.push(child);
	return child;
}

/** A pid that no process has: a process that ran and exited. */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
	await new Promise((resolve) => child.on('exit', resolve));
	return child.pid!;
}

function writeLock(holder: Partial<LockHolder>): void {
	const record: LockHolder = {
		kind: 'server',
		command: 'server',
		pid: 1,
		hostname: os.hostname(),
		boot_id: bootId(),
		process_start: null,
		started_at: '2026-01-01T00:00:00.000Z',
		nonce: 'abc',
		...holder
	};
	fs.writeFileSync(path.join(root, LOCK_FILE), JSON.stringify(record));
}

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-lock-'));
});
afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
	fs.rmSync(root, { recursive: true, force: true });
});

describe('the data folder lock', () => {
	it('is taken once: a second taker gets the holder, with its pid; release frees it', async () => {
		const first = await tryTakeDataLock(root, { kind: 'server', command: 'server', socket: '/x.sock' });
		expect(first.taken).toBe(true);
		if (!first.taken) return;
		expect(first.tookOverFrom).toBeNull();
		const recorded = readHolder(root)!;
		expect(recorded).toMatchObject({ kind: 'server', pid: process.pid, hostname: os.hostname(), socket: '/x.sock', folder: fs.realpathSync(root) });
		expect(recorded.process_start).toBe(processStartTicks(process.pid));
		// this process again (a second store in one process is still a second writer): only a live other holder refuses,
		// so the test stands in for a second process with a lock record of a live child
		first.lock.release();
		expect(fs.existsSync(path.join(root, LOCK_FILE))).toBe(false);

		const child = liveProcess();
		writeLock({ pid: child.pid!, process_start: processStartTicks(child.pid!), folder: fs.realpathSync(root), nonce: 'live' });
		const second = await tryTakeDataLock(root, { kind: 'server', command: 'server' });
		expect(second.taken).toBe(false);
		if (second.taken) return;
		expect(second.holder.pid).toBe(child.pid);
		expect(second.lockFile).toBe(path.join(root, LOCK_FILE));
		expect(describeHolder(second.holder)).toBe(`a spanlab server (pid ${child.pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z)`);
	});

	it('takes over a stale lock: dead pid, pid reused by another process, another boot, this pid, another folder, unreadable file', async () => {
		const live = liveProcess();
		const cases: Array<Partial<LockHolder>> = [
			{ pid: await deadPid(), nonce: 'dead' },
			{ pid: live.pid!, process_start: '1', nonce: 'reused' }, // the pid runs, but it started at another time
			{ pid: live.pid!, boot_id: 'another-boot', nonce: 'rebooted' },
			{ pid: process.pid, nonce: 'previous-life' }
		];
		for (const stale of cases) {
			writeLock(stale);
			const result = await tryTakeDataLock(root, { kind: 'cli', command: 'npm run import' });
			expect(result.taken, stale.nonce).toBe(true);
			if (!result.taken) return;
			expect(result.tookOverFrom?.nonce).toBe(stale.nonce);
			expect(readHolder(root)?.nonce).toBe(result.lock.holder.nonce);
			result.lock.release();
		}
		// a copy of a folder in use (a backup, restored elsewhere) carries the original's live lock: not the copy's
		writeLock({ pid: live.pid!, process_start: processStartTicks(live.pid!), folder: '/somewhere/else', nonce: 'copied' });
		const copied = await tryTakeDataLock(root, { kind: 'server', command: 'server' });
		expect(copied.taken && copied.tookOverFrom?.nonce).toBe('copied');
		if (copied.taken) copied.lock.release();
		fs.writeFileSync(path.join(root, LOCK_FILE), 'not json');
		const result = await tryTakeDataLock(root, { kind: 'cli', command: 'npm run user' });
		expect(result.taken).toBe(true);
	});

	it('a lock of another host is never judged stale', async () => {
		writeLock({ hostname: 'elsewhere.example', pid: await deadPid() });
		const result = await tryTakeDataLock(root, { kind: 'server', command: 'server' });
		expect(result.taken).toBe(false);
	});

	it('release removes only its own holding', async () => {
		const result = await tryTakeDataLock(root, { kind: 'cli', command: 'npm run release' });
		if (!result.taken) throw new Error('not taken');
		writeLock({ pid: liveProcess().pid!, nonce: 'someone-else' }); // replaced by hand
		expect(result.lock.held()).toBe(false);
		result.lock.release();
		expect(readHolder(root)?.nonce).toBe('someone-else');
	});

	it('of 8 takers racing for a stale lock, exactly one wins', async () => {
		writeLock({ pid: await deadPid(), nonce: 'dead' });
		const script = `
			import { tryTakeDataLock } from ${JSON.stringify(path.resolve('src/lib/server/store/file/dataLock.ts'))};
			const r = await tryTakeDataLock(process.argv[1], { kind: 'cli', command: 'race' });
			console.log(r.taken ? 'taken' : 'refused');
			setTimeout(() => {}, 60000); // holds it until the test has heard from every taker
		`;
		const outputs = await Promise.all(
			Array.from({ length: 8 }, () => {
				const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, root], { stdio: ['ignore', 'pipe', 'inherit'] });
				children.push(child);
				let out = '';
				return new Promise<string>((resolve) => {
					child.stdout!.on('data', (d) => {
						out += d;
						if (out.includes('\n')) resolve(out.trim());
					});
					child.on('exit', () => resolve(out.trim()));
				});
			})
		);
		expect(outputs.filter((o) => o === 'taken')).toHaveLength(1);
		expect(outputs.filter((o) => o === 'refused')).toHaveLength(7);
	}, 30_000);

	it('a tool waits while another tool holds the lock, and not for a server', async () => {
		const child = liveProcess();
		writeLock({ kind: 'cli', command: 'npm run import', pid: child.pid!, process_start: processStartTicks(child.pid!), nonce: 'tool' });
		const waitedFor: string[] = [];
		const waiting = takeDataLockWaiting(root, { kind: 'cli', command: 'npm run user' }, { pollMs: 20, onWait: (h) => waitedFor.push(h.command) });
		await new Promise((r) => setTimeout(r, 200));
		child.kill('SIGKILL');
		const result = await waiting;
		expect(result.taken).toBe(true);
		expect(waitedFor).toEqual(['npm run import']);
		if (result.taken) result.lock.release();

		const server = liveProcess();
		writeLock({ kind: 'server', pid: server.pid!, process_start: processStartTicks(server.pid!), nonce: 'server' });
		const toServer = await takeDataLockWaiting(root, { kind: 'cli', command: 'npm run user' }, { pollMs: 20 });
		expect(toServer.taken).toBe(false);
	});
});
