/**
 * Request bodies read as streams (imports, prediction uploads). When the consumer
 * stops early (a size limit, a format refused at once), the rest of the body is read
 * and dropped in the background rather than cancelled: cancelling resets the
 * connection, and the client would never see the 413 or 400. adapter-node's
 * BODY_SIZE_LIMIT bounds that reading.
 */

/** What a body that cannot be read to its end is refused with. */
export interface BodyRefusals {
	/** the body is over adapter-node's BODY_SIZE_LIMIT */
	tooLarge: () => Error;
	/** the client went away mid-body */
	interrupted: () => Error;
}

/** A web stream's chunks; see the module comment for what stopping early does. */
export async function* bodyChunks(stream: ReadableStream<Uint8Array> | null, refuse: BodyRefusals): AsyncGenerator<Uint8Array> {
	if (!stream) return;
	const reader = stream.getReader();
	let done = false;
	try {
		for (;;) {
			let result: ReadableStreamReadResult<Uint8Array>;
			try {
				result = await reader.read();
			} catch (e) {
				done = true;
				if ((e as { status?: number }).status === 413) throw refuse.tooLarge();
				throw refuse.interrupted();
			}
			if (result.done) {
				done = true;
				return;
			}
			yield result.value;
		}
	} finally {
		if (!done) void discard(reader);
	}
}

/** Refusing a body without reading it: drop it in the background. */
export function dropBody(request: Request): void {
	if (request.body && !request.bodyUsed) void discard(request.body.getReader());
}

async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done) {
			/* dropped */
		}
	} catch {
		/* the client went away, or the body limit: nothing left to do */
	}
}
