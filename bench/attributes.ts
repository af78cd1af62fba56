/**
 * Figure 17 (issue #17, span attributes): saving and reading the long article's
 * set (`long`, 2,000 spans) with attribute values on every date span, against
 * the same saves without them. Each save changes the set (a span comes and goes)
 * so every one writes a revision. The set is put back as it was afterwards, so
 * the figures measured after this one see the same data.
 */
import { Client } from '../tests/helpers/server';
import { median, timeIt } from './lib';
import { LONG_DOC, LONG_SLUG } from './load';

export interface AttributeSaves {
	plainMedian: number;
	withAttrsMedian: number;
	getMedian: number;
	dates: number;
	spans: number;
	saves: number;
}

type PlainSpan = { start: number; end: number; label: string; attrs?: Record<string, string> };

export async function benchAttributeSaves(opts: { url: string; annotator: string; saves: number }): Promise<AttributeSaves> {
	const client = await new Client(opts.url).login(opts.annotator);
	const url = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}/annotations/me`;
	const read = async () => {
		const res = await client.call('GET', url);
		if (res.status !== 200) throw new Error(`GET annotations: ${res.status}`);
		return res.json as { revision: number; spans: Array<PlainSpan & { id: string; text: string }> };
	};
	const original = (await read()).spans.map(({ start, end, label }) => ({ start, end, label }));
	const withAttrs: PlainSpan[] = original.map((s) => (s.label === 'date' ? { ...s, attrs: { type: 'DATE', value: '2024-05-04' } } : s));
	const dates = withAttrs.filter((s) => s.attrs).length;
	if (dates === 0) throw new Error('the long article has no date spans');
	let revision = (await read()).revision;
	const save = async (spans: PlainSpan[]) => {
		const t = await timeIt(() => client.call('PUT', url, { baseRevision: revision, spans }));
		if (t.result.status !== 200) throw new Error(`PUT annotations: ${t.result.status} ${JSON.stringify(t.result.json)}`);
		revision = t.result.json.revision;
		return t.ms;
	};
	const plain: number[] = [];
	const attributed: number[] = [];
	// interleaved, so drift on a busy machine falls on both, and in turn order (ABBA), so whatever a save leaves
	// behind for the next request (GC, background work) does not always fall on the same kind; every save
	// changes the set: the last span goes and comes back
	let drop = false;
	const next = async (spans: PlainSpan[]) => {
		drop = !drop;
		return save(drop ? spans.slice(0, -1) : spans);
	};
	for (let i = -2; i < opts.saves; i++) {
		const first = i % 2 === 0 ? 'plain' : 'attrs';
		const x = await next(first === 'plain' ? original : withAttrs);
		const y = await next(first === 'plain' ? withAttrs : original);
		if (i < 0) continue;
		plain.push(first === 'plain' ? x : y);
		attributed.push(first === 'plain' ? y : x);
	}
	await save(withAttrs);
	const gets: number[] = [];
	for (let i = -3; i < opts.saves; i++) {
		const t = await timeIt(read);
		if (t.result.spans.filter((s) => s.attrs).length !== dates) throw new Error('GET lost attribute values');
		if (i >= 0) gets.push(t.ms);
	}
	await save(original);
	return { plainMedian: median(plain), withAttrsMedian: median(attributed), getMedian: median(gets), dates, spans: original.length, saves: opts.saves };
}
