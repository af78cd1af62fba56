/**
 * How a command-line tool writes to a data folder without a second writer:
 * when a live server holds the folder's lock, the command goes to the
 * server's control socket (socket.ts) and the server carries it out, its
 * caches seeing the change at once; otherwise the tool takes the lock itself
 * for its run (waiting while another tool holds it) and runs the command in
 * its own process. A server starting meanwhile waits for the tool. On the
 * PostgreSQL store there is no folder to guard: the tool runs its command
 * against the database itself.
 *
 * node:fs here, not in the store: the tool streams the files it was given on its
 * command line (the user's own files, not the data folder) to the server.
 */
import fs from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { dataRoot } from '../config';
import { describeHolder, holderMayBeAlive, lockFileOf, readHolder, store, storeKind, takeDataLockWaiting, type LockHolder, type TakeResult } from '../store';
import { DomainError } from '../http/errors';
import type { ImportProgress } from '../import/importer';
import type { InputFile } from '../import';
import { runCommand, type Command } from './commands';
import { socketPathFor, type WireError } from './socket';

export interface LocalFile {
	/** the name the import records (the file's base name) */
	name: string;
	path: string;
}

export interface RunOptions {
	/** `npm run import`: recorded in the lock, shown to whoever waits for it */
	tool: string;
	/** the import's files (with `command.files` giving their names and sizes) */
	files?: LocalFile[];
	onProgress?: (progress: ImportProgress) => void;
	/** told when the tool has to wait (another tool holds the folder, the server is starting) */
	onWait?: (message: string) => void;
}

export type RunResult = { via: 'server' | 'local'; result: unknown };

/** How long a tool waits for a server that holds the folder to open its socket (start-up recoveries can take a while). */
const SOCKET_WAIT_MS = Number(process.env.SPANLAB_SOCKET_WAIT_MS || 120_000);

const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC']);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `command` on the configured store. The file store (SPANLAB_DATA): through its running server,
 * or here under its lock. PostgreSQL (SPANLAB_STORE): here, against the database, which keeps its
 * promises with any number of processes (the app's own included) and shows the change to all of them.
 */
export async function runOnDataFolder(command: Command, opts: RunOptions): Promise<RunResult> {
	if (storeKind === 'postgres') {
		await store.init(); // the schema's migrations, if this tool is the first to reach the database
		return { via: 'local', result: await runCommand(command, { files: opts.files && localFiles(opts.files), onProgress: opts.onProgress }) };
	}
	const root = dataRoot();
	let waitingForSocketSince: number | null = null;
	for (;;) {
		let taken: TakeResult;
		try {
			taken = await takeDataLockWaiting(
				root,
				{ kind: 'cli', command: opts.tool },
				{ onWait: (holder) => opts.onWait?.(`waiting for ${describeHolder(holder)} to finish with ${root}…`) }
			);
		} catch (e) {
			// the lock cannot be written here (a read-only or full folder, not ours): a live server holding it still
			// takes the command; otherwise the command runs here, where only reads (`user list`) can succeed anyway
			if (!UNWRITABLE.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
			const holder = readHolder(root);
			if (!holder || holder.kind !== 'server' || !holderMayBeAlive(holder)) {
				return { via: 'local', result: await runCommand(command, { files: opts.files && localFiles(opts.files), onProgress: opts.onProgress }) };
			}
			taken = { taken: false, holder, lockFile: '' };
		}
		if (taken.taken) {
			try {
				const files = opts.files && localFiles(opts.files);
				return { via: 'local', result: await runCommand(command, { files, onProgress: opts.onProgress }) };
			} finally {
				taken.lock.release();
			}
		}
		try {
			return { via: 'server', result: await sendToServer(taken.holder, root, command, opts) };
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code;
			// not listening (yet, or any more): it is starting up (recoveries run before the socket opens) or stopping
			if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw e;
			const socket = taken.holder.socket ?? socketPathFor(root);
			if (waitingForSocketSince === null) {
				waitingForSocketSince = Date.now();
				opts.onWait?.(`waiting for ${describeHolder(taken.holder)} to open its control socket…`);
			} else if (Date.now() - waitingForSocketSince > SOCKET_WAIT_MS) {
				throw new Error(
					`${describeHolder(taken.holder)} holds ${root} but does not answer on its control socket ${socket}; ` +
						'nothing was changed (stop that server, or try again once it has started)'
				);
			}
			await pause(200);
		}
	}
}

function* localFiles(files: LocalFile[]): Generator<InputFile> {
	// opened one at a time, as the importer reaches them
	for (const f of files) yield { name: f.name, stream: fs.createReadStream(f.path, { highWaterMark: 256 * 1024 }) };
}

async function sendToServer(holder: LockHolder, root: string, command: Command, opts: RunOptions): Promise<unknown> {
	const socketPath = holder.socket ?? socketPathFor(root);
	// the socket must be the server's: owned by whoever wrote the lock (a socket in the temp folder could be
	// anyone's, and a command may carry a password)
	const owner = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.uid;
	const socketOwner = owner(socketPath);
	if (socketOwner !== undefined && socketOwner !== owner(lockFileOf(root))) {
		throw new Error(`${socketPath} is not owned by the user of the server that holds ${root}; nothing was sent`);
	}
	const socket = net.connect(socketPath);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	let answered = false;
	const answer = new Promise<unknown>((resolve, reject) => {
		let buffered = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			buffered += chunk;
			for (let newline = buffered.indexOf('\n'); newline !== -1; newline = buffered.indexOf('\n')) {
				const message = JSON.parse(buffered.slice(0, newline)) as { progress?: ImportProgress; result?: unknown; error?: WireError };
				buffered = buffered.slice(newline + 1);
				if (message.progress) opts.onProgress?.(message.progress);
				else if (message.error) {
					answered = true;
					reject(new DomainError(message.error.status ?? 500, message.error.message, message.error.details));
				} else if ('result' in message) {
					answered = true;
					resolve(message.result);
				}
			}
		});
		socket.on('error', (e) => !answered && reject(e));
		socket.on('close', () => !answered && reject(new Error('the server closed the connection without an answer (did it stop?)')));
	});
	const sending = (async () => {
		socket.write(JSON.stringify(command) + '\n');
		if (command.command !== 'import') return;
		for (const [i, file] of (opts.files ?? []).entries()) {
			const size = command.files[i].size;
			let sent = 0;
			if (size > 0) {
				for await (const chunk of fs.createReadStream(file.path, { start: 0, end: size - 1, highWaterMark: 256 * 1024 })) {
					if (answered || socket.destroyed) return;
					sent += (chunk as Buffer).length;
					if (!socket.write(chunk)) await once(socket, 'drain');
				}
			}
			if (sent !== size) throw new Error(`${file.path} changed while it was sent (${sent} of ${size} bytes)`);
		}
	})();
	sending.catch(() => {}); // the answer may come first (a refusal before the files were read): that one counts
	try {
		const [result] = await Promise.all([answer, sending.catch((e) => (answered ? undefined : Promise.reject(e)))]);
		return result;
	} finally {
		socket.destroy();
	}
}
