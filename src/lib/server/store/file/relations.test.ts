import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache, getDataset } from './datasets';
import { saveSet } from '../../annotate/saveSet';
import { loadSet, listRevisions, resetAnnotationCache } from './annotations';
import { revisionLogFile, annotationFile } from './paths';
import { isDomainError } from '../../http/errors';
import { relationId } from '../../../model/relations';
import { spanId } from '../../../model/spans';
import { DEFAULT_LABELS, type RelationType } from '../../../model/types';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
// claim «Les frappes ont été menées» [0,26), attribution «a déclaré le groupe» [28,47), date «😀 samedi» has the emoji at 49
const text = 'Les frappes ont été menées, a déclaré le groupe 😀 samedi.';
const doc = { id: 'doc-1', text };
const claim = { start: 0, end: 26, label: 'claim' };
const attribution = { start: 28, end: 47, label: 'attribution' };
const date = { start: 50, end: 56, label: 'date' };
const types: RelationType[] = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];
const base = { attributeLabels: DEFAULT_LABELS, relationTypes: types };
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-rel-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'x' }]);
});

afterEach(() => {
	removeDataFolder(root);
});

async function refusal(p: Promise<unknown>, status: number): Promise<{ message: string; details?: Record<string, unknown> }> {
	try {
		await p;
	} catch (e) {
		if (isDomainError(e)) {
			expect(e.status).toBe(status);
			return { message: e.message, details: e.details };
		}
		throw e;
	}
	throw new Error(`expected a ${status} error`);
}

const sourceOf = { id: relationId(spanId(attribution), spanId(claim), 'source-of'), from: spanId(attribution), to: spanId(claim), label: 'source-of' };

