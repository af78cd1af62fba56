import type { ImportState } from './state';
import { concatBytes } from './util';

export type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function asBytes(chunk: unknown): Uint8Array {
	if (chunk instanceof Uint8Array) return chunk;
	if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
	if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
	if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	throw new TypeError(`expected Uint8Array chunks, got ${typeof chunk}`);
}

/** Yields the chunks, counting their bytes against the import's size limit. */
export async function* counted(chunks: Chunks, state: ImportState, file: string): AsyncGenerator<Uint8Array> {
	for await (const c of chunks) {
		const b = asBytes(c);
		state.addBytes(file, b.length);
		yield b;
	}
}

/** Collects a stream into one buffer; with `state`, counts bytes (throws past the size limit). */
export async function readAll(chunks: Chunks, state?: ImportState, file = ''): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	let total = 0;
	for await (const c of chunks) {
		const b = asBytes(c);
		if (state) state.addBytes(file, b.length);
		parts.push(b);
		total += b.length;
	}
	return parts.length === 0 ? new Uint8Array(0) : concatBytes(parts, total);
}

/**
 * Reads at least `n` bytes (or everything, if shorter) from the front of a stream
 * without losing them: `rest` yields the whole stream again, head included.
 * `close()` releases the underlying stream when `rest` is not going to be consumed.
 */
export async function peek(
	stream: Chunks,
	n: number
): Promise<{ head: Uint8Array; rest: AsyncGenerator<Uint8Array>; close: () => Promise<void> }> {
	const it: AsyncIterator<unknown> | Iterator<unknown> =
		Symbol.asyncIterator in stream
			? (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
			: (stream as Iterable<Uint8Array>)[Symbol.iterator]();
	const got: Uint8Array[] = [];
	let len = 0;
	let ended = false;
	while (len < n) {
		const r = await it.next();
		if (r.done) {
			ended = true;
			break;
		}
		const b = asBytes(r.value);
		got.push(b);
		len += b.length;
	}
	const head = got.length === 1 ? got[0].subarray(0, n) : concatBytes(got, len).subarray(0, n);
	const close = async () => {
		if (!ended) {
			ended = true;
			await it.return?.();
		}
	};
	async function* rest(): AsyncGenerator<Uint8Array> {
		try {
			for (const b of got) yield b;
			got.length = 0;
			while (!ended) {
				const r = await it.next();
				if (r.done) {
					ended = true;
					break;
				}
				yield asBytes(r.value);
			}
		} finally {
			await close();
		}
	}
	return { head, rest: rest(), close };
}

/**
 * Splits a byte stream into lines on LF (0x0A), across chunk boundaries. Lines are
 * yielded without the LF (a preceding CR is kept). Splitting on bytes is safe for
 * UTF-8: 0x0A never occurs inside a multi-byte sequence. A line that lies within one
 * chunk is a view of it (valid until the next line is requested); only pieces carried
 * over a chunk boundary are copied.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	let carry: Uint8Array[] = [];
	let carryLen = 0;
	for await (const chunk of chunks) {
		const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength); // memchr indexOf
		let start = 0;
		for (;;) {
			const nl = buf.indexOf(10, start);
			if (nl === -1) break;
			let line: Uint8Array = chunk.subarray(start, nl);
			if (carryLen > 0) {
				carry.push(line);
				line = concatBytes(carry, carryLen + line.length);
				carry = [];
				carryLen = 0;
			}
			yield line;
			start = nl + 1;
		}
		if (start < chunk.length) {
			carry.push(chunk.slice(start)); // copy: the producer may reuse its buffer
			carryLen += chunk.length - start;
		}
	}
	if (carryLen > 0) yield concatBytes(carry, carryLen);
}
