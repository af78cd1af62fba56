import { firstInvalidUtf8, firstLineTitle, hasUtf8Bom, lineOfByte, stripExtension } from './util';

/**
 * Decodes a plain-text document: strict UTF-8, a leading BOM dropped, everything else
 * kept as is (CRLF stays CRLF, no trimming, no normalisation). Title: the first
 * non-blank line, trimmed (cut at 200 code points), else the file name without extension.
 */
export function decodeTxt(
	bytes: Uint8Array,
	fileName: string
): { text: string; title: string } | { line: number; message: string } {
	const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
	} catch {
		const at = firstInvalidUtf8(body);
		return {
			line: lineOfByte(body, at),
			message: `invalid UTF-8 (at byte ${at + (body === bytes ? 1 : 4)} of the file); the file must be UTF-8 encoded`
		};
	}
	return { text, title: firstLineTitle(text) || stripExtension(fileName) };
}
