/**
 * A server's claim on its data folder: the folder's lock (the file store's dataLock.ts)
 * for as long as it runs, and its control socket for the command-line tools.
 * A second server on a folder in use refuses to start; a command-line tool
 * holding the folder is waited for (its run is short).
 */
import { describeHolder, hostname, takeDataLockWaiting } from '../store';
import { listenControlSocket, socketPathFor } from './socket';

let closeSocket: (() => void) | null = null;

/** Takes the folder's lock, or exits the process with a message that says who holds it. */
export async function claimDataFolder(root: string): Promise<void> {
	let result;
	try {
		result = await takeDataLockWaiting(
			root,
			{ kind: 'server', command: 'server', socket: socketPathFor(root) },
			{ onWait: (holder) => console.log(`spanlab: waiting for ${describeHolder(holder)} to finish with ${root}`) }
		);
	} catch (e) {
		// a folder nobody can write to (read-only, not ours, full) cannot get a second writer from here either:
		// serve it (reads work; writes get their own clear answers) and say what is missing
		const code = (e as NodeJS.ErrnoException).code;
		if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM' && code !== 'ENOSPC') throw e;
		console.error(`spanlab: could not take the data folder's lock (${code}: ${(e as Error).message}); starting without it`);
		return;
	}
	if (!result.taken) {
		const { holder } = result;
		const elsewhere = holder.hostname !== hostname();
		console.error(
			`spanlab: cannot start: the data folder ${root} is in use by ${describeHolder(holder)}. ` +
				'One server per data folder: stop that one first, or set SPANLAB_DATA to another folder.' +
				(elsewhere ? ` (That process runs on another host and cannot be checked from here; if it is gone, remove ${result.lockFile}.)` : '')
		);
		process.exit(1);
	}
	if (result.tookOverFrom) {
		console.log(`spanlab: took over the data folder's lock from ${describeHolder(result.tookOverFrom)}, which is no longer running`);
	}
	const { lock } = result;
	// on every exit but kill -9 (which the next start detects as stale)
	process.on('exit', () => {
		closeSocket?.();
		lock.release();
	});
	// the lock file removed or replaced by hand would let a second writer in: said loudly, once
	const watch = setInterval(() => {
		if (lock.held()) return;
		console.error(`spanlab: the lock file ${lock.file} is no longer this server's (removed or replaced by hand?): another process may now write to ${root}`);
		clearInterval(watch);
	}, LOCK_CHECK_MS);
	watch.unref();
}

const LOCK_CHECK_MS = 10_000;

/** Opens the control socket; called once the data folder is ready for commands (recoveries done). */
export async function openControlSocket(root: string): Promise<void> {
	try {
		const socket = await listenControlSocket(root);
		closeSocket = socket.close;
	} catch (e) {
		// a file system without sockets, a read-only folder: the server still serves; the tools say they found no socket
		console.error(`spanlab: could not open the control socket for the command-line tools: ${(e as Error).message}`);
	}
}
