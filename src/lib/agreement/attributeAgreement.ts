/**
 * Agreement on span attributes (issue #17 item 4): for each label and each of
 * its attributes, over the spans that annotators tagged identically (same start,
 * end and label), how often their values are equal, and Krippendorff's alpha
 * (nominal).
 *
 * Definitions
 *  - A unit is (document, span, attribute) where the span is in the sets of at
 *    least two annotators and at least one of them set the attribute. A span
 *    nobody gave a value says nothing about the attribute and is left out.
 *  - Values are compared exactly (`true` ≠ `"true"`); "not set" is a value of
 *    its own: one annotator giving a date `2024-05-04` and the other leaving it
 *    empty disagree.
 *  - Per pair: the units the two share, counted when at least one of the two set
 *    the attribute. `share_equal` = units with equal values / units; `alpha` is
 *    Krippendorff's alpha over those units with two values each.
 *  - Over all annotators: every unit, each annotator who tagged the span giving
 *    one value (the others are missing). `share_equal` pools the pairs: the sum
 *    over pairs of equal units / the sum of their units; `alpha` is
 *    Krippendorff's alpha over all values.
 *  - Null when there is no unit, or alpha has no variation (coefficients.ts).
 *
 * Attribute and label names come from outside: every lookup goes through Maps
 * and `own()`, and the report is made of prototype-free objects.
 */
import { dict, own, type Dict } from '../model/dict';
import { alphaFromCoincidences } from './coefficients';

export interface AttributeSpan {
	start: number;
	end: number;
	label: string;
	attrs?: Readonly<Record<string, unknown>> | null;
}

export interface AttributeAnnotation {
	annotator: string;
	spans: readonly AttributeSpan[];
}

export interface AttributeFigures {
	/** units counted */
	items: number;
	share_equal: number | null;
	alpha: number | null;
}

export interface AttributePairStats extends AttributeFigures {
	a: string;
	b: string;
}

export interface AttributeStats extends AttributeFigures {
	pairs: AttributePairStats[];
}

/** label → attribute → figures */
export type AttributeReport = Dict<Dict<AttributeStats>>;

/** The labels' attribute names, as the dataset defines them. */
export interface AttributeSchema {
	label: string;
	attributes: readonly string[];
}

/** the value as a category: JSON keeps `true` and `"true"` apart; not set is `null` */
function categoryOf(attrs: AttributeSpan['attrs'], name: string): string {
	const v = attrs && typeof attrs === 'object' ? own(attrs as Record<string, unknown>, name) : undefined;
	return v === undefined || v === null || v === '' ? 'null' : JSON.stringify(v);
}

/** Coincidence statistics for alpha, accumulated unit by unit. */
class AlphaAcc {
	disagreement = 0;
	n = 0;
	readonly totals = new Map<string, number>();
	/** values of one unit (each a category) */
	addUnit(values: readonly string[]): void {
		const m = values.length;
		if (m < 2) return;
		if (m === 2) return this.addTwo(values[0], values[1]);
		const local = new Map<string, number>();
		for (const v of values) local.set(v, (local.get(v) ?? 0) + 1);
		let sq = 0;
		for (const [v, c] of local) {
			sq += c * c;
			this.totals.set(v, (this.totals.get(v) ?? 0) + c);
		}
		this.disagreement += (m * m - sq) / (m - 1);
		this.n += m;
	}
	/** a unit of two values (the pair figures): no map per unit */
	addTwo(x: string, y: string): void {
		this.totals.set(x, (this.totals.get(x) ?? 0) + 1);
		this.totals.set(y, (this.totals.get(y) ?? 0) + 1);
		if (x !== y) this.disagreement += 2; // (m² − Σn_c²)/(m − 1) = (4 − 2)/1
		this.n += 2;
	}
	alpha(): number | null {
		let sumNc2 = 0;
		for (const c of this.totals.values()) sumNc2 += c * c;
		return alphaFromCoincidences(this.disagreement, this.n, sumNc2);
	}
}

