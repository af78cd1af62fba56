import { describe, expect, it } from 'vitest';
import { changedSinceGold, describeChange } from './goldChanges';

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('changedSinceGold', () => {
	const gold = { annotator: 'gold', status: 'done' as const, revision: 3, updated_at: at(30) };
	const sets = [
		{ annotator: 'ann1', status: 'done' as const, revision: 4, updated_at: at(45) },
		{ annotator: 'ann2', status: 'done' as const, revision: 2, updated_at: at(10) },
		{ annotator: 'import~wire.jsonl', status: 'done' as const, revision: 1, updated_at: at(50) },
		gold
	];

	it('names the annotators who saved after gold was done, not the others, gold or imports', () => {
		expect(changedSinceGold(gold, sets)).toEqual([{ annotator: 'ann1', revision: 4, updated_at: at(45) }]);
	});

	it('says nothing while gold is not done, or was saved after the annotators', () => {
		expect(changedSinceGold({ ...gold, status: 'in_progress' }, sets)).toEqual([]);
		expect(changedSinceGold({ ...gold, updated_at: at(59) }, sets)).toEqual([]);
		expect(changedSinceGold(undefined, sets)).toEqual([]);
		expect(changedSinceGold({ ...gold, revision: 0 }, sets)).toEqual([]);
	});
});

describe('describeChange', () => {
	it('puts the changes in words', () => {
		expect(describeChange({ annotator: 'ann1', revision: 4, updated_at: at(45), since: 2, added: 1, removed: 0, relabelled: 1 })).toBe(
			'ann1: 1 span added, 1 relabelled (revision 2 → 4)'
		);
		expect(describeChange({ annotator: 'ann2', revision: 3, updated_at: at(45), since: 2, status: { from: 'done', to: 'in_progress' } })).toBe(
			'ann2: done → in progress (revision 2 → 3)'
		);
		expect(describeChange({ annotator: 'ann3', revision: 5, updated_at: at(45) })).toBe('ann3: new revision (revision 5)');
	});
});
