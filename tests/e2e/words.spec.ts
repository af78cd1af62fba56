/**
 * One word definition in every script (issue #21) and exports that say what they
 * cannot hold (issue #15 item 6), as users meet them: an annotator selects with the
 * mouse in Japanese and steps word by word through Thai; a lead reads agreement on a
 * Japanese article counted by words, cuts a release, downloads its CoNLL from the
 * Releases page and reads it back in Python.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PASSWORD, apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';
import { charBox } from '../helpers/article';

const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const saveIndicator = (page: Page) => page.locator('.save[data-state]');
const hint = (page: Page) => page.locator('.label-bar .hint');

async function waitSaved(page: Page, revision: number): Promise<void> {
	await expect(saveIndicator(page)).toHaveAttribute('data-state', 'saved');
	await expect(saveIndicator(page)).toHaveAttribute('data-revision', String(revision));
}

/** Code point offsets of `needle` in `text` (the `occurrence`-th). */
function cp(text: string, needle: string, occurrence = 0): { start: number; end: number } {
	let at = -1;
	for (let k = 0; k <= occurrence; k++) at = text.indexOf(needle, at + 1);
	if (at < 0) throw new Error(`${needle} not in text`);
	const start = Array.from(text.slice(0, at)).length;
	return { start, end: start + Array.from(needle).length };
}

test('an annotator selects 都 with the mouse and gets 都庁, then steps word by word through Thai', async ({ page }) => {
	const thai = 'กรุงเทพมหานครเป็นเมืองหลวง';
	const japanese = '東京都庁で会議が開かれた。';
	const text = `${thai}\n${japanese}`;
	const slug = await seedDataset({ documents: [{ id: 'asia', title: 'アジア', text }] });
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await gotoHydrated(page, `/datasets/${slug}/documents/asia`);
	await expect(article(page)).toBeVisible();

	// Shift+→ from the start: one Thai word at a time (the whole line was one "word" before)
	await page.keyboard.press('Shift+ArrowRight');
	await expect(hint(page)).toContainText('Tag กรุงเทพมหานคร as');
	await page.keyboard.press('1'); // claim
	await waitSaved(page, 1);
	await page.keyboard.press('Shift+ArrowRight'); // the word after the last thing tagged
	await expect(hint(page)).toContainText('Tag เป็น as');
	await page.keyboard.press('2'); // attribution
	await waitSaved(page, 2);
	await page.keyboard.press('Shift+ArrowRight');
	await expect(hint(page)).toContainText('Tag เมือง as');
	await page.keyboard.press('Shift+ArrowRight');
	await expect(hint(page)).toContainText('Tag เมืองหลวง as');
	await page.keyboard.press('3'); // framing
	await waitSaved(page, 3);

	// the mouse over 都 alone snaps to the word 都庁, not to the whole sentence
	const a = await charBox(page, '都庁', 0);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(a.x, a.y, { steps: 3 });
	await page.mouse.move(a.right - 1, a.y, { steps: 3 });
	await page.mouse.up();
	await expect(hint(page)).toContainText('Tag 都庁 as');
	await page.keyboard.press('4'); // date
	await waitSaved(page, 4);
	await expect(page.locator('.ProseMirror .span[data-label="date"]')).toHaveText('都庁');

	const saved = await (await page.request.get(`/api/datasets/${slug}/documents/asia/annotations/me`)).json();
	expect(saved.spans.map((s: { label: string; start: number; end: number; text: string }) => [s.label, s.start, s.end, s.text])).toEqual([
		['claim', 0, 13, 'กรุงเทพมหานคร'],
		['attribution', 13, 17, 'เป็น'],
		['framing', 17, 26, 'เมืองหลวง'],
		['date', ...Object.values(cp(text, '都庁')), '都庁']
	]);
});

