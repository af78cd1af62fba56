import { test, expect } from '@playwright/test';
import { apiAs, seedDataset } from '../helpers/api';

test('a lead seeds a dataset through the API and an annotator sees it', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: 'Hello world.' }] });
	const ann1 = await apiAs('ann1');
	const list = await ann1.get(`/api/datasets/${slug}/documents`);
	expect(await list.json()).toEqual([{ id: 'a', title: 'Hello world.', status: 'not_started' }]);
});
