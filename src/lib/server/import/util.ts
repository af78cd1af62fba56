import { codePointLength } from '../../text/offsets';

/** Document ids: 1–128 characters, letters/digits/`.`/`_`/`-`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Hex sha256 of the UTF-8 encoding of `text` (the server's one helper, src/lib/server/sha256.ts). */
import { sha256Hex } from '../sha256';
export { sha256Hex };

/** The id of a document that has none: `'d'` + the first 16 hex characters of sha256(text). */
export function documentIdFromText(text: string): string {
	return 'd' + sha256Hex(text).slice(0, 16);
}

/** Number of Unicode code points in `text` (Python's len(text)); from the shared offsets module. */
export { codePointLength };

/** Code point index of the first unpaired surrogate in `text`, or -1. */
export function firstLoneSurrogate(text: string): number {
	let cp = 0;
	for (let i = 0; i < text.length; i++, cp++) {
		const c = text.charCodeAt(i);
		if (c < 0xd800 || c > 0xdfff) continue;
		if (c <= 0xdbff) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				i++;
				continue;
			}
		}
		return cp;
	}
	return -1;
}

/** True when `text` has no unpaired surrogates (String#isWellFormed where available). */
export function isWellFormed(text: string): boolean {
	const f = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
	return typeof f === 'function' ? f.call(text) : firstLoneSurrogate(text) === -1;
}

/** Byte offset of the first invalid UTF-8 sequence in `b`, or -1 when `b` is valid UTF-8. */
export function firstInvalidUtf8(b: Uint8Array): number {
	const n = b.length;
	let i = 0;
	while (i < n) {
		const c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		let need: number;
		if (c >= 0xc2 && c <= 0xdf) need = 1;
		else if (c >= 0xe0 && c <= 0xef) need = 2;
		else if (c >= 0xf0 && c <= 0xf4) need = 3;
		else return i;
		if (i + need >= n) return i;
		let lo = 0x80;
		let hi = 0xbf;
		if (c === 0xe0) lo = 0xa0;
		else if (c === 0xed) hi = 0x9f;
		else if (c === 0xf0) lo = 0x90;
		else if (c === 0xf4) hi = 0x8f;
		const c1 = b[i + 1];
		if (c1 < lo || c1 > hi) return i;
		for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
		i += need + 1;
	}
	return -1;
}

/** 1-based line number of byte `offset` in `b` (lines end with LF). */
export function lineOfByte(b: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < b.length; i++) if (b[i] === 10) line++;
	return line;
}

export function hasUtf8Bom(b: Uint8Array): boolean {
	return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

export function concatBytes(parts: Uint8Array[], total?: number): Uint8Array {
	if (parts.length === 1) return parts[0];
	const len = total ?? parts.reduce((s, p) => s + p.length, 0);
	const out = new Uint8Array(len);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

/** Last path segment of a file name ('a/b/c.txt' -> 'c.txt'; backslashes count as separators). */
export function baseName(name: string): string {
	const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
	return i === -1 ? name : name.slice(i + 1);
}

/** Lower-case extension without the dot ('' when there is none). */
export function extensionOf(name: string): string {
	const base = baseName(name);
	const i = base.lastIndexOf('.');
	return i <= 0 ? '' : base.slice(i + 1).toLowerCase();
}

export function stripExtension(name: string): string {
	const base = baseName(name);
	const i = base.lastIndexOf('.');
	return i <= 0 ? base : base.slice(0, i);
}

/**
 * A document id from a file name, so "Débat municipal (2024).txt" is found
 * again as `Debat-municipal-2024`: the name without folders and extension,
 * accents dropped, every run of other characters made one "-", cut to fit
 * `ID_PATTERN`; null when nothing usable is left.
 */
export function idFromFileName(name: string): string | null {
	const id = stripExtension(name)
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.replace(/[^A-Za-z0-9._-]+/g, '-')
		.replace(/^[._-]+/, '')
		.slice(0, 128)
		.replace(/[._-]+$/, '');
	return ID_PATTERN.test(id) ? id : null;
}

export const MAX_DERIVED_TITLE = 200;

/** Truncates to `max` code points, appending '…' when something was cut. */
export function truncateCodePoints(s: string, max: number): string {
	if (s.length <= max) return s;
	const cps = Array.from(s);
	return cps.length <= max ? s : cps.slice(0, max).join('') + '…';
}

/** First non-blank line of `text`, trimmed (truncated to MAX_DERIVED_TITLE code points), or ''. */
export function firstLineTitle(text: string): string {
	const re = /[^\r\n]+/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(text))) {
		const t = m[0].trim();
		if (t) return truncateCodePoints(t, MAX_DERIVED_TITLE);
	}
	return '';
}

/** 'null', 'array', 'object', 'string', 'number', 'boolean' ... for messages. */
export function kindOf(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	return typeof v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function formatBytes(n: number): string {
	if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
	if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
	if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
	return `${n} bytes`;
}

/** Shortens long messages (e.g. V8 JSON errors quoting a 3,000-character line). */
export function clip(s: string, max = 300): string {
	return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** How deep `meta` (and anything else stored from outside as JSON) may nest: 32 levels of objects and arrays. */
export const MAX_JSON_DEPTH = 32;

/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `{}` and `[]` are
 * 1, `{"a":[1]}` is 2), counted without recursion and given up as soon as it
 * passes `max` (then `max + 1` is returned): a value 100,000 levels deep is
 * refused in time linear in what was looked at, before anything tries to
 * stringify it (which would overflow the stack).
 */
export function jsonDepth(value: unknown, max = MAX_JSON_DEPTH): number {
	let deepest = 0;
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length) {
		const [v, depth] = stack.pop()!;
		if (v === null || typeof v !== 'object') continue;
		if (depth + 1 > max) return max + 1;
		deepest = Math.max(deepest, depth + 1);
		for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
	}
	return deepest;
}
