/**
 * Gold's rejected relation candidates (issue #17 item 5): saved with the gold
 * set like its rejected spans, read back, kept in revisions, refused for an
 * annotator's set and for malformed keys, never released. On a real store in a
 * temp data folder.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache } from './datasets';
import { saveSet } from '../../annotate/saveSet';
import { loadSet, listRevisions, resetAnnotationCache } from './annotations';
import { revisionLogFile, annotationFile } from './paths';
import { isDomainError } from '../../http/errors';
import { cutRelease } from '../../release/releases';
import { readReleaseRecords } from './releases';
import { rewriteSet } from '../../datasets/datasets';
import { spanId } from '../../../model/spans';
import { relationKey } from '../../../review/reviewRelations';
import { DEFAULT_LABELS, GOLD, type RelationType } from '../../../model/types';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
// claim «Les frappes ont été menées» [0,26), attribution «a déclaré le groupe» [28,47), date «samedi» [50,56) after the emoji
const text = 'Les frappes ont été menées, a déclaré le groupe 😀 samedi.';
const doc = { id: 'doc-1', text };
const claim = { start: 0, end: 26, label: 'claim' };
const attribution = { start: 28, end: 47, label: 'attribution' };
const date = { start: 50, end: 56, label: 'date' };
const types: RelationType[] = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];
const base = { attributeLabels: DEFAULT_LABELS, relationTypes: types };
// the key the review view builds (src/lib/review/reviewRelations.ts relationKey), worked out by hand
const key = `${spanId(attribution)}>${spanId(claim)}:source-of`;
const other = `${spanId(attribution)}>${spanId(date)}:source-of`;
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-rejrel-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'x' }]);
});

afterEach(() => {
	removeDataFolder(root);
});

async function refusal(p: Promise<unknown>, status: number): Promise<string> {
	try {
		await p;
	} catch (e) {
		if (isDomainError(e)) {
			expect(e.status).toBe(status);
			return e.message;
		}
		throw e;
	}
	throw new Error(`expected a ${status} error`);
}

describe('gold: rejected relations', () => {
	it('the key is relationKey of the two span ids and the type', () => {
		expect(key).toBe(relationKey({ from: spanId(attribution), to: spanId(claim), label: 'source-of' }));
		expect(key).toMatch(/^s[0-9a-f]{16}>s[0-9a-f]{16}:source-of$/);
	});

	it('a change of rejected relations alone is a revision; saved sorted, once each, read back after a restart, kept in revisions', async () => {
		const first = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [claim, attribution] });
		expect(first.revision).toBe(1);
		expect(first.set.rejectedRelations).toBeUndefined();
		const r = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 1, rejectedRelations: [other, key, other] });
		expect(r).toMatchObject({ revision: 2, changed: true });
		// the same list again (another order): nothing changed, no revision
		const again = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 2, rejectedRelations: [key, other] });
		expect(again).toMatchObject({ revision: 2, changed: false });
		// a save without the field keeps them
		const kept = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 2, spans: [claim, attribution, date] });
		expect(kept.revision).toBe(3);
		resetAnnotationCache();
		const sorted = [key, other].sort();
		expect((await loadSet('unit', 'doc-1', GOLD)).rejectedRelations).toEqual(sorted);
		const revisions = await listRevisions('unit', 'doc-1', GOLD);
		expect(revisions.map((x) => x.rejectedRelations ?? null)).toEqual([null, sorted, sorted]);
		// revision 3 is a delta line: the rejections ride along in full
		const lines = fs.readFileSync(revisionLogFile('unit', 'doc-1', GOLD), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines[2].delta).toBeDefined();
		expect(lines[2].rejectedRelations).toEqual(sorted);
		// an empty list clears them: a revision, and the set has none
		const cleared = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 3, rejectedRelations: [] });
		expect(cleared.revision).toBe(4);
		expect((await loadSet('unit', 'doc-1', GOLD)).rejectedRelations).toBeUndefined();
	});

	it('a relation gold has is never rejected: accepting it takes it off the list', async () => {
		await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [claim, attribution], rejectedRelations: [key, other] });
		const r = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 1, relations: [{ from: spanId(attribution), to: spanId(claim), label: 'source-of' }] });
		expect(r.set.rejectedRelations).toEqual([other]);
	});

	it('a rejection alone starts the gold set', async () => {
		const r = await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, rejectedRelations: [key] });
		expect(r).toMatchObject({ revision: 1, status: 'in_progress' });
	});

	it('refused for an annotator set, and for bad keys, naming the item; nothing is saved', async () => {
		expect(await refusal(saveSet('unit', doc, 'ann1', 'ann1', labels, { ...base, baseRevision: 0, spans: [claim], rejectedRelations: [key] }), 400)).toBe(
			'rejectedRelations: only the gold set records rejections, not "ann1"'
		);
		expect(fs.existsSync(annotationFile('unit', 'doc-1', 'ann1'))).toBe(false);
		const bad = await refusal(
			saveSet('unit', doc, GOLD, 'lead', labels, {
				...base,
				baseRevision: 0,
				rejectedRelations: [key, 'constructor', `${spanId(attribution)}>${spanId(claim)}:__proto__`, `${spanId(claim)}>s123:source-of`]
			}),
			400
		);
		expect(bad).toContain('rejected relation 1: "constructor" is not "<from span id>><to span id>:<relation type>"');
		expect(bad).toContain('rejected relation 2: "__proto__" is not a relation type of this dataset (known: source-of)');
		expect(bad).toContain('rejected relation 3:');
		expect(bad).not.toContain('rejected relation 0');
		const tooMany = await refusal(
			saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, rejectedRelations: Array.from({ length: 20_001 }, () => key) }),
			400
		);
		expect(tooMany).toBe('too many rejected relations: 20001 (limit 20000)');
		expect(fs.existsSync(annotationFile('unit', 'doc-1', GOLD))).toBe(false);
	});

	it('after a crash between the log and the state file, the rejections come back from the log', async () => {
		await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [claim] });
		const stateBefore = fs.readFileSync(annotationFile('unit', 'doc-1', GOLD));
		await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 1, rejectedRelations: [key] });
		fs.writeFileSync(annotationFile('unit', 'doc-1', GOLD), stateBefore); // as if killed after the log append
		resetAnnotationCache();
		expect(await loadSet('unit', 'doc-1', GOLD)).toMatchObject({ revision: 2, rejectedRelations: [key] });
	});

	it('the 409 body carries them', async () => {
		await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [claim], rejectedRelations: [key] });
		try {
			await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [] });
			throw new Error('expected a 409');
		} catch (e) {
			if (!isDomainError(e)) throw e;
			expect(e.status).toBe(409);
			expect((e.details as { current: { rejectedRelations: string[] } }).current.rejectedRelations).toEqual([key]);
		}
	});

	it('never released', async () => {
		await saveSet('unit', doc, GOLD, 'lead', labels, { ...base, baseRevision: 0, spans: [claim, attribution], rejectedRelations: [key], status: 'done' });
		await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		const file = path.join(root, 'unit', 'releases', 'v0001.jsonl');
		const records = [];
		for await (const r of readReleaseRecords(file)) records.push(r);
		expect(records).toHaveLength(1);
		expect(records[0].spans).toHaveLength(2);
		expect(fs.readFileSync(file, 'utf8')).not.toContain('rejected');
	});

	it('schema changes: a renamed type renames its keys, a removed one drops them; ends that are gold spans follow a label rename', () => {
		const gold = [{ ...claim, id: spanId(claim), text: '' }, { ...attribution, id: spanId(attribution), text: '' }];
		const foreign = `s0123456789abcdef>${spanId(claim)}:source-of`;
		const set = { spans: gold, rejectedRelations: [key, foreign, `${spanId(attribution)}>${spanId(claim)}:cites`] };
		const labelsAlone = { added: [], removed: [], renamed: [] };
		const renamed = rewriteSet(set, {
			labels: { ...labelsAlone, renamed: [{ from: 'claim', to: 'assertion' }] },
			attributes: [],
			relationTypes: { renamed: [{ from: 'source-of', to: 'said-by' }], removed: ['cites'] },
			types: [{ name: 'said-by', key: 's', from: ['attribution'], to: ['assertion'] }]
		});
		const assertion = spanId({ ...claim, label: 'assertion' });
		expect(renamed.touched).toBe(true);
		expect(renamed.rejectedRelations).toEqual([`${spanId(attribution)}>${assertion}:said-by`, `s0123456789abcdef>${assertion}:said-by`]);
		// the claim removed: keys with it as an end go, the others stay
		const removed = rewriteSet({ ...set, rejectedRelations: [key, `s0123456789abcdef>sfedcba9876543210:source-of`] }, {
			labels: { ...labelsAlone, removed: ['claim'] },
			attributes: [],
			relationTypes: { renamed: [], removed: [] },
			types
		});
		expect(removed.rejectedRelations).toEqual(['s0123456789abcdef>sfedcba9876543210:source-of']);
	});
});
