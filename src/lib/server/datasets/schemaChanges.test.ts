/**
 * Changes of the label set that reach stored values and relations: relation
 * types renamed or removed, attributes and options renamed or removed, labels
 * renamed or removed under relations; counts before, revisions after, and a
 * rewrite a crash interrupted finished at the next start.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, getDataset, resetDatasetCache, updateDataset, loadSet, listRevisions, resetAnnotationCache } from '../store';
import { saveSet } from '../annotate/saveSet';
import { resumeLabelRewrites, schemaChangeImpact, updateDatasetAs, type DatasetPatch } from './datasets';
import { isDomainError } from '../http/errors';
import { relationId } from '../../model/relations';
import { spanId } from '../../model/spans';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES, type Label, type RelationType } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

// claim «Les frappes ont été menées» [0,26), attribution «a déclaré le groupe» [28,47), date «samedi» [50,56)
const text = 'Les frappes ont été menées, a déclaré le groupe 😀 samedi.';
const doc = { id: 'doc-1', text };
const claim = { start: 0, end: 26, label: 'claim' };
const attribution = { start: 28, end: 47, label: 'attribution' };
const date = { start: 50, end: 56, label: 'date', attrs: { value: '2024-05-04', type: 'DATE' } };
const names = DEFAULT_LABELS.map((l) => l.name);
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-schema-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'x' }]);
	await saveSet('unit', doc, 'ann1', 'ann1', names, {
		baseRevision: 0,
		spans: [claim, attribution, date],
		relations: [{ from: 1, to: 0, label: 'source-of' }],
		relationTypes: DEFAULT_RELATION_TYPES,
		attributeLabels: DEFAULT_LABELS
	});
});

afterEach(() => {
	removeDataFolder(root);
});

const lead = async () => ({ user: { username: 'lead', role: 'lead' as const }, dataset: await getDataset('unit'), role: 'lead' as const });
const refusal = async (patch: DatasetPatch) => {
	try {
		await updateDatasetAs(await lead(), patch);
	} catch (e) {
		if (isDomainError(e)) return { status: e.status, message: e.message, details: e.details };
		throw e;
	}
	throw new Error('expected a refusal');
};
const dateWith = (attributes: Label['attributes']) => DEFAULT_LABELS.map((l) => (l.name === 'date' ? { ...l, attributes } : l));

describe('relation types', () => {
	it('GET shape: a new dataset has source-of; a PATCH checks types against the labels', async () => {
		expect((await getDataset('unit')).relationTypes).toEqual(DEFAULT_RELATION_TYPES);
		const bad = (relationTypes: RelationType[]) => refusal({ relationTypes });
		expect((await bad([{ name: 'cites', key: '1', from: ['claim'], to: ['quote'] }])).message).toBe(
			'relation type "cites": "to" label "quote" is not a label of the dataset; relation type "cites": key "1" is the key of label "claim"'
		);
	});

	it('a rename rewrites the relations (new ids) as a revision by the lead', async () => {
		const types = [{ ...DEFAULT_RELATION_TYPES[0], name: 'attributed-by' }];
		const result = await updateDatasetAs(await lead(), { relationTypes: types, relationTypeRenames: { 'source-of': 'attributed-by' } });
		expect(result.relationTypes).toEqual(types);
		expect(result.rewritten).toEqual({ sets: 1, renamed: 0, removed: 0, relationsRetyped: 1 });
		const set = await loadSet('unit', 'doc-1', 'ann1');
		const [a, c] = [spanId(attribution), spanId(claim)];
		expect(set.relations).toEqual([{ id: relationId(a, c, 'attributed-by'), from: a, to: c, label: 'attributed-by' }]);
		expect((await listRevisions('unit', 'doc-1', 'ann1')).at(-1)).toMatchObject({ by: 'lead', relationsAdded: 1, relationsRemoved: 1 });
	});

	it('a removal in use asks for force with counts; with force, the relations go as a revision', async () => {
		const refused = await refusal({ relationTypes: [] });
		expect(refused.status).toBe(409);
		expect(refused.message).toMatch(/^relations still in use: "source-of" \(1 relation\) would be removed/);
		expect((await getDataset('unit')).relationTypes).toEqual(DEFAULT_RELATION_TYPES);
		expect(await schemaChangeImpact(await lead(), { relationTypes: [] })).toMatchObject({
			relationTypes: { removed: ['source-of'], relationsRemoved: { 'source-of': 1 } }
		});
		const result = await updateDatasetAs(await lead(), { relationTypes: [], force: true });
		expect(result.rewritten).toEqual({ sets: 1, renamed: 0, removed: 0, relationsRemoved: 1 });
		expect((await loadSet('unit', 'doc-1', 'ann1')).relations).toBeUndefined();
	});

	it('a type that stops allowing a pair in use is a removal of those relations', async () => {
		const refused = await refusal({ relationTypes: [{ name: 'source-of', key: 's', from: ['framing'], to: ['claim'] }] });
		expect(refused.status).toBe(409);
		expect(refused.details).toEqual({ relationsInUse: { 'source-of': 1 } });
	});

	it('names from Object.prototype are ordinary type names; __proto__ is refused', async () => {
		const types = [{ name: 'constructor', key: 'c', from: ['attribution'], to: ['claim'] }, ...DEFAULT_RELATION_TYPES];
		expect((await updateDatasetAs(await lead(), { relationTypes: types })).relationTypes.map((t) => t.name)).toEqual(['constructor', 'source-of']);
		const result = await updateDatasetAs(await lead(), {
			relationTypes: [{ name: 'toString', key: 's', from: ['attribution'], to: ['claim'] }, types[0]],
			relationTypeRenames: { 'source-of': 'toString' }
		});
		expect(result.rewritten).toMatchObject({ relationsRetyped: 1 });
		expect((await loadSet('unit', 'doc-1', 'ann1')).relations?.map((r) => r.label)).toEqual(['toString']);
		expect((await refusal({ relationTypes: types, relationTypeRenames: { constructor: '__proto__' } })).message).toMatch(/reserved/);
	});
});

describe('labels under relations', () => {
	it('a label rename re-points the relations to the spans’ new ids, and the types follow the new name', async () => {
		const labels = DEFAULT_LABELS.map((l) => (l.name === 'attribution' ? { ...l, name: 'source' } : l));
		await updateDatasetAs(await lead(), { labels, renames: { attribution: 'source' } });
		expect((await getDataset('unit')).relationTypes).toEqual([{ name: 'source-of', key: 's', from: ['source'], to: ['claim'] }]);
		const set = await loadSet('unit', 'doc-1', 'ann1');
		const source = spanId({ ...attribution, label: 'source' });
		expect(set.relations).toEqual([{ id: relationId(source, spanId(claim), 'source-of'), from: source, to: spanId(claim), label: 'source-of' }]);
	});

	it('removing a label that a relation type uses takes it out of the type (the type goes when nothing is left), relations with it', async () => {
		const labels = DEFAULT_LABELS.filter((l) => l.name !== 'attribution');
		const impact = await schemaChangeImpact(await lead(), { labels });
		expect(impact).toMatchObject({ removed: [{ name: 'attribution', spans: 1 }], relationTypes: { removed: ['source-of'], relationsRemoved: { 'source-of': 1 } } });
		expect((await refusal({ labels })).message).toMatch(/^label\(s\) still in use: "attribution" \(1 span\)/);
		const result = await updateDatasetAs(await lead(), { labels, force: true });
		expect(result.relationTypes).toEqual([]);
		expect(result.rewritten).toEqual({ sets: 1, renamed: 0, removed: 1, relationsRemoved: 1 });
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.spans.map((s) => s.label)).toEqual(['claim', 'date']);
		expect(set.relations).toBeUndefined();
	});
});

describe('attributes and options', () => {
	it('an attribute rename carries the values over, as a revision', async () => {
		const labels = dateWith([
			{ name: 'timex', type: 'timex' },
			{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
		]);
		const result = await updateDatasetAs(await lead(), { labels, attributeRenames: { date: { value: 'timex' } } });
		expect(result.rewritten).toEqual({ sets: 1, renamed: 0, removed: 0, values: 1 });
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect({ ...set.spans.find((s) => s.label === 'date')!.attrs }).toEqual({ timex: '2024-05-04', type: 'DATE' });
		// the relation between the other two spans is untouched
		expect(set.relations).toHaveLength(1);
	});

	it('an option rename carries the values over; removing one in use asks for force, then the value goes', async () => {
		const renamed = dateWith([
			{ name: 'value', type: 'timex' },
			{ name: 'type', type: 'enum', options: ['CALENDAR', 'TIME', 'DURATION', 'SET'] }
		]);
		await updateDatasetAs(await lead(), { labels: renamed, optionRenames: { date: { type: { DATE: 'CALENDAR' } } } });
		expect({ ...(await loadSet('unit', 'doc-1', 'ann1')).spans.find((s) => s.label === 'date')!.attrs }).toEqual({ type: 'CALENDAR', value: '2024-05-04' });
		const without = dateWith([
			{ name: 'value', type: 'timex' },
			{ name: 'type', type: 'enum', options: ['TIME', 'DURATION', 'SET'] }
		]);
		const refused = await refusal({ labels: without });
		expect(refused.status).toBe(409);
		expect(refused.message).toMatch(/^attribute values still in use: option "CALENDAR" of attribute "type" of label "date": 1 span\./);
		const forced = await updateDatasetAs(await lead(), { labels: without, force: true });
		expect(forced.rewritten).toEqual({ sets: 1, renamed: 0, removed: 0, values: 1 });
		expect({ ...(await loadSet('unit', 'doc-1', 'ann1')).spans.find((s) => s.label === 'date')!.attrs }).toEqual({ value: '2024-05-04' });
	});

	it('refuses impossible renames with a 400 naming them', async () => {
		const labels = dateWith([{ name: 'value', type: 'timex' }, { name: 'kind', type: 'text' }]);
		expect((await refusal({ labels, attributeRenames: { date: { type: 'value' } } })).message).toBe(
			'label "date": cannot rename attribute "type" to "value": "value" already exists'
		);
		expect((await refusal({ labels, attributeRenames: { date: { nope: 'kind' } } })).message).toBe('label "date": cannot rename attribute "nope": there is no such attribute');
		expect((await refusal({ labels, attributeRenames: { claim2: { nope: 'kind' } } })).message).toMatch(/no such label/);
	});
});

describe('the journal', () => {
	it('a rewrite of relation types and values that a stop interrupted is finished at the next start', async () => {
		await updateDataset('unit', (d) => {
			d.labels = dateWith([
				{ name: 'timex', type: 'timex' },
				{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
			]);
			d.relationTypes = [{ name: 'attributed-by', key: 's', from: ['attribution'], to: ['claim'] }];
			d.labelRewrite = {
				renamed: [],
				removed: [],
				attributes: [{ kind: 'rename', label: 'date', attribute: 'value', to: 'timex' }],
				relationTypes: { renamed: [{ from: 'source-of', to: 'attributed-by' }], removed: [] },
				by: 'lead',
				at: '2026-12-01T23:00:00.000Z'
			};
		});
		resetDatasetCache();
		resetAnnotationCache();
		expect(await resumeLabelRewrites()).toEqual(['unit']);
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.relations?.map((r) => r.label)).toEqual(['attributed-by']);
		expect({ ...set.spans.find((s) => s.label === 'date')!.attrs }).toEqual({ timex: '2024-05-04', type: 'DATE' });
		expect((await getDataset('unit')).labelRewrite).toBeUndefined();
		// run again (as after a second crash): nothing more changes
		const revision = set.revision;
		await updateDataset('unit', (d) => {
			d.labelRewrite = {
				renamed: [],
				removed: [],
				attributes: [{ kind: 'rename', label: 'date', attribute: 'value', to: 'timex' }],
				relationTypes: { renamed: [{ from: 'source-of', to: 'attributed-by' }], removed: [] },
				by: 'lead',
				at: '2026-12-01T23:00:00.000Z'
			};
		});
		expect(await resumeLabelRewrites()).toEqual(['unit']);
		expect((await loadSet('unit', 'doc-1', 'ann1')).revision).toBe(revision);
	});
});
