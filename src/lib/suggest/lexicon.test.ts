import { describe, expect, it } from 'vitest';
import { buildLexicon, normaliseSurface, parseGazetteer } from './lexicon';

const pick = (text: string, found: Array<{ start: number; end: number; label: string; score: number }>) =>
	found.map((s) => [[...text].slice(s.start, s.end).join(''), s.label, s.score]);

describe('lexicon', () => {
	it('normalises case, whitespace and apostrophes', () => {
		expect(normaliseSurface('  Le  Ministère\n de l’Intérieur ')).toBe("le ministère de l'intérieur");
		expect(normaliseSurface('ÉTAT')).toBe('état');
	});

	it('finds the longest match, on word boundaries, with the label the string got most often', () => {
		const lexicon = buildLexicon([
			{ text: 'le ministère', label: 'attribution' },
			{ text: 'Le ministère de l’Intérieur', label: 'attribution' },
			{ text: 'le ministère de l’intérieur', label: 'attribution' },
			{ text: 'le ministère de l’intérieur', label: 'claim' },
			{ text: 'Gaza', label: 'framing' },
			{ text: 'Gaza', label: 'framing' },
			{ text: 'Gaza', label: 'claim' }
		]);
		const text = 'Selon LE  MINISTÈRE de l\'intérieur, à Gaza; le ministère dit; Gazaoui non.';
		expect(pick(text, lexicon.match(text))).toEqual([
			['LE  MINISTÈRE de l\'intérieur', 'attribution', 0.667],
			['Gaza', 'framing', 0.667],
			['le ministère', 'attribution', 1]
		]);
	});

	it('counts offsets in code points and keeps only the dataset’s labels', () => {
		const lexicon = buildLexicon([
			{ text: 'fête 🎉', label: 'framing' },
			{ text: 'fête 🎉', label: 'claim' },
			{ text: 'fête 🎉', label: 'claim' }
		]);
		const text = '😀 La fête 🎉 a lieu.';
		const found = lexicon.match(text);
		expect(found).toEqual([{ start: 5, end: 11, label: 'claim', score: 0.667 }]);
		expect(lexicon.match(text, ['framing'])).toEqual([{ start: 5, end: 11, label: 'framing', score: 1 }]);
		expect(lexicon.match(text, ['date'])).toEqual([]);
	});

	it('leaves out one-character entries and takes prototype names as plain strings', () => {
		const lexicon = buildLexicon([
			{ text: 'a', label: 'claim' },
			{ text: '__proto__', label: 'constructor' },
			{ text: 'toString', label: '__proto__' }
		]);
		expect(lexicon.size).toBe(2);
		expect(pick('a __proto__ toString', lexicon.match('a __proto__ toString'))).toEqual([
			['__proto__', 'constructor', 1],
			['toString', '__proto__', 1]
		]);
	});

	it('stays linear on repetitive text and entries', () => {
		const lexicon = buildLexicon(Array.from({ length: 200 }, (_, i) => ({ text: 'a '.repeat(i + 1) + 'b', label: 'claim' })));
		const text = 'a '.repeat(100_000);
		const t0 = performance.now();
		expect(lexicon.match(text)).toEqual([]);
		expect(performance.now() - t0).toBeLessThan(5000);
	});
});

describe('gazetteer', () => {
	it('reads text<TAB>label lines and names each bad line', () => {
		const { entries, problems } = parseGazetteer('# comment\nMinistère de la Santé\tattribution\r\n\nx\tclaim\nsans tab\nGaza\tnope\n', ['attribution', 'claim']);
		expect(entries).toEqual([{ text: 'ministère de la santé', label: 'attribution' }]);
		expect(problems.map((p) => p.message)).toEqual([
			'line 4: the text must have at least 2 characters',
			'line 5: expected text<TAB>label',
			'line 6: no label "nope" in this dataset (labels: attribution, claim)'
		]);
	});
});

describe('lexicon changes', () => {
	it('takes entries back out, and leaves out an excluded document’s own entries for one match', () => {
		const lexicon = buildLexicon([
			{ text: 'le maire', label: 'attribution' },
			{ text: 'le maire de Lyon', label: 'attribution' }
		]);
		const text = 'Le maire de Lyon a parlé.';
		expect(pick(text, lexicon.match(text))).toEqual([['Le maire de Lyon', 'attribution', 1]]);
		// the longer entry came from this document: the shorter one is found instead
		expect(pick(text, lexicon.match(text, undefined, [{ text: 'le maire de lyon', label: 'attribution' }]))).toEqual([['Le maire', 'attribution', 1]]);
		expect(pick(text, lexicon.match(text))).toEqual([['Le maire de Lyon', 'attribution', 1]]);
		lexicon.add([{ text: 'le maire', label: 'attribution' }], -1);
		lexicon.add([{ text: 'Le Maire de Lyon', label: 'claim' }]);
		expect(pick(text, lexicon.match(text))).toEqual([['Le maire de Lyon', 'attribution', 0.5]]);
		expect(pick(text, lexicon.match(text, undefined, [{ text: 'le maire de lyon', label: 'attribution' }, { text: 'le maire de lyon', label: 'claim' }]))).toEqual([]);
	});
});
