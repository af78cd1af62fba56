import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { addDocuments, createDataset, getDataset, resetDatasetCache, updateDataset, datasetSummaries, loadSet, resetAnnotationCache, uploadRun } from '../store';
import { saveSet } from './saveSet';
import { readAnnotations } from './annotate';
import { requireDatasetLead } from '../auth/access';
import { lexiconFor, resetSuggestionCaches, suggestionsFor, updateSuggestionSettings } from '../suggest/suggestions';
import { buildAgreementInput } from '../agreement/agreement';
import { reviewedSpans } from '../../suggest/settings';
import { spanSourceProblem } from '../../model/relations';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const TEXT = 'Le maire de Lyon a dit samedi que le budget 😀 était en hausse.';
const lead = { username: 'lead', role: 'lead' as const };
const ann1 = { username: 'ann1', role: 'annotator' as const };
let root: string;

async function* chunks(lines: unknown[]) {
	yield new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-correction-');
	resetSuggestionCaches();
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await updateDataset('news', (d) => void (d.members = { ann1: 'annotator' }));
	await addDocuments('news', [{ id: 'a', title: 'A', text: TEXT, meta: {}, sha256: createHash('sha256').update(TEXT).digest('hex') }]);
	await uploadRun('news', 'crf', chunks([{ doc_id: 'a', spans: [{ start: 0, end: 16, label: 'attribution', score: 0.8 }, { start: 23, end: 29, label: 'date' }, { start: 2, end: 5, label: 'nope' }] }]), {
		by: 'lead',
		maxBytes: 1 << 20
	});
});

afterEach(() => {
	removeDataFolder(root);
});

describe('correction mode', () => {
	it('an unsaved set starts from the run’s spans, unreviewed; gold and saved sets do not', async () => {
		expect((await readAnnotations(ann1, 'news', 'a', 'me')).spans).toEqual([]);
		await updateSuggestionSettings(await requireDatasetLead(lead, 'news'), { correction: { source: 'run~crf' } });
		expect((await getDataset('news')).correction).toEqual({ source: 'run~crf' });
		const seeded = await readAnnotations(ann1, 'news', 'a', 'me');
		expect(seeded.revision).toBe(1);
		expect(seeded.status).toBe('not_started');
		expect(seeded.spans.map((s) => [s.text, s.label, (s as { source?: string }).source])).toEqual([
			['Le maire de Lyon', 'attribution', 'unreviewed:run~crf'],
			['samedi', 'date', 'unreviewed:run~crf']
		]);
		expect(reviewedSpans(seeded.spans as Array<{ source?: string }>)).toEqual([]);
		expect((await readAnnotations(lead, 'news', 'a', 'gold')).spans).toEqual([]);
		// started once: reading again changes nothing
		expect((await readAnnotations(ann1, 'news', 'a', 'me')).revision).toBe(1);
		// the run's spans are in the set: not suggested again
		await updateSuggestionSettings(await requireDatasetLead(lead, 'news'), { suggestions: { runs: ['crf'], dates: false, cues: false, lexicon: false } });
		expect((await suggestionsFor(ann1, 'news', 'a')).suggestions.map((s) => s.text)).toEqual([]);
		// progress counts reviewed spans only: none yet
		expect((await datasetSummaries('news')).get('a')!.get('ann1')).toMatchObject({ revision: 1, spans: 0, status: 'not_started' });
		// the annotator accepts one (its source loses the marker) and deletes the other
		const labels = (await getDataset('news')).labels.map((l) => l.name);
		const accepted = { start: 0, end: 16, label: 'attribution', source: 'run~crf' };
		await saveSet('news', { id: 'a', text: TEXT }, 'ann1', 'ann1', labels, { baseRevision: 1, spans: [accepted] });
		expect((await datasetSummaries('news')).get('a')!.get('ann1')).toMatchObject({ revision: 2, spans: 1, status: 'in_progress' });
		expect((await readAnnotations(ann1, 'news', 'a', 'me')).spans.map((s) => [s.text, s.source])).toEqual([['Le maire de Lyon', 'run~crf']]);
		// once saved, the set is the annotator's own: deleting everything is kept
		await saveSet('news', { id: 'a', text: TEXT }, 'ann1', 'ann1', labels, { baseRevision: 2, spans: [] });
		expect((await readAnnotations(ann1, 'news', 'a', 'me')).spans).toEqual([]);
		expect((await loadSet('news', 'a', 'ann1')).revision).toBe(3);
	});

	it('refuses a source the dataset does not have, and turns off with null', async () => {
		const access = await requireDatasetLead(lead, 'news');
		await expect(updateSuggestionSettings(access, { correction: { source: 'run~other' } })).rejects.toThrow(/no prediction run "other"/);
		await expect(updateSuggestionSettings(access, { correction: { source: 'gold' } })).rejects.toThrow(/correction.source/);
		await updateSuggestionSettings(access, { correction: { source: 'run~crf' } });
		await updateSuggestionSettings(access, { correction: null });
		expect((await readAnnotations(ann1, 'news', 'a', 'me')).spans).toEqual([]);
	});
});

describe('agreement and the lexicon count only reviewed spans', () => {
	it('leaves unreviewed spans out of the agreement input and the lexicon', async () => {
		await updateDataset('news', (d) => void (d.members = { ann1: 'annotator', ann2: 'annotator' }));
		const labels = (await getDataset('news')).labels.map((l) => l.name);
		const maire = { start: 0, end: 16, label: 'attribution' };
		const samedi = { start: 23, end: 29, label: 'date' };
		const accepted = { ...maire, source: 'run~crf' };
		const unreviewed = { ...samedi, source: 'unreviewed:run~crf' };
		await saveSet('news', { id: 'a', text: TEXT }, 'ann1', 'ann1', labels, { baseRevision: 0, status: 'done', spans: [accepted, unreviewed] });
		await saveSet('news', { id: 'a', text: TEXT }, 'ann2', 'ann2', labels, { baseRevision: 0, status: 'done', spans: [maire, samedi] });
		const input = await buildAgreementInput('news', labels);
		const byAnnotator = Object.fromEntries(input.documents[0].annotations.map((a) => [a.annotator, a.spans.map((s) => s.label)]));
		expect(byAnnotator).toEqual({ ann1: ['attribution'], ann2: ['attribution', 'date'] });
		const { lexicon } = await lexiconFor('news', 'ann1');
		expect([...lexicon.counts.keys()]).toEqual(['le maire de lyon']);
	});
});

describe('the unreviewed: marker', () => {
	it('is a valid span source before any source', () => {
		expect(spanSourceProblem('unreviewed:run~crf')).toBeNull();
		expect(spanSourceProblem('unreviewed:import~batch.jsonl')).toBeNull();
		expect(spanSourceProblem('unreviewed:')).not.toBeNull();
		expect(spanSourceProblem('unreviewed:unreviewed:dates')).not.toBeNull();
	});
});

describe('reviewedSpans', () => {
	it('leaves out the spans still marked unreviewed', () => {
		const spans = [{ source: 'unreviewed:run~crf' }, { source: 'run~crf' }, {}, { source: 'dates' }];
		expect(reviewedSpans(spans)).toEqual([{ source: 'run~crf' }, {}, { source: 'dates' }]);
	});
});
