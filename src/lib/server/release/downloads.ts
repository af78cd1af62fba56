/**
 * A release's downloads (the stored JSONL as it is, or converted to another format
 * line by line) and the comparison of two releases, both streaming from the store.
 */
import { Zip, ZipDeflate } from 'fflate';
import { store } from '../store';
import { diffReleases, type ReleaseDiff } from '../../release/diff';
import { toConll, toDoccano, toProdigy } from '../../release/formats';
import { bratConf, bratPaths, toBratAnn, toDoccanoRelations, toLabelStudioTask } from '../../release/interchange';
import type { ReleaseManifest, ReleaseRecord, ReleaseTokenizer, Unrepresentable } from '../../release/record';
import { countUnrepresentable, currentTokenizer, noLosses, sameTokenizer } from './losses';
import type { WordTokens } from '../../text/words';
import type { ReleaseFormat } from './releases';

export interface ReleaseDownload {
	body: ReadableStream<Uint8Array>;
	contentType: string;
	filename: string;
	/** bytes, when known in advance (the stored JSONL) */
	size?: number;
	/** spans of the release this format does not hold (X-Spanlab-Unrepresentable-Spans) */
	unrepresentable: number;
	/** the tokenizer the conversion used, when it tokenises (X-Spanlab-Tokenizer) */
	tokenizer?: ReleaseTokenizer;
	/** the tokenizer of the runtime that cut the release, when it differs from `tokenizer` or was not recorded (X-Spanlab-Release-Tokenizer) */
	releaseTokenizer?: ReleaseTokenizer | null;
}

const FORMAT_FILES: Record<ReleaseFormat, { suffix: string; contentType: string }> = {
	jsonl: { suffix: '.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	doccano: { suffix: '.doccano.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	prodigy: { suffix: '.prodigy.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	conll: { suffix: '.conll', contentType: 'text/plain; charset=utf-8' },
	'doccano-relations': { suffix: '.doccano-relations.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	brat: { suffix: '.brat.zip', contentType: 'application/zip' },
	labelstudio: { suffix: '.labelstudio.json', contentType: 'application/json; charset=utf-8' }
};

/** The formats with relations and attributes (../release/interchange.ts): they hold every span of a release. */
type InterchangeFormat = 'doccano-relations' | 'brat' | 'labelstudio';
const isInterchange = (f: ReleaseFormat): f is InterchangeFormat => f === 'doccano-relations' || f === 'brat' || f === 'labelstudio';

/** Label Studio's export is one JSON array: its tasks, one a line, between "[" and "]". */
async function* labelStudioPieces(records: AsyncIterable<ReleaseRecord>): AsyncGenerator<string> {
	let n = 0;
	for await (const r of records) yield (n++ === 0 ? '[\n' : ',\n') + JSON.stringify(toLabelStudioTask(r, n));
	yield n === 0 ? '[]\n' : '\n]\n';
}

/**
 * A brat standoff zip, built as it streams: `annotation.conf` (the release's
 * label set and relation types), then `<annotator>/<doc_id>.txt` and `.ann`
 * per record. Each entry is deflated whole (records are one document each).
 */
async function* bratZip(records: AsyncIterable<ReleaseRecord>, manifest: ReleaseManifest): AsyncGenerator<Uint8Array> {
	const out: Uint8Array[] = [];
	let failure: Error | null = null;
	const zip = new Zip((err, chunk) => {
		if (err) failure = err;
		else out.push(chunk);
	});
	const encoder = new TextEncoder();
	const add = (name: string, text: string) => {
		const entry = new ZipDeflate(name, { level: 6 });
		zip.add(entry);
		entry.push(encoder.encode(text), true);
	};
	// none in releases cut before relations
	const relationTypes = manifest.relation_types ?? [];
	add('annotation.conf', bratConf(manifest.labels, relationTypes));
	const drain = function* () {
		if (failure) throw failure;
		while (out.length) yield out.shift()!;
	};
	yield* drain();
	for await (const r of records) {
		const paths = bratPaths(r);
		add(paths.txt, r.text);
		add(paths.ann, toBratAnn(r));
		yield* drain();
	}
	zip.end();
	yield* drain();
}

/** A pull-based byte stream over byte chunks; cancelling stops the source. */
function byteStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
	const it = chunks[Symbol.asyncIterator]();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await it.next();
			if (done) controller.close();
			else controller.enqueue(value);
		},
		async cancel() {
			await it.return?.(undefined);
		}
	});
}

function interchangeBody(format: InterchangeFormat, records: AsyncIterable<ReleaseRecord>, manifest: ReleaseManifest): ReadableStream<Uint8Array> {
	if (format === 'brat') return byteStream(bratZip(records, manifest));
	if (format === 'labelstudio') return textStream(labelStudioPieces(records));
	return textStream(convert(records, toDoccanoRelations));
}

