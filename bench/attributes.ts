/**
 * Figure 17 (issue #17, span attributes): saving and reading the long article's
 * set (`long`, 2,000 spans) with attribute values on every date span, against
 * the same saves without them. Each save changes the set (a span comes and goes)
 * so every one writes a revision. The set is put back as it was afterwards, so
 * the figures measured after this one see the same data.
 */
import { Client } from '../tests/helpers/server';
import { readFileSync } from 'node:fs';
import { median, timeIt } from './lib';

/** CPU time of a process's main thread (its event loop) in ms, to the nanosecond (/proc/PID/schedstat); fsyncs in the thread pool are not in it. */
function mainThreadCpuMs(pid: number): number {
	return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}
import { LONG_DOC, LONG_SLUG } from './load';

export interface AttributeSaves {
	plainMedian: number;
	withAttrsMedian: number;
	getMedian: number;
	dates: number;
	spans: number;
	saves: number;
	/** the server's main-thread CPU per save (median), when its pid is given; NaN otherwise */
	plainCpuMs: number;
	withAttrsCpuMs: number;
}

type PlainSpan = { start: number; end: number; label: string; attrs?: Record<string, string> };

export async function benchAttributeSaves(opts: { url: string; annotator: string; saves: number; serverPid?: number }): Promise<AttributeSaves> {
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
	let lastCpu = 0;
	const save = async (spans: PlainSpan[]) => {
		const cpuBefore = opts.serverPid ? mainThreadCpuMs(opts.serverPid) : 0;
		const t = await timeIt(() => client.call('PUT', url, { baseRevision: revision, spans }));
		if (opts.serverPid) lastCpu = mainThreadCpuMs(opts.serverPid) - cpuBefore;
		if (t.result.status !== 200) throw new Error(`PUT annotations: ${t.result.status} ${JSON.stringify(t.result.json)}`);
		revision = t.result.json.revision;
		return t.ms;
	};
	const plain: number[] = [];
	const attributed: number[] = [];
	const cpu: { plain: number[]; attrs: number[] } = { plain: [], attrs: [] };
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
		const cx = lastCpu;
		const y = await next(first === 'plain' ? withAttrs : original);
		const cy = lastCpu;
		if (i < 0) continue;
		plain.push(first === 'plain' ? x : y);
		attributed.push(first === 'plain' ? y : x);
		cpu.plain.push(first === 'plain' ? cx : cy);
		cpu.attrs.push(first === 'plain' ? cy : cx);
	}
	await save(withAttrs);
	const gets: number[] = [];
	for (let i = -3; i < opts.saves; i++) {
		const t = await timeIt(read);
		if (t.result.spans.filter((s) => s.attrs).length !== dates) throw new Error('GET lost attribute values');
		if (i >= 0) gets.push(t.ms);
	}
	await save(original);
	return {
		plainMedian: median(plain),
		withAttrsMedian: median(attributed),
		getMedian: median(gets),
		dates,
		spans: original.length,
		saves: opts.saves,
		plainCpuMs: opts.serverPid ? median(cpu.plain) : NaN,
		withAttrsCpuMs: opts.serverPid ? median(cpu.attrs) : NaN
	};
}

export interface RelationSaves {
	/** saves of the spans with values on every date, without relations / with `relations` (median ms) */
	withoutRelationsMedian: number;
	withRelationsMedian: number;
	/** GET of the set with its relations (median ms) */
	getMedian: number;
	relations: number;
	spans: number;
	dates: number;
	saves: number;
	/** the server's main-thread CPU time per save (median over blocks), when its pid is known */
	withRelationsCpuMs: number;
	withoutRelationsCpuMs: number;
	/** with `keep`: the relations stay in the set until this is called */
	restore: () => Promise<void>;
}

/**
 * Figure 17, relations: the same article's set saved with 1,000 relations
 * (attribution → claim, by index into the request's spans, as a client sends
 * them) and values on every date, against the same saves without relations.
 * Each save changes the set (the last span, which no relation joins, goes and
 * comes back). The two kinds run in alternating blocks (ABBA) rather than one
 * by one: a set's relations are stored as what changed (revisionLog.ts), so
 * flipping between 1,000 relations and none on every save would measure
 * writing 1,000 relations each time, which no annotator does; the first save of
 * each block (the flip) is not counted. The set is put back as it was afterwards.
 */
