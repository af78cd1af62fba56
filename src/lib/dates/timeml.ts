/**
 * ISO-TimeML documents (`.tml`, e.g. the French TimeBank): the article text is
 * the content of `<TEXT>` with its tags removed and its entities decoded; each
 * TIMEX3 inside it is a span over that text, in code points. The document
 * creation time (`functionInDocument="CREATION_TIME"`, usually in `<DCT>`)
 * is the reference date of relative expressions.
 *
 * One left-to-right scan over the markup (no DOM, no backtracking pattern), so
 * the cost is linear in the file; nesting is bounded by `maxDepth`.
 */

export interface TimemlTimex {
	/** code point offsets into `text` */
	start: number;
	end: number;
	text: string;
	tid: string | null;
	type: string;
	value: string;
	mod: string | null;
}

export interface TimemlDocument {
	docId: string | null;
	title: string | null;
	/** the creation time's value (e.g. `1999-05-17`), or null */
	dct: string | null;
	text: string;
	timexes: TimemlTimex[];
}

export class TimemlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeXmlEntities(s: string): string {
	return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (whole, name: string) => {
		if (name[0] === '#') {
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
		}
		return Object.hasOwn(ENTITIES, name) ? ENTITIES[name] : whole;
	});
}

function attributes(tag: string): Map<string, string> {
	const attrs = new Map<string, string>();
	for (const m of tag.matchAll(/([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
		attrs.set(m[1], decodeXmlEntities(m[3] ?? m[4] ?? ''));
	}
	return attrs;
}

function codePoints(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
		else {
			const d = s.charCodeAt(i + 1);
			n++;
			if (d >= 0xdc00 && d <= 0xdfff) i++;
		}
	}
	return n;
}

function firstElementText(xml: string, name: string): string | null {
	const m = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml);
	return m ? decodeXmlEntities(m[1]).trim() || null : null;
}

/** Parses one TimeML file. Throws `TimemlError` with a reason when it is not one. */
export function parseTimeml(xml: string, { maxDepth = 32 } = {}): TimemlDocument {
	const open = xml.search(/<TEXT(?:\s[^>]*)?>/);
	if (open < 0) throw new TimemlError('no <TEXT> element: not a TimeML document');
	const bodyStart = xml.indexOf('>', open) + 1;
	const close = xml.indexOf('</TEXT>', bodyStart);
	if (close < 0) throw new TimemlError('<TEXT> is never closed');

	let dct: string | null = null;
	for (const m of xml.matchAll(/<TIMEX3\b[^>]*>/g)) {
		const attrs = attributes(m[0]);
		if (attrs.get('functionInDocument') === 'CREATION_TIME') {
			dct = attrs.get('value') ?? null;
			break;
		}
	}

	const body = xml.slice(bodyStart, close);
	const parts: string[] = [];
	let length = 0; // code points so far
	let units = 0; // UTF-16 code units so far
	const stack: Array<{ start: number; startUnits: number; attrs: Map<string, string> | null }> = [];
	const found: Array<{ timex: TimemlTimex; from: number; to: number }> = [];
	const tag = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][-A-Za-z0-9_:.]*)([^>]*)>/g;
	let last = 0;
	const pushText = (raw: string, decode: boolean) => {
		if (!raw) return;
		const s = decode ? decodeXmlEntities(raw) : raw;
		parts.push(s);
		length += codePoints(s);
		units += s.length;
	};
	for (let m = tag.exec(body); m; m = tag.exec(body)) {
		pushText(body.slice(last, m.index), true);
		last = tag.lastIndex;
		if (m[0].startsWith('<!--')) continue;
		if (m[1] !== undefined) {
			pushText(m[1], false);
			continue;
		}
		const [, , closing, name, rest] = m;
		const selfClosing = rest.trimEnd().endsWith('/');
		if (selfClosing) continue;
		if (closing) {
			const top = stack.pop();
			if (!top) throw new TimemlError(`</${name}> closes nothing`);
			if (top.attrs) {
				const a = top.attrs;
				const timex: TimemlTimex = {
					start: top.start,
					end: length,
					text: '',
					tid: a.get('tid') ?? null,
					type: a.get('type') ?? 'DATE',
					value: a.get('value') ?? '',
					mod: a.get('mod') ?? null
				};
				found.push({ timex, from: top.startUnits, to: units });
			}
			continue;
		}
		if (stack.length >= maxDepth) throw new TimemlError(`markup nested deeper than ${maxDepth} levels`);
		stack.push({ start: length, startUnits: units, attrs: name === 'TIMEX3' ? attributes(rest) : null });
	}
	pushText(body.slice(last), true);
	if (stack.length) throw new TimemlError('an element inside <TEXT> is never closed');
	const text = parts.join('');
	const timexes = found.map(({ timex, from, to }) => ({ ...timex, text: text.slice(from, to) }));
	timexes.sort((a, b) => a.start - b.start || b.end - a.end);
	return { docId: firstElementText(xml, 'DOCID'), title: firstElementText(xml, 'TITLE'), dct, text, timexes };
}