test('agreement and CoNLL on a Japanese article count words; the CoNLL download reads back in Python', async ({ page }) => {
	test.setTimeout(120_000);
	// a Japanese article and a French one with a framing nested in a claim (issue #15)
	const ja = '東京都庁で会議が開かれた。北京市发布了新的规定。';
	const fr = 'Il dénonce l’entité usurpatrice du pouvoir. Le maire parle le 7 octobre.';
	const slug = await seedDataset({
		documents: [
			{ id: 'ja', title: '会議', text: ja },
			{ id: 'fr', title: 'Entité', text: fr }
		]
	});
	const put = async (user: string, id: string, spans: Array<{ start: number; end: number; label: string }>) => {
		const ctx = await apiAs(user);
		const res = await ctx.put(`/api/datasets/${slug}/documents/${id}/annotations/me`, { data: { baseRevision: 0, spans, status: 'done' } });
		expect(res.status(), await res.text()).toBe(200);
		await ctx.dispose();
	};
	// ja: ann1 attribution 都庁, claim 会議; ann2 attribution 東京都庁, claim 会議
	await put('ann1', 'ja', [
		{ ...cp(ja, '都庁'), label: 'attribution' },
		{ ...cp(ja, '会議'), label: 'claim' }
	]);
	await put('ann2', 'ja', [
		{ ...cp(ja, '東京都庁'), label: 'attribution' },
		{ ...cp(ja, '会議'), label: 'claim' }
	]);
	// fr: ann1 claim «dénonce … pouvoir» with framing «entité usurpatrice» inside, date «le 7 octobre»,
	//     a framing «maire parle le» crossing the date, and «nti» (off word boundaries, as with Alt); ann2 the claim only
	const claim = { start: cp(fr, 'dénonce').start, end: cp(fr, 'pouvoir').end, label: 'claim' };
	await put('ann1', 'fr', [
		claim,
		{ ...cp(fr, 'entité usurpatrice'), label: 'framing' },
		{ ...cp(fr, 'le 7 octobre'), label: 'date' },
		{ ...cp(fr, 'maire parle le'), label: 'framing' },
		{ ...cp(fr, 'nti'), label: 'framing' }
	]);
	await put('ann2', 'fr', [claim]);

	const lead = await apiAs('lead');
	const report = await (await lead.get(`/api/datasets/${slug}/agreement`)).json();
	// items are words: ja 東京 都庁 で 会議 が 開 か れ た 。 北京市 发布 了 新的 规定 。 (16),
	// fr Il dénonce l ’ entité usurpatrice du pouvoir . Le maire parle le 7 octobre . (16)
	expect(report.overall.items).toBe(16 + 16);
	const labels: string[] = report.confusion.labels;
	const cell = (x: string, y: string) => report.confusion.counts[labels.indexOf(x)][labels.indexOf(y)];
	// entité and usurpatrice: ann1's framing inside the claim against ann2's claim; «nti» is inside entité too
	expect(cell('framing', 'claim')).toBe(2);
	expect(cell('claim', 'framing')).toBe(2);
	// 東京: ann2's attribution against nothing from ann1
	expect(cell('attribution', 'none')).toBe(1 + 0);

	// the dashboard shows the swap and says how it counts
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/agreement`);
	await expect(page.locator('.confusion td[data-row="framing"][data-col="claim"]')).toHaveText('2');
	await expect(page.getByTestId('confusion-method')).toContainText('nested spans count');

	// cut a release of the annotators' work and read what the page says CoNLL leaves out
	await gotoHydrated(page, `/datasets/${slug}/releases`);
	await page.getByLabel('Source').selectOption('annotators');
	await page.getByRole('button', { name: 'Cut release' }).click();
	await expect(page.getByRole('status')).toHaveText('Released v0001: 4 records.');
	const row = page.locator('tr[data-version="v0001"]');
	// 2 + 2 + 5 + 1 = 10 spans; CoNLL cannot hold «le 7 octobre» (it crosses the earlier «maire parle le») nor «nti»
	await expect(row.getByTestId('export-losses')).toContainText('CoNLL leaves out 2 spans of 10');
	await expect(row.getByTestId('export-losses')).toContainText('1 crossing another without nesting, 1 not on word boundaries');

	const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'CoNLL' }).click()]);
	expect(download.suggestedFilename()).toBe(`${slug}-v0001.conll`);
	const file = (await download.path())!;
	const conll = fs.readFileSync(file, 'utf8');
	// Japanese is words, one per line, and sentences end at 。
	expect(conll).toContain('東京\tO\tO\n都庁\tB-attribution\tO\nで\tO\tO\n会議\tB-claim\tO\n');
	expect(conll).toContain('。\tO\tO\n\n北京市\tO\tO\n');
	// the framing nested in the claim is in the second column
	expect(conll).toContain('entité\tI-claim\tB-framing\nusurpatrice\tI-claim\tI-framing\n');

	// the same numbers in the response header and the manifest
	const res = await lead.get(`/api/datasets/${slug}/releases/v0001?format=conll`);
	expect(res.headers()['x-spanlab-unrepresentable-spans']).toBe('2');
	expect(await res.text()).toBe(conll);
	const manifest = await (await lead.get(`/api/datasets/${slug}/releases/v0001/manifest`)).json();
	expect(manifest.spans).toBe(10);
	expect(manifest.unrepresentable).toMatchObject({ prodigy: 0, doccano: 0, conll: 2, conll_columns: 2 });
	expect(manifest.tokenizer.definition).toBe('spanlab-words/2');

	// a second release; the first one's manifest says it was cut by another ICU (as after a Node upgrade):
	// the compare page warns that token indices differ
	expect((await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'annotators' } })).status()).toBe(201);
	const firstManifest = path.join(process.env.SPANLAB_E2E_DATA!, slug, 'releases', 'v0001.manifest.json');
	const edited = JSON.parse(fs.readFileSync(firstManifest, 'utf8'));
	edited.tokenizer.icu = '72.1';
	fs.writeFileSync(firstManifest, JSON.stringify(edited, null, 2) + '\n');
	// its downloads say they were converted with other words than the release was cut with
	const again = await lead.get(`/api/datasets/${slug}/releases/v0001?format=conll`);
	expect(again.headers()['x-spanlab-release-tokenizer']).toBe('spanlab-words/2; icu=72.1; unicode=' + edited.tokenizer.unicode);
	expect(again.headers()['x-spanlab-unrepresentable-spans']).toBe('2'); // counted again from the file
	await lead.dispose();
	await gotoHydrated(page, `/datasets/${slug}/releases/diff?a=1&b=2`);
	await expect(page.getByTestId('tokenizer-note')).toContainText('The tokenizers differ');
	await expect(page.getByTestId('tokenizer-note')).toContainText('v0001 was cut with spanlab-words/2, ICU 72.1');
	await gotoHydrated(page, `/datasets/${slug}/releases/diff?a=2&b=2`);
	await expect(page.getByTestId('tokenizer-note')).toContainText('Both cut words alike');

	// read it back with Python's standard library: every line as wide, spans = release spans - unrepresentable
	const reader = String.raw`
import json, sys
widths, spans, opened = set(), 0, {}
for line in open(sys.argv[1], encoding="utf-8"):
    cols = line.rstrip("\n").split("\t")
    if cols == [""]:
        opened.clear(); continue
    widths.add(len(cols))
    if cols[0] == "-DOCSTART-":
        opened.clear(); continue
    for c, tag in enumerate(cols[1:]):
        if tag.startswith("B-"):
            spans += 1; opened[c] = tag[2:]
        elif tag.startswith("I-") and opened.get(c) == tag[2:]:
            pass
        elif tag.startswith("I-"):
            spans += 1; opened[c] = tag[2:]
        else:
            opened.pop(c, None)
print(json.dumps({"widths": sorted(widths), "spans": spans}))
`;
	const back = JSON.parse(execFileSync('python3', ['-c', reader, file], { encoding: 'utf8' }));
	expect(back).toEqual({ widths: [3], spans: manifest.spans - manifest.unrepresentable.conll });
});
