import type { ImportFormat } from './types';
import { extensionOf } from './util';
import { own } from '../../model/dict';

/** Bytes of the file head `detectFormat` looks at. */
export const SNIFF_BYTES = 1024;

const EXTENSIONS: Record<string, ImportFormat> = {
	txt: 'txt',
	text: 'txt',
	jsonl: 'jsonl',
	ndjson: 'jsonl',
	html: 'html',
	htm: 'html',
	xhtml: 'html',
	tml: 'timeml',
	ann: 'brat',
	zip: 'zip'
};

export const SUPPORTED_EXTENSIONS = '.txt, .jsonl, .ndjson, .html, .htm, .tml (TimeML), .json (Label Studio), .ann (brat, with its .txt) or .zip';

/** brat's configuration files: part of a brat folder, no documents in them */
const BRAT_CONF = new Set(['annotation.conf', 'visual.conf', 'tools.conf', 'kb_shortcuts.conf']);

export function isZipMagic(head: Uint8Array): boolean {
	// local file header, or end of central directory (an empty archive)
	return (
		head.length >= 4 &&
		head[0] === 0x50 &&
		head[1] === 0x4b &&
		((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
	);
}

/** First non-whitespace characters of `head` (after a UTF-8 BOM), lower-cased, at most `n`. */
function leadingText(head: Uint8Array, n: number): string {
	let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
	let s = '';
	for (let k = i; k < head.length && s.length < n; k++) s += String.fromCharCode(head[k]);
	return s.toLowerCase();
}

function looksLikeHtml(head: Uint8Array): boolean {
	const s = leadingText(head, 64);
	return /^<(!doctype\s+html|html[\s>]|head[\s>]|!--)/.test(s) || /^<\?xml[^>]*>\s*<(!doctype\s+html|html)/.test(s);
}

function looksLikeBinary(head: Uint8Array): boolean {
	for (let i = 0; i < head.length; i++) if (head[i] === 0) return true;
	return false;
}

/**
 * Format of a file from its name and first bytes (`SNIFF_BYTES` suffice), or null
 * when it is not importable.
 *
 * - A known extension decides (`.txt`/`.text`, `.jsonl`/`.ndjson`, `.html`/`.htm`/`.xhtml`,
 *   `.zip`), except that content contradicting it is refused: a `.zip` without the zip
 *   signature, and a text format whose head is a zip archive or contains NUL bytes.
 * - `.json` is accepted as JSONL when it starts with `{` (a JSON array is not supported).
 * - Without an extension the content decides: zip signature → zip, `<!doctype html`/`<html`
 *   → html, `{` → jsonl, other text → txt.
 * - Any other extension (.pdf, .docx, .md, …) → null.
 */
export function detectFormat(name: string, head: Uint8Array): ImportFormat | null {
	const ext = extensionOf(name);
	if (BRAT_CONF.has((name.split('/').pop() ?? name).toLowerCase())) return looksLikeBinary(head) ? null : 'brat-conf';
	const byExt = own(EXTENSIONS, ext); // "x.constructor" has no format
	if (byExt === 'zip') return isZipMagic(head) ? 'zip' : null;
	if (byExt) return isZipMagic(head) || looksLikeBinary(head) ? null : byExt;
	if (ext === 'json') {
		if (looksLikeBinary(head)) return null;
		const first = leadingText(head, 1);
		return first === '{' ? 'jsonl' : first === '[' ? 'labelstudio' : null;
	}
	if (ext !== '') return null;
	if (isZipMagic(head)) return 'zip';
	if (looksLikeBinary(head)) return null;
	if (looksLikeHtml(head)) return 'html';
	if (leadingText(head, 1) === '{') return 'jsonl';
	return 'txt';
}

/** Explains why `detectFormat` returned null, for the problem message. */
export function unsupportedReason(name: string, head: Uint8Array): string {
	const ext = extensionOf(name);
	if (ext === 'zip') return 'not a zip archive (the zip signature is missing)';
	if (own(EXTENSIONS, ext) || ext === '') {
		if (isZipMagic(head)) return `.${ext || '(no extension)'} file is actually a zip archive; rename it to .zip`;
		return 'file looks binary (it contains NUL bytes); text files must be UTF-8 (UTF-16 is not supported)';
	}
	if (ext === 'json') return 'a .json file must contain one JSON object per line (JSONL) or be a Label Studio export (a JSON array of tasks)';
	return `unsupported file type ".${ext}" (expected ${SUPPORTED_EXTENSIONS})`;
}
