/**
 * The server's control socket: a Unix-domain socket through which the
 * command-line tools (`npm run import|release|user`) have the running server
 * carry out their command, so that there is one writer per data folder and
 * the server's caches see every change at once.
 *
 * Authority: whoever may open the socket, which lives in the data folder
 * (`<data>/spanlab.sock`, mode 0600) — the same people who could edit the
 * folder's files directly, as the tools did before. It is never a TCP port.
 *
 * Wire format (newline-delimited JSON): the tool sends one line, the command
 * (commands.ts), and for an import the files' bytes right after it, back to
 * back, each exactly as long as the command says. The server answers with
 * `{"progress": …}` lines while it works and one last line,
 * `{"result": …}` or `{"error": {"message": …, "status": …}}`.
 *
 * node:fs here, not in the store: the socket file (`spanlab.sock`) is the server's
 * endpoint in the data folder, not data; the store never reads or writes it.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ZodError } from 'zod';
import { commandSchema, runCommand, type Command } from './commands';
import { badRequest, isDomainError } from '../http/errors';
import type { InputFile } from '../import';

export const SOCKET_FILE = 'spanlab.sock';
/** The command line of a request (the files' bytes follow it). */
const MAX_COMMAND_BYTES = 1024 * 1024;
/** sun_path holds 108 bytes on Linux, 104 on macOS */
const MAX_SOCKET_PATH = 100;

/**
 * Where the server of `root` listens: in the data folder, or — when that path
 * is too long for a Unix socket — in the temp folder under a name derived
 * from the folder (the lock file records which, for the tools).
 */
export function socketPathFor(root: string): string {
	const inFolder = path.join(root, SOCKET_FILE);
	if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) return inFolder;
	const hash = createHash('sha256').update(root).digest('hex').slice(0, 16);
	return path.join(os.tmpdir(), `spanlab-${hash}.sock`);
}

export interface WireError {
	message: string;
	status?: number;
	details?: Record<string, unknown>;
}

export function toWireError(e: unknown): WireError {
	if (isDomainError(e)) return { message: e.message, status: e.status, ...(e.details ? { details: e.details } : {}) };
	if (e instanceof ZodError) return { message: e.issues.map((i) => i.message).join('; '), status: 400 };
	console.error('spanlab: a command from the control socket failed:', e);
	return { message: `internal error: ${(e as Error).message}`, status: 500 };
}

/** Reads a socket as a sequence of exact byte counts (pull-based, so a slow importer slows the sender). */
class SocketReader {
	private pending: Buffer = Buffer.alloc(0);
	private readonly chunks: AsyncIterator<Buffer>;
	constructor(socket: net.Socket) {
		// not destroyed when the tool ends its side: the answer is still to be written
		this.chunks = socket.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	}

	private async more(): Promise<boolean> {
		const { value, done } = await this.chunks.next();
		if (done) return false;
		this.pending = this.pending.length ? Buffer.concat([this.pending, value]) : value;
		return true;
	}

	/** The first line, without its newline; null if the connection ended first or it is too long. */
	async line(limit: number): Promise<string | null> {
		for (;;) {
			const newline = this.pending.indexOf(0x0a);
			if (newline !== -1) {
				const line = this.pending.toString('utf8', 0, newline);
				this.pending = this.pending.subarray(newline + 1);
				return line;
			}
			if (this.pending.length > limit || !(await this.more())) return null;
		}
	}

	/** Exactly `size` bytes, as chunks; throws if the connection ends first. */
	async *bytes(size: number): AsyncGenerator<Uint8Array> {
		let left = size;
		while (left > 0) {
			if (this.pending.length === 0 && !(await this.more())) throw badRequest('the connection ended in the middle of a file');
			const take = Math.min(left, this.pending.length);
			const chunk = this.pending.subarray(0, take);
			this.pending = this.pending.subarray(take);
			left -= take;
			yield chunk;
		}
	}
}

/** The import's files as they arrive; a file the importer did not read to its end is skipped over first. */
async function* incomingFiles(reader: SocketReader, files: Array<{ name: string; size: number }>): AsyncGenerator<InputFile> {
	for (const file of files) {
		const body = reader.bytes(file.size);
		let finished = false;
		const stream = (async function* () {
			yield* body;
			finished = true;
		})();
		yield { name: file.name, stream };
		if (!finished) for await (const _ of body) void _;
	}
}

async function serveConnection(socket: net.Socket): Promise<void> {
	const send = (message: unknown) => {
		if (!socket.destroyed) socket.write(JSON.stringify(message) + '\n');
	};
	// after the answer: whatever the tool still sends (files of a refused import) is read and dropped until
	// the tool, having read the answer, hangs up. Closing our side at once would make its next write fail
	// (EPIPE) before it had read the answer, and it would report that instead of the refusal.
	const finish = () => {
		socket.end();
		socket.on('data', () => {});
		socket.resume();
		socket.once('end', () => socket.destroy());
		const timer = setTimeout(() => socket.destroy(), 30_000);
		timer.unref();
		socket.once('close', () => clearTimeout(timer));
	};
	const reader = new SocketReader(socket);
	const line = await reader.line(MAX_COMMAND_BYTES);
	if (line === null) {
		send({ error: { message: 'no command (one JSON line, at most 1 MiB)', status: 400 } });
		finish();
		return;
	}
	let command: Command;
	try {
		command = commandSchema.parse(JSON.parse(line));
	} catch (e) {
		send({ error: e instanceof SyntaxError ? { message: `the command is not JSON: ${e.message}`, status: 400 } : toWireError(e) });
		finish();
		return;
	}
	try {
		const result = await runCommand(command, {
			files: command.command === 'import' ? incomingFiles(reader, command.files) : undefined,
			onProgress: (progress) => send({ progress })
		});
		send({ result });
	} catch (e) {
		send({ error: toWireError(e) });
	}
	finish();
}

/**
 * Listens on the control socket of `root` (replacing a socket file a crashed
 * server left: the caller holds the folder's lock, so no live server owns it).
 */
export async function listenControlSocket(root: string): Promise<{ path: string; close: () => void }> {
	const socketPath = socketPathFor(root);
	fs.rmSync(socketPath, { force: true });
	// allowHalfOpen: a tool may end its side once it has sent everything, and still get its answer
	const server = net.createServer({ allowHalfOpen: true }, (socket) => {
		socket.on('error', () => socket.destroy()); // a tool that went away
		serveConnection(socket).catch((e) => {
			console.error('spanlab: control socket:', e);
			socket.destroy();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// only the owner may connect (the folder's permissions usually say as much already)
		const umask = process.umask(0o177);
		try {
			server.listen(socketPath, () => {
				server.off('error', reject);
				resolve();
			});
		} finally {
			process.umask(umask);
		}
	});
	fs.chmodSync(socketPath, 0o600);
	server.unref(); // the HTTP server keeps the process alive, not this
	return {
		path: socketPath,
		close: () => {
			server.close();
			try {
				fs.rmSync(socketPath, { force: true });
			} catch {
				// the folder is gone or read-only: the next server replaces it
			}
		}
	};
}
