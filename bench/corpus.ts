/**
 * Deterministic bench material: news-like articles and spans over them.
 * Pure (no I/O), so the generator, the bench steps and the concurrency test
 * build exactly the same texts from the same seeds.
 *
 * Offsets are code point offsets (the store's convention); every tenth
 * article carries an emoji so the UTF-16 ≠ code point paths are exercised.
 */
import { createHash } from 'node:crypto';
import type { SpanInput } from '../src/lib/model/types';

export const LABELS = ['claim', 'attribution', 'framing', 'date'];

/** mulberry32: small, fast, reproducible */
export function rng(seed: number): () => number {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = (
	'le la les un une des du de et à au aux en dans pour par sur avec sans sous entre vers chez ' +
	'maire gouvernement ministre préfecture conseil municipal député sénat région commune ville village ' +
	'a déclaré selon affirme annonce estime rappelle précise souligne indique dénonce reconnaît ' +
	'hausse baisse budget impôts prix loyers salaires chômage inflation croissance dette réforme ' +
	'mardi mercredi jeudi vendredi samedi dimanche lundi janvier février mars avril mai juin juillet ' +
	'hier demain matin soir semaine année dernière prochaine inévitable historique inédite brutale ' +
	'the mayor said according to officials reported on Tuesday last week council budget increase ' +
	'élus habitants associations syndicats entreprises agriculteurs enseignants soignants policiers ' +
	'projet loi décret vote séance débat manifestation grève accord plan mesure enquête rapport ' +
	'millions milliards euros pour-cent environ près plus moins déjà encore toujours jamais ' +
	'été « » nouvelle nouveau grand grande petit petite premier première public publique national'
).split(' ');

export interface Article {
	id: string;
	title: string;
	text: string;
	sha256: string;
	/** code point [start, end) of every word, for placing spans on word boundaries */
	words: Array<[number, number]>;
}

/** A news-like article of about `chars` code points, unique by `n`. */
export function makeArticle(n: number, chars: number, idPrefix = 'doc'): Article {
	const random = rng(n * 7919 + chars);
	const parts: string[] = [];
	const words: Array<[number, number]> = [];
	let cp = 0;
	const push = (s: string, isWord: boolean) => {
		const len = codePoints(s);
		if (isWord) words.push([cp, cp + len]);
		parts.push(s);
		cp += len;
	};
	const title = `Dépêche ${n}: le conseil vote le budget`;
	push(title, false);
	push('\n\n', false);
	let sentence = 0;
	while (cp < chars) {
		const length = 8 + Math.floor(random() * 14);
		for (let w = 0; w < length; w++) {
			let word = WORDS[Math.floor(random() * WORDS.length)];
			if (w === 0) word = word[0].toUpperCase() + word.slice(1);
			if (w === 3 && sentence === 0) word = `n°${n}`;
			push(word, true);
			push(w === length - 1 ? '.' : ' ', false);
		}
		sentence++;
		if (n % 10 === 0 && sentence === 2) push(' 😀', false);
		push(sentence % 6 === 0 ? '\n\n' : ' ', false);
	}
	const text = parts.join('').trimEnd();
	return { id: `${idPrefix}-${String(n).padStart(6, '0')}`, title, text, sha256: sha256(text), words };
}

/**
 * `count` distinct spans (1–4 words each) on word boundaries; about
 * `overlapShare` of them start inside the previous one, so some nest.
 * `jitter` shifts a share of spans by a word, to make two annotators disagree a little.
 */
export function makeSpans(
	article: Pick<Article, 'words'>,
	count: number,
	seed: number,
	opts: { overlapShare?: number; jitter?: number; labelSeed?: number } = {}
): SpanInput[] {
	const random = rng(seed);
	const labelRandom = rng(opts.labelSeed ?? seed);
	const jitterRandom = rng(seed ^ 0x5bd1e995);
	const { words } = article;
	const seen = new Set<string>();
	const spans: SpanInput[] = [];
	const stride = Math.max(1, Math.floor(words.length / count));
	let guard = 0;
	for (let i = 0; spans.length < count && guard < count * 20; i++, guard++) {
		const overlap = random() < (opts.overlapShare ?? 0.1);
		let first = overlap && spans.length ? Math.min(words.length - 1, (i - 1) * stride + 1) : i * stride;
		if (opts.jitter && jitterRandom() < opts.jitter) first += 1;
		first %= words.length;
		const last = Math.min(words.length - 1, first + Math.floor(random() * 4));
		const label = LABELS[Math.floor(labelRandom() * LABELS.length)];
		const span = { start: words[first][0], end: words[last][1], label };
		const key = `${span.start}:${span.end}:${span.label}`;
		if (seen.has(key)) continue;
		seen.add(key);
		spans.push(span);
	}
	if (spans.length < count) throw new Error(`could only place ${spans.length} of ${count} spans`);
	return spans;
}

export function codePoints(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0xd800 || c > 0xdbff) n++;
	}
	return n;
}

export function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}