const CONVERTERS: Record<Exclude<ReleaseFormat, 'jsonl' | InterchangeFormat>, (r: ReleaseRecord, losses: Unrepresentable) => string> = {
	doccano: toDoccano,
	prodigy: toProdigy,
	conll: (r, losses) => toConll(r, losses.conll_columns).lines
};

/**
 * What the exports of a release lose, from its manifest when this runtime
 * tokenises as the one that cut it, otherwise counted again from the file
 * (one streaming pass: releases cut before the counts were recorded, or
 * after an ICU or word-definition change).
 */
async function unrepresentableOf(slug: string, manifest: ReleaseManifest): Promise<Unrepresentable> {
	if (manifest.unrepresentable && sameTokenizer(manifest.tokenizer, currentTokenizer())) return manifest.unrepresentable;
	const losses = noLosses();
	const words: { text: string | null; tokens?: WordTokens } = { text: null };
	for await (const record of await store.releases.records(slug, manifest.version)) countUnrepresentable(record, losses, words);
	return losses;
}

async function* convert(records: AsyncIterable<ReleaseRecord>, fn: (r: ReleaseRecord) => string): AsyncGenerator<string> {
	for await (const r of records) yield fn(r);
}

/** A pull-based byte stream over text pieces, batched into chunks of ~64 KiB; cancelling stops the source. */
function textStream(pieces: AsyncIterable<string>): ReadableStream<Uint8Array> {
	const it = pieces[Symbol.asyncIterator]();
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			let chunk = '';
			while (chunk.length < 64 * 1024) {
				const { value, done } = await it.next();
				if (done) {
					if (chunk) controller.enqueue(encoder.encode(chunk));
					controller.close();
					return;
				}
				chunk += value;
			}
			controller.enqueue(encoder.encode(chunk));
		},
		async cancel() {
			await it.return?.(undefined);
		}
	});
}

/** The stored JSONL as it is, or converted to another format line by line. */
export async function openRelease(slug: string, version: number, format: ReleaseFormat = 'jsonl'): Promise<ReleaseDownload> {
	const manifest = await store.releases.manifest(slug, version);
	const { suffix, contentType } = FORMAT_FILES[format];
	const filename = `${slug}-${manifest.name}${suffix}`;
	if (format !== 'jsonl') {
		// notFound when the file is missing, before any byte is sent
		const records = await store.releases.records(slug, version);
		if (isInterchange(format)) return { body: interchangeBody(format, records, manifest), contentType, filename, unrepresentable: 0 };
		const losses = format === 'conll' ? await unrepresentableOf(slug, manifest) : noLosses();
		const converter = CONVERTERS[format];
		const body = textStream(convert(records, (r) => converter(r, losses)));
		const tokenizer = format === 'doccano' ? undefined : currentTokenizer();
		const download: ReleaseDownload = { body, contentType, filename, unrepresentable: losses[format], tokenizer };
		if (tokenizer && !sameTokenizer(manifest.tokenizer, tokenizer)) download.releaseTokenizer = manifest.tokenizer ?? null;
		return download;
	}
	const { body, size } = await store.releases.bytes(slug, version);
	return { body, contentType, filename, size, unrepresentable: 0 };
}

type ReleaseHead = Pick<ReleaseManifest, 'version' | 'name' | 'created_at' | 'created_by' | 'source' | 'note'> & {
	/** null for releases cut before the tokenizer was recorded */
	tokenizer: ReleaseTokenizer | null;
};

export interface ReleaseComparison extends ReleaseDiff {
	a: ReleaseHead;
	b: ReleaseHead;
	/**
	 * Whether the two releases' token indices (Prodigy, CoNLL) come from the same
	 * word definition, ICU and Unicode versions: false when they differ, null when
	 * either release did not record its tokenizer.
	 */
	same_tokenizer: boolean | null;
}

function releaseHead(m: ReleaseManifest): ReleaseHead {
	return {
		version: m.version,
		name: m.name,
		created_at: m.created_at,
		created_by: m.created_by,
		source: m.source,
		note: m.note,
		tokenizer: m.tokenizer ?? null
	};
}

/** What changed from release `a` to release `b` (either order), streaming both files. */
export async function compareReleases(slug: string, a: number, b: number, limit = 1000): Promise<ReleaseComparison> {
	const [ma, mb] = [await store.releases.manifest(slug, a), await store.releases.manifest(slug, b)];
	const diff = await diffReleases(await store.releases.records(slug, a), await store.releases.records(slug, b), { limit });
	const same_tokenizer = ma.tokenizer && mb.tokenizer ? sameTokenizer(ma.tokenizer, mb.tokenizer) : null;
	return { a: releaseHead(ma), b: releaseHead(mb), same_tokenizer, ...diff };
}
