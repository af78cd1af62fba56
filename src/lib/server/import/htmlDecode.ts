/**
 * Bytes of an imported HTML page to text, on the main thread; the parsing is
 * in a worker (htmlPool.ts), and this module is kept apart from html.ts so the
 * server loads the parser (linkedom, Readability) only in that worker.
 */
import { firstInvalidUtf8, hasUtf8Bom, lineOfByte } from './util';

const CHARSET_RE = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

/**
 * Decodes an HTML file: UTF-8 (strict) unless a BOM-less `<meta charset>` in the first
 * 1024 bytes names another encoding the runtime knows (e.g. windows-1252), which is then
 * used. Returns the problem (with line) for invalid UTF-8.
 */
export function decodeHtml(bytes: Uint8Array): { html: string } | { line: number; message: string } {
	if (!hasUtf8Bom(bytes)) {
		const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
		const m = CHARSET_RE.exec(head);
		if (m) {
			let dec: TextDecoder | null = null;
			try {
				dec = new TextDecoder(m[1].toLowerCase());
			} catch {
				dec = null; // unknown label: decode as UTF-8
			}
			if (dec && dec.encoding !== 'utf-8' && !dec.encoding.startsWith('utf-16')) return { html: dec.decode(bytes) };
		}
	}
	const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
	try {
		return { html: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
	} catch {
		const at = firstInvalidUtf8(body);
		return { line: lineOfByte(body, at), message: `invalid UTF-8 (at byte ${at + (body === bytes ? 1 : 4)} of the file)` };
	}
}
