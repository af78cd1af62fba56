/**
 * Is a process still running? For the data folder's lock (dataLock.ts) and the
 * sweep of temp files (durable.ts), which must never take what a live process
 * of this host is holding or writing.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Whether `pid` names a running process of this host (EPERM: it runs, under another user). */
export function isProcessAlive(pid: number): boolean {
	if (!Number.isSafeInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * When the process started, in clock ticks since boot (field 22 of
 * /proc/<pid>/stat), or null where /proc is not available. With the boot id,
 * it tells a live holder from an unrelated process that got the same pid later.
 */
export function processStartTicks(pid: number): string | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// the fields after the command name, which is in parentheses and may contain anything
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

let cachedBootId: string | null | undefined;

/** This boot of this host (Linux), or null: pids and start ticks only mean something within one boot. */
export function bootId(): string | null {
	if (cachedBootId === undefined) {
		try {
			cachedBootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
		} catch {
			cachedBootId = null;
		}
	}
	return cachedBootId;
}

export const hostname = (): string => os.hostname();
