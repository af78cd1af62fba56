/**
 * The search index on disk, so that the first search after a restart loads it
 * instead of reading every document file: `search-index.bin` in the dataset's
 * folder. Layout (little-endian Uint32 words): the byte length of a JSON header
 * (`{ magic, docs: [[id, sha256, title], …], words: […] }`), the header padded
 * to 4 bytes, WordIndex's sections, then END. Written whole to a temp file,
 * fsynced, renamed over the old one (a kill -9 leaves the old file or the new
 * one, never half of one; temp files are swept at start). Read back, it is
 * trusted only if it parses to the end and every document it names is in the
 * dataset with the same sha256 and title; otherwise the caller rebuilds from
 * the files. Documents the dataset has and the file lacks (an import after the
 * write) are the caller's to add.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { datasetDir } from './paths';
import { fsyncDir, tempPathFor } from './durable';
import { WordIndex } from './wordIndex';
import type { DocumentHeader } from '../../../model/dataset';

const MAGIC = 'spanlab search index 1';
const END = 0x53504958;
const BATCH = 4 * 2 ** 20;

export const searchIndexFile = (slug: string) => path.join(datasetDir(slug), 'search-index.bin');

export async function writeSearchIndex(slug: string, index: WordIndex, headers: Map<string, DocumentHeader>): Promise<void> {
	const file = searchIndexFile(slug);
	const docs = index.docs.map((id) => {
		const h = headers.get(id);
		if (!h) throw new Error(`search index: document ${id} has no header`);
		return [id, h.sha256, h.title];
	});
	const json = Buffer.from(JSON.stringify({ magic: MAGIC, docs, words: index.wordList() }), 'utf8');
	const head = Buffer.alloc(4 + Math.ceil(json.length / 4) * 4);
	head.writeUInt32LE(json.length, 0);
	json.copy(head, 4);
	const temp = tempPathFor(file);
	const handle = await fs.open(temp, 'wx');
	try {
		await handle.write(head);
		let batch: Uint8Array[] = [];
		let bytes = 0;
		const flush = async () => {
			if (batch.length) await handle.writev(batch);
			batch = [];
			bytes = 0;
		};
		for (const section of index.sections()) {
			batch.push(new Uint8Array(section.buffer, section.byteOffset, section.byteLength));
			bytes += section.byteLength;
			// writev takes at most IOV_MAX (1024) buffers at once
			if (bytes > BATCH || batch.length >= 1000) await flush();
		}
		batch.push(new Uint8Array(Uint32Array.of(END).buffer));
		await flush();
		await handle.sync();
	} catch (e) {
		await handle.close();
		await fs.rm(temp, { force: true });
		throw e;
	}
	await handle.close();
	await fs.rename(temp, file);
	await fsyncDir(path.dirname(file));
}

/** The index the file holds, if it is whole and agrees with the dataset's documents; else null. */
export async function readSearchIndex(slug: string, headers: Map<string, DocumentHeader>): Promise<WordIndex | null> {
	let buf: Buffer;
	try {
		buf = await fs.readFile(searchIndexFile(slug));
	} catch {
		return null;
	}
	try {
		if (buf.byteOffset % 4 !== 0) buf = Buffer.from(buf);
		const jsonBytes = buf.readUInt32LE(0);
		const start = 4 + Math.ceil(jsonBytes / 4) * 4;
		if (start + 4 > buf.length || buf.length % 4 !== 0) return null;
		const header = JSON.parse(buf.toString('utf8', 4, 4 + jsonBytes)) as { magic?: unknown; docs?: unknown; words?: unknown };
		if (header.magic !== MAGIC || !Array.isArray(header.docs) || !Array.isArray(header.words)) return null;
		const ids: string[] = [];
		for (const d of header.docs as unknown[]) {
			if (!Array.isArray(d) || d.length !== 3) return null;
			const [id, sha256, title] = d as unknown[];
			const h = typeof id === 'string' ? headers.get(id) : undefined;
			if (!h || h.sha256 !== sha256 || h.title !== title) return null;
			ids.push(h.id);
		}
		if (!(header.words as unknown[]).every((w) => typeof w === 'string')) return null;
		const words32 = new Uint32Array(buf.buffer, buf.byteOffset + start, (buf.length - start) / 4);
		if (words32[words32.length - 1] !== END) return null;
		return WordIndex.fromSections(ids, header.words as string[], words32.subarray(0, words32.length - 1));
	} catch {
		return null;
	}
}
