import { describe, expect, it } from 'vitest';
import { bodyChunks } from './bodyStream';

const refuse = { tooLarge: () => new Error('too large'), interrupted: () => new Error('interrupted') };

/** A stream of `n` one-byte chunks that counts how many were pulled, then fails with `failure` if given. */
function counted(n: number, failure?: unknown) {
	const pulled = { count: 0 };
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (pulled.count === n) {
				if (failure) controller.error(failure);
				else controller.close();
				return;
			}
			controller.enqueue(new Uint8Array([pulled.count++]));
		}
	});
	return { stream, pulled };
}

describe('bodyChunks', () => {
	it('yields every chunk in order', async () => {
		const { stream } = counted(3);
		const got: number[] = [];
		for await (const c of bodyChunks(stream, refuse)) got.push(c[0]);
		expect(got).toEqual([0, 1, 2]);
	});

	it("refuses with the caller's errors: 413 from the adapter as tooLarge, anything else as interrupted", async () => {
		const read = async (failure: unknown) => {
			for await (const _ of bodyChunks(counted(1, failure).stream, refuse));
		};
		await expect(read(Object.assign(new Error('limit'), { status: 413 }))).rejects.toThrow('too large');
		await expect(read(new Error('reset'))).rejects.toThrow('interrupted');
	});

	it('a consumer that stops early leaves the rest to be read and dropped, not cancelled', async () => {
		const { stream, pulled } = counted(50);
		for await (const _ of bodyChunks(stream, refuse)) break;
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(pulled.count).toBe(50);
	});
});
