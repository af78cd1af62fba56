/**
 * The one sha256 of the server: document texts (duplicate detection, release
 * records' `text_sha256`), release files, guidelines, token and session secrets.
 * Hex, lowercase; a string is hashed as its UTF-8 bytes.
 */
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The sha256 of a stream of bytes (a file read in chunks), memory flat in its size. */
export async function sha256Stream(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of chunks) hash.update(chunk);
	return hash.digest('hex');
}

/** A sha256 fed piece by piece (a release hashed as it is written). */
export function sha256Hasher(): { update(data: string | Uint8Array): void; hex(): string } {
	const hash = createHash('sha256');
	return {
		update: (data) => void hash.update(data),
		hex: () => hash.digest('hex')
	};
}
