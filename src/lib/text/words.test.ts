import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { EMOJI, SYMBOL, WORD, sentenceRanges16, tokenAt, tokenizeWords, wordTexts, words16 } from './words';

// Expected word lists were written by hand from what Node 20.20's ICU 78.2
// (Unicode 17) gives for `new Intl.Segmenter('und', { granularity: 'word' })`
// on each spaceless stretch (`process.versions.icu`); if a newer ICU cuts
// differently these are the lines to re-read.

describe('scripts written without spaces', () => {
	it('Japanese: 東京都庁で会議が開かれた。 is ten tokens', () => {
		expect(wordTexts('東京都庁で会議が開かれた。')).toEqual(['東京', '都庁', 'で', '会議', 'が', '開', 'か', 'れ', 'た', '。']);
	});

	it('Chinese: 北京市发布了新的规定 is five words', () => {
		expect(wordTexts('北京市发布了新的规定')).toEqual(['北京市', '发布', '了', '新的', '规定']);
	});

	it('Thai: กรุงเทพมหานครเป็นเมืองหลวง is four words, and a paragraph', () => {
		expect(wordTexts('กรุงเทพมหานครเป็นเมืองหลวง')).toEqual(['กรุงเทพมหานคร', 'เป็น', 'เมือง', 'หลวง']);
		// Thai separates phrases with spaces: each phrase is cut on its own
		expect(wordTexts('กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย ผู้ว่าราชการกล่าวว่าโครงการนี้จะเสร็จในปี 2568')).toEqual([
			'กรุงเทพมหานคร', 'เป็น', 'เมือง', 'หลวง', 'ของ', 'ประเทศไทย',
			'ผู้', 'ว่า', 'ราชการ', 'กล่าว', 'ว่า', 'โครงการ', 'นี้', 'จะ', 'เสร็จ', 'ใน', 'ปี', '2568'
		]);
	});

	it('Lao, Khmer and Myanmar are cut too', () => {
		expect(wordTexts('ຫຼວງພະບາງເປັນເມືອງ')).toEqual(['ຫຼວງພະບາງ', 'ເປັນ', 'ເມືອງ']);
		expect(wordTexts('ភាសាខ្មែរជាភាសា')).toEqual(['ភាសាខ្មែរ', 'ជា', 'ភាសា']);
		expect(wordTexts('မြန်မာစာ')).toEqual(['မြန်မာ', 'စာ']);
	});

	it('mixed Japanese, Latin and digits: the run is cut where the script changes, Japanese by ICU', () => {
		expect(wordTexts('2024年のiPhone15は3月に発売された')).toEqual([
			'2024', '年', 'の', 'iPhone15', 'は', '3', '月', 'に', '発売', 'さ', 'れ', 'た'
		]);
		expect(wordTexts('東京2024年にAI会議')).toEqual(['東京', '2024', '年', 'に', 'AI', '会議']);
		// full-width Latin and digits are Latin/Common, not cut by the dictionary
		expect(wordTexts('ＮＨＫによると、東京都は２０２４年に')).toEqual([
			'ＮＨＫ', 'による', 'と', '、', '東京', '都', 'は', '２０２４', '年', 'に'
		]);
		// the prolonged sound mark ー (Script_Extensions Hiragana/Katakana) stays in the word
		expect(wordTexts('コーヒーを飲みます')).toEqual(['コーヒー', 'を', '飲', 'み', 'ます']);
	});

	it('code point offsets count astral ideographs as one', () => {
		const t = tokenizeWords('𠀋𠀌 で');
		expect(Array.from(t.starts.subarray(0, t.count))).toEqual([0, 1, 3]);
		expect(Array.from(t.ends.subarray(0, t.count))).toEqual([1, 2, 4]);
		expect(Array.from(t.starts16.subarray(0, t.count))).toEqual([0, 2, 5]);
		expect(Array.from(t.ends16.subarray(0, t.count))).toEqual([2, 4, 6]);
	});
});

describe('scripts written with spaces: as before', () => {
	it('French elisions stay split', () => {
		expect(wordTexts('l’entité usurpatrice, l\'armée d’aujourd’hui')).toEqual([
			'l', '’', 'entité', 'usurpatrice', ',', 'l', "'", 'armée', 'd', '’', 'aujourd', '’', 'hui'
		]);
	});

	it('combining marks stay in their word, Arabic and Cyrillic words are runs', () => {
		expect(wordTexts('cafe\u0301 au lait')).toEqual(['cafe\u0301', 'au', 'lait']);
		expect(wordTexts('قال الرئيس: Москва')).toEqual(['قال', 'الرئيس', ':', 'Москва']);
	});
});