export async function benchRelationSaves(opts: {
	url: string;
	annotator: string;
	saves: number;
	relations?: number;
	/** leave the relations in the set (for a first paint with them); `restore` puts the set back */
	keep?: boolean;
	/** the server's pid, for its CPU time per save */
	serverPid?: number;
}): Promise<RelationSaves> {
	const client = await new Client(opts.url).login(opts.annotator);
	const url = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}/annotations/me`;
	type Read = { revision: number; spans: Array<PlainSpan & { id: string }>; relations: Array<{ id: string }> };
	const read = async () => {
		const res = await client.call('GET', url);
		if (res.status !== 200) throw new Error(`GET annotations: ${res.status}`);
		return res.json as Read;
	};
	const first = await read();
	const original = first.spans.map(({ start, end, label }) => ({ start, end, label }));
	const withAttrs: PlainSpan[] = original.map((s) => (s.label === 'date' ? { ...s, attrs: { type: 'DATE', value: '2024-05-04' } } : s));
	// every attribution → a claim, round robin, until there are enough distinct pairs; never the last span (it comes and goes)
	const from = withAttrs.map((s, i) => i).filter((i) => withAttrs[i].label === 'attribution' && i < withAttrs.length - 1);
	const to = withAttrs.map((s, i) => i).filter((i) => withAttrs[i].label === 'claim' && i < withAttrs.length - 1);
	const wanted = Math.min(opts.relations ?? 1000, from.length * to.length);
	const relations: Array<{ from: number; to: number; label: string }> = [];
	for (let n = 0; relations.length < wanted; n++) {
		relations.push({ from: from[n % from.length], to: to[(n + Math.floor(n / from.length)) % to.length], label: 'source-of' });
	}
	let revision = first.revision;
	const save = async (body: Record<string, unknown>) => {
		const t = await timeIt(() => client.call('PUT', url, { baseRevision: revision, ...body }));
		if (t.result.status !== 200) throw new Error(`PUT annotations: ${t.result.status} ${JSON.stringify(t.result.json).slice(0, 300)}`);
		revision = t.result.json.revision;
		return t.ms;
	};
	let drop = false;
	const body = (withRelations: boolean) => {
		drop = !drop;
		const spans = drop ? withAttrs.slice(0, -1) : withAttrs;
		return withRelations ? { spans, relations } : { spans, relations: [] };
	};
	const without: number[] = [];
	const withRel: number[] = [];
	const cpu: { with: number[]; without: number[] } = { with: [], without: [] };
	const BLOCK = 4;
	for (let block = -2; without.length < opts.saves || withRel.length < opts.saves; block++) {
		// ABBA over blocks: with, without, without, with, …
		const kind = (block & 3) === 0 || (block & 3) === 3;
		await save(body(kind)); // the flip: not counted
		const cpuBefore = opts.serverPid ? mainThreadCpuMs(opts.serverPid) : 0;
		for (let i = 0; i < BLOCK; i++) {
			const ms = await save(body(kind));
			if (block >= 0) (kind ? withRel : without).push(ms);
		}
		if (opts.serverPid && block >= 0) (kind ? cpu.with : cpu.without).push((mainThreadCpuMs(opts.serverPid) - cpuBefore) / BLOCK);
	}
	await save({ spans: withAttrs, relations });
	const gets: number[] = [];
	for (let i = -3; i < opts.saves; i++) {
		const t = await timeIt(read);
		if (t.result.relations.length !== relations.length) throw new Error(`GET lost relations: ${t.result.relations.length} of ${relations.length}`);
		if (i >= 0) gets.push(t.ms);
	}
	const restore = async () => {
		await save({ spans: original, relations: [] });
	};
	if (!opts.keep) await restore();
	return {
		restore,
		withRelationsCpuMs: cpu.with.length ? median(cpu.with) : NaN,
		withoutRelationsCpuMs: cpu.without.length ? median(cpu.without) : NaN,
		withoutRelationsMedian: median(without),
		withRelationsMedian: median(withRel),
		getMedian: median(gets),
		relations: relations.length,
		spans: original.length,
		dates: withAttrs.filter((s) => s.attrs).length,
		saves: Math.min(without.length, withRel.length)
	};
}