describe('relations in annotation sets', () => {
	it('a new dataset has the default relation type', async () => {
		expect((await getDataset('unit')).relationTypes).toEqual(types);
	});

	it('stores relations by span id, keeps them in revisions and reads them back after a restart', async () => {
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			...base,
			baseRevision: 0,
			spans: [claim, attribution, { ...date, attrs: { value: '2024-05-04', type: 'DATE' }, source: 'dates' }],
			relations: [{ from: 1, to: 0, label: 'source-of' }]
		});
		expect(r.revision).toBe(1);
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.relations).toEqual([sourceOf]);
		expect(set.spans.map((s) => [s.text, s.source ?? null])).toEqual([
			['Les frappes ont été menées', null],
			['a déclaré le groupe', null],
			['samedi', 'dates']
		]);
		const [rev] = await listRevisions('unit', 'doc-1', 'ann1');
		expect(rev).toMatchObject({ revision: 1, relations: [sourceOf], relationsAdded: 1 });
	});

	it('a save of spans alone keeps the relations; one that removes a related span is refused, naming the relation, and changes nothing', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim, attribution], relations: [{ from: 1, to: 0, label: 'source-of' }] });
		const kept = await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, spans: [claim, attribution, date] });
		expect(kept.set.relations).toEqual([sourceOf]);
		const { message } = await refusal(saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 2, spans: [claim, date] }), 400);
		expect(message).toBe(
			`stored relation 0 ("source-of" ${sourceOf.id} from ${sourceOf.from} to ${sourceOf.to}) joins a span this save removes or changes (its start); send "relations" without it, or re-pointed`
		);
		expect((await loadSet('unit', 'doc-1', 'ann1')).revision).toBe(2);
		// the client drops it: a revision with both gone
		const dropped = await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 2, spans: [claim, date], relations: [] });
		expect(dropped.set.relations).toBeUndefined();
		expect((await listRevisions('unit', 'doc-1', 'ann1')).at(-1)).toMatchObject({ revision: 3, removed: 1, relationsRemoved: 1 });
	});

	it('a relation survives a relabel when the client re-points it by span id', async () => {
		const types2: RelationType[] = [...types, { name: 'cites', key: 'c', from: ['attribution', 'framing'], to: ['claim'] }];
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, relationTypes: types2, baseRevision: 0, spans: [claim, attribution], relations: [{ from: 1, to: 0, label: 'cites' }] });
		const framing = { ...attribution, label: 'framing' };
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			...base,
			relationTypes: types2,
			baseRevision: 1,
			spans: [claim, framing],
			relations: [{ from: spanId(framing), to: spanId(claim), label: 'cites' }]
		});
		expect(r.set.relations).toEqual([{ id: relationId(spanId(framing), spanId(claim), 'cites'), from: spanId(framing), to: spanId(claim), label: 'cites' }]);
	});

	it('relations alone are checked against the stored spans', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim, attribution] });
		const ok = await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, relations: [{ from: spanId(attribution), to: spanId(claim), label: 'source-of' }] });
		expect(ok.set.relations).toEqual([sourceOf]);
		const { message } = await refusal(
			saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 2, relations: [{ from: spanId(claim), to: spanId(attribution), label: 'source-of' }] }),
			400
		);
		expect(message).toBe('relation 0: "source-of" goes from attribution to claim, not from claim (span 0) to attribution (span 1)');
	});

	it('the 409 body carries the relations and the dismissed suggestions', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			...base,
			baseRevision: 0,
			spans: [claim, attribution],
			relations: [{ from: 1, to: 0, label: 'source-of' }],
			dismissed: [{ ...date, source: 'dates' }]
		});
		const { details } = await refusal(saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [] }), 409);
		expect(details?.current).toMatchObject({ revision: 1, relations: [sourceOf], dismissed: [{ ...date, source: 'dates' }] });
	});

	it('refuses more relations than a set may hold, before anything else', async () => {
		const many = Array.from({ length: 20_001 }, () => ({ from: 1, to: 0, label: 'source-of' }));
		const { message } = await refusal(saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim, attribution], relations: many }), 400);
		expect(message).toBe('too many relations: 20001 (limit 20000)');
	});

	it('refuses unknown span sources and bad dismissed suggestions by index', async () => {
		const a = await refusal(saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim, { ...date, source: 'magic' }] }), 400);
		expect(a.message).toBe('span 1: source "magic" is not one of dates, lexicon, cues, import~<name>, run~<name>');
		const b = await refusal(
			saveSet('unit', doc, 'ann1', 'ann1', labels, {
				...base,
				baseRevision: 0,
				dismissed: [
					{ ...date, source: 'dates' },
					{ start: 50, end: 99, label: 'date', source: 'lexicon' },
					{ ...date, label: '__proto__', source: 'nope' }
				]
			}),
			400
		);
		expect(b.message).toBe(
			'dismissed span 1: end 99 is beyond the end of the text (length 57); dismissed span 2: unknown label "__proto__" (known: claim, attribution, framing, date); dismissed span 2: source "nope" is not one of dates, lexicon, cues, import~<name>, run~<name>'
		);
		expect(fs.existsSync(annotationFile('unit', 'doc-1', 'ann1'))).toBe(false);
	});

	it('stores dismissed suggestions sorted, once each; a change of them alone is a revision', async () => {
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			...base,
			baseRevision: 0,
			dismissed: [
				{ ...date, source: 'lexicon' },
				{ ...claim, source: 'cues' },
				{ ...date, source: 'dates' },
				{ ...claim, source: 'cues' }
			]
		});
		expect(r.revision).toBe(1);
		expect(r.set.dismissed).toEqual([
			{ ...claim, source: 'cues' },
			{ ...date, source: 'dates' },
			{ ...date, source: 'lexicon' }
		]);
		const same = await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, dismissed: [...r.set.dismissed!].reverse() });
		expect(same.changed).toBe(false);
	});

	it('a change of source alone is a revision', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [date] });
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, spans: [{ ...date, source: 'dates' }] });
		expect(r).toMatchObject({ revision: 2, changed: true });
	});

	it('writes relation deltas, not the whole list, and rebuilds every revision from them', async () => {
		const spans = Array.from({ length: 20 }, (_, i) => ({ start: i, end: i + 1, label: i % 2 ? 'claim' : 'attribution' }));
		const all = Array.from({ length: 10 }, (_, i) => ({ from: 2 * i, to: 2 * i + 1, label: 'source-of' }));
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans, relations: all });
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, spans, relations: all.slice(1) });
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 2, spans: [...spans, date] });
		const lines = fs.readFileSync(revisionLogFile('unit', 'doc-1', 'ann1'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines[1].relations).toBeUndefined();
		expect(lines[1].relationsDelta).toEqual({ remove: [lines[0].relations[0].id], add: [] });
		expect(lines[2].relationsDelta).toBeUndefined();
		const revisions = await listRevisions('unit', 'doc-1', 'ann1');
		expect(revisions.map((r) => r.relations?.length)).toEqual([10, 9, 9]);
		expect(revisions[2].relations).toEqual((await loadSet('unit', 'doc-1', 'ann1')).relations);
	});

	it('after a crash between the log and the state file, the relations come back from the log', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim, attribution] });
		const stateBefore = fs.readFileSync(annotationFile('unit', 'doc-1', 'ann1'));
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 1, relations: [{ from: spanId(attribution), to: spanId(claim), label: 'source-of' }], dismissed: [{ ...date, source: 'dates' }] });
		fs.writeFileSync(annotationFile('unit', 'doc-1', 'ann1'), stateBefore); // as if killed after the log append
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set).toMatchObject({ revision: 2, relations: [sourceOf], dismissed: [{ ...date, source: 'dates' }] });
	});
});