describe('symbols and emoji', () => {
	it('an emoji ZWJ sequence, a skin tone, a flag and a keycap are one token each', () => {
		const text = '👨‍👩‍👧 👍🏽x 🇫🇷! #️⃣';
		expect(words16(text).map((w) => [w.text, w.kind])).toEqual([
			['👨‍👩‍👧', EMOJI],
			['👍🏽', EMOJI],
			['x', WORD],
			['🇫🇷', EMOJI],
			['!', SYMBOL],
			['#️⃣', SYMBOL]
		]);
		// code points: the family is 5 (man ZWJ woman ZWJ girl)
		expect(words16(text).map((w) => [w.start, w.end])).toEqual([[0, 5], [6, 8], [8, 9], [10, 12], [12, 13], [14, 17]]);
	});

	it('each punctuation character is its own token, even in a row', () => {
		expect(wordTexts('«Non»… ?!')).toEqual(['«', 'Non', '»', '…', '?', '!']);
	});

	it('a symbol keeps the marks of its cluster but never a following letter', () => {
		expect(wordTexts('«\u0301a')).toEqual(['«\u0301', 'a']);
		expect(wordTexts('a\u200db')).toEqual(['a', '\u200d', 'b']);
	});

	it('empty and whitespace-only texts have no tokens', () => {
		expect(tokenizeWords('').count).toBe(0);
		expect(tokenizeWords(' \n\t\u00a0\u3000').count).toBe(0);
	});
});

describe('tokenAt (local lookup)', () => {
	it('gives the token around an index as tokenizeWords does', () => {
		const text = '会議が開かれた。 l’entité 👍🏽';
		const all = words16(text);
		for (let i = 0; i < text.length; i++) {
			const hit = all.find((w) => w.start16 <= i && i < w.end16);
			const got = tokenAt(text, i);
			expect(got, `index ${i}`).toEqual(hit ? { start: hit.start16, end: hit.end16, kind: hit.kind } : null);
		}
	});
});

describe('cost', () => {
	it('is linear: 40 times the text takes about 40 times as long, never hundreds', () => {
		const unit = '東京都庁で会議が開かれた。กรุงเทพมหานครเป็นเมืองหลวง l’entité 👍🏽 ';
		const time = (text: string) => {
			const t0 = performance.now();
			for (let r = 0; r < 3; r++) tokenizeWords(text);
			return performance.now() - t0;
		};
		time(unit.repeat(50)); // warm up
		const small = time(unit.repeat(500));
		const large = time(unit.repeat(20000));
		expect(large / Math.max(small, 0.5)).toBeLessThan(200);
	});

	it('one spaceless run of 200,000 characters is cut in one linear pass', () => {
		const text = '東京都庁で会議が開かれた'.repeat(20000);
		const t0 = performance.now();
		const t = tokenizeWords(text);
		// ~0.5 s on an idle machine; without the windows ICU takes about a minute on this run, so
		// a generous bound still tells linear from quadratic on a loaded CI machine
		expect(performance.now() - t0).toBeLessThan(30_000);
		expect(t.count).toBeGreaterThan(100000);
		expect(t.ends[t.count - 1]).toBe(text.length);
	});

	it('cutting a long run in windows gives the words ICU gives for the whole run', () => {
		const text = '東京都庁で会議が開かれた北京市发布了新的规定'.repeat(250); // 5,500 code units, 6 windows
		const icu = [...new Intl.Segmenter('und', { granularity: 'word' }).segment(text)].map((s) => s.segment);
		expect(wordTexts(text)).toEqual(icu);
	});
});

describe('sentences', () => {
	it('are cut by ICU with the root locale; line breaks end a sentence', () => {
		const text = 'Il a dit « oui ». Puis il est parti !\n東京です。北京だ。';
		expect(sentenceRanges16(text).map((r) => text.slice(r.start, r.end))).toEqual([
			'Il a dit « oui ». ',
			'Puis il est parti !\n',
			'東京です。',
			'北京だ。'
		]);
	});
});

describe('the root locale, whatever the machine', () => {
	it('a Greek default locale changes neither sentences nor words (plain "und" would: «;» ends a Greek sentence)', () => {
		const script = `
			import { sentenceRanges16, wordTexts } from './src/lib/text/words.ts';
			const t = 'Τι είναι; Δεν ξέρω. 東京都庁で';
			console.log(JSON.stringify({
				sentences: sentenceRanges16(t).length,
				words: wordTexts(t),
				plain: [...new Intl.Segmenter('und', { granularity: 'sentence' }).segment(t)].length
			}));`;
		for (const locale of ['el_GR.UTF-8', 'C']) {
			const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
				encoding: 'utf8',
				env: { ...process.env, LC_ALL: locale, LANG: locale }
			});
			const r = JSON.parse(out);
			expect(r.sentences, locale).toBe(2);
			expect(r.words).toEqual(['Τι', 'είναι', ';', 'Δεν', 'ξέρω', '.', '東京', '都庁', 'で']);
			// the trap this avoids: V8 resolves 'und' to the default locale
			expect(r.plain).toBe(locale === 'C' ? 2 : 3);
		}
	});
});