interface Cell {
	items: number;
	alpha: AlphaAcc;
	pairs: Map<string, { a: string; b: string; items: number; equal: number; alpha: AlphaAcc }>;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const spanKey = (s: AttributeSpan) => `${s.start}:${s.end}`;

export class AttributeAgreementAccumulator {
	/** label → attribute → cell, in the schema's order */
	private readonly cells = new Map<string, Map<string, Cell>>();

	constructor(schema: readonly AttributeSchema[] | undefined) {
		for (const { label, attributes } of schema ?? []) {
			if (typeof label !== 'string' || this.cells.has(label) || !attributes?.length) continue;
			const byName = new Map<string, Cell>();
			for (const a of attributes) if (typeof a === 'string' && !byName.has(a)) byName.set(a, { items: 0, alpha: new AlphaAcc(), pairs: new Map() });
			this.cells.set(label, byName);
		}
	}

	/** One document's sets (gold excluded by the caller); an annotator listed twice: the last entry wins. */
	add(sets: readonly AttributeAnnotation[]): void {
		const byName = new Map<string, AttributeAnnotation>();
		for (const s of sets) if (s && typeof s.annotator === 'string') byName.set(s.annotator, s);
		if (byName.size < 2 || this.cells.size === 0) return;
		const names = [...byName.keys()].sort(cmp);
		// pair keys, once per document and pair that has a unit
		const pairKeys: string[] = [];
		const m = names.length;
		// label → span position → attrs of each annotator who tagged it (by annotator index)
		const units = new Map<string, Map<string, Map<number, AttributeSpan['attrs']>>>();
		names.forEach((name, i) => {
			for (const s of byName.get(name)!.spans ?? []) {
				if (!s || !this.cells.has(s.label)) continue;
				if (typeof s.start !== 'number' || typeof s.end !== 'number' || !(s.end > s.start)) continue;
				let perLabel = units.get(s.label);
				if (!perLabel) units.set(s.label, (perLabel = new Map()));
				const key = spanKey(s);
				let who = perLabel.get(key);
				if (!who) perLabel.set(key, (who = new Map()));
				if (!who.has(i)) who.set(i, s.attrs);
			}
		});
		for (const [label, perLabel] of units) {
			const cells = this.cells.get(label)!;
			for (const who of perLabel.values()) {
				if (who.size < 2) continue;
				const coders = [...who.keys()].sort((x, y) => x - y);
				for (const [attribute, cell] of cells) {
					const values = coders.map((i) => categoryOf(who.get(i), attribute));
					if (values.every((v) => v === 'null')) continue;
					cell.items++;
					cell.alpha.addUnit(values);
					for (let x = 0; x < coders.length; x++)
						for (let y = x + 1; y < coders.length; y++) {
							if (values[x] === 'null' && values[y] === 'null') continue;
							const key = (pairKeys[coders[x] * m + coders[y]] ??= JSON.stringify([names[coders[x]], names[coders[y]]]));
							let p = cell.pairs.get(key);
							if (!p) cell.pairs.set(key, (p = { a: names[coders[x]], b: names[coders[y]], items: 0, equal: 0, alpha: new AlphaAcc() }));
							p.items++;
							if (values[x] === values[y]) p.equal++;
							p.alpha.addTwo(values[x], values[y]);
						}
				}
			}
		}
	}

	report(): AttributeReport {
		const out: AttributeReport = dict();
		for (const [label, cells] of this.cells) {
			const perLabel = dict<AttributeStats>();
			for (const [attribute, cell] of cells) {
				const pairs = [...cell.pairs.values()]
					.sort((x, y) => cmp(x.a, y.a) || cmp(x.b, y.b))
					.map((p) => ({ a: p.a, b: p.b, items: p.items, share_equal: p.items ? p.equal / p.items : null, alpha: p.alpha.alpha() }));
				const pairItems = pairs.reduce((n, p) => n + p.items, 0);
				const pairEqual = [...cell.pairs.values()].reduce((n, p) => n + p.equal, 0);
				perLabel[attribute] = {
					items: cell.items,
					share_equal: pairItems ? pairEqual / pairItems : null,
					alpha: cell.alpha.alpha(),
					pairs
				};
			}
			out[label] = perLabel;
		}
		return out;
	}
}
