/**
 * Label colours that people can tell apart: distances in CIEDE2000 (the CIE's
 * perceptual colour difference; culori computes it), new colours picked as far
 * as possible from the ones in use, and the pairs too close to tell apart.
 */
import { differenceCiede2000, modeLab65, modeRgb, useMode } from 'culori/fn';

useMode(modeRgb);
useMode(modeLab65);
const ciede2000 = differenceCiede2000();

/**
 * Below this CIEDE2000 difference two label colours are "too close": e.g. the
 * walkthrough's #2f9e44 against `date`'s #2b8a3e is 6.9, orange #e67700 against
 * `claim`'s #e8590c 10.0; the default labels are 34 or more apart.
 */
export const TOO_CLOSE = 15;

/**
 * Colours new labels are picked from: saturated enough to show as a 2 px
 * underline and a 13 % tint on white, none close to the text colour.
 * (Open Color shades 7–9.)
 */
export const LABEL_PALETTE = [
	'#e8590c', '#1c7ed6', '#9c36b5', '#2b8a3e', '#e03131', '#0ca678', '#f59f00', '#3b5bdb',
	'#c2255c', '#66a80f', '#1098ad', '#6741d9', '#862e9c', '#087f5b', '#d9480f', '#364fc7',
	'#a61e4d', '#5c940d', '#0b7285', '#e67700', '#c92a2a', '#495057'
];

/** CIEDE2000 difference of two #rrggbb colours (0: the same; 100: black and white). */
export function colorDifference(a: string, b: string): number {
	return ciede2000(a, b);
}

/**
 * The palette colour farthest (by its smallest CIEDE2000 difference) from every
 * colour in `used`; ties go to the earlier palette entry, so the result is
 * predictable. With nothing in use, the first palette colour.
 */
export function pickLabelColor(used: readonly string[]): string {
	const taken = used.map((c) => c.toLowerCase());
	let best = LABEL_PALETTE[0];
	let bestDistance = -1;
	for (const candidate of LABEL_PALETTE) {
		const nearest = taken.length ? Math.min(...taken.map((c) => colorDifference(candidate, c))) : Infinity;
		if (nearest > bestDistance) {
			best = candidate;
			bestDistance = nearest;
		}
	}
	return best;
}

/** Colours for `count` new labels, each as far as possible from the ones in use and the ones picked before it. */
export function pickLabelColors(used: readonly string[], count: number): string[] {
	const all = [...used];
	const picked: string[] = [];
	for (let i = 0; i < count; i++) {
		const color = pickLabelColor(all);
		picked.push(color);
		all.push(color);
	}
	return picked;
}

export interface ClosePair {
	a: string;
	b: string;
	/** CIEDE2000, rounded to one decimal */
	difference: number;
}

/** Pairs of labels (by name, in list order) whose colours are closer than `TOO_CLOSE`. */
export function closeColorPairs(labels: ReadonlyArray<{ name: string; color: string }>): ClosePair[] {
	const pairs: ClosePair[] = [];
	for (let i = 0; i < labels.length; i++) {
		for (let j = i + 1; j < labels.length; j++) {
			if (!/^#[0-9a-f]{6}$/i.test(labels[i].color) || !/^#[0-9a-f]{6}$/i.test(labels[j].color)) continue;
			const difference = colorDifference(labels[i].color, labels[j].color);
			if (difference < TOO_CLOSE) pairs.push({ a: labels[i].name, b: labels[j].name, difference: Math.round(difference * 10) / 10 });
		}
	}
	return pairs;
}
