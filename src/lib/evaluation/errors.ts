/**
 * The error browser's material: every span that is not `correct`, with its
 * category, its surface string and the sentence around it, and the grouping
 * the page shows (label → category → surface string). Pure.
 */
import { OffsetMap } from '../text/offsets';
import { classify, type Category, type EvalSpan } from './match';

export interface ErrorSpan {
	start: number;
	end: number;
	label: string;
	text: string;
	score?: number;
}

export interface ErrorItem {
	doc_id: string;
	/** the reference record's annotator ("gold" or an annotator's name) */
	reference_of: string;
	category: Exclude<Category, 'correct'>;
	label: string;
	reference: ErrorSpan | null;
	predicted: ErrorSpan | null;
	/** the text the error is about: the reference span's, else the predicted span's */
	surface: string;
	/** the sentence around it: before + the covered text + after */
	context: { before: string; text: string; after: string };
}

/** Context shown on each side at most, in code points, when no sentence boundary is nearer. */
const CONTEXT = 160;
const SENTENCE_END = /[.!?。！？…]["»”’)\]]*\s|\r?\n|\r/gu;

/** The sentence (or line) around [start, end) of `text`, UTF-16 offsets. */
function sentenceAround(text: string, start: number, end: number): [number, number] {
	let from = Math.max(0, start - CONTEXT * 2);
	let sentenceStart = from === 0 ? 0 : -1;
	SENTENCE_END.lastIndex = from;
	for (let m = SENTENCE_END.exec(text); m && m.index + m[0].length <= start; m = SENTENCE_END.exec(text)) {
		sentenceStart = m.index + m[0].length;
	}
	if (sentenceStart < 0 || start - sentenceStart > CONTEXT * 2) sentenceStart = Math.max(0, start - CONTEXT);
	from = sentenceStart;
	SENTENCE_END.lastIndex = end;
	const next = SENTENCE_END.exec(text);
	let sentenceEnd = next && next.index - end <= CONTEXT * 2 ? next.index + (next[0].trim() ? next[0].trimEnd().length : 0) : Math.min(text.length, end + CONTEXT);
	if (sentenceEnd < end) sentenceEnd = end;
	return [from, sentenceEnd];
}

function errorSpan(text: string, map: OffsetMap, s: EvalSpan | null): ErrorSpan | null {
	if (!s) return null;
	const out: ErrorSpan = { start: s.start, end: s.end, label: s.label, text: text.slice(map.toUtf16(s.start), map.toUtf16(s.end)) };
	if (s.score !== undefined) out.score = s.score;
	return out;
}

/** The errors of one document against one reference record, in document order. */
export function documentErrors(
	docId: string,
	referenceOf: string,
	text: string,
	reference: readonly EvalSpan[],
	predicted: readonly EvalSpan[]
): ErrorItem[] {
	const items = classify(reference, predicted).filter((c) => c.category !== 'correct');
	if (items.length === 0) return [];
	const map = new OffsetMap(text);
	return items.map((c) => {
		const ref = errorSpan(text, map, c.reference);
		const pred = errorSpan(text, map, c.predicted);
		const startCp = Math.min(ref?.start ?? Infinity, pred?.start ?? Infinity);
		const endCp = Math.max(ref?.end ?? -Infinity, pred?.end ?? -Infinity);
		const a = map.toUtf16(startCp);
		const b = map.toUtf16(endCp);
		const [from, to] = sentenceAround(text, a, b);
		return {
			doc_id: docId,
			reference_of: referenceOf,
			category: c.category as ErrorItem['category'],
			label: c.label,
			reference: ref,
			predicted: pred,
			surface: (ref ?? pred)!.text,
			context: { before: text.slice(from, a), text: text.slice(a, b), after: text.slice(b, to) }
		};
	});
}

export interface SurfaceGroup {
	surface: string;
	items: ErrorItem[];
}

export interface CategoryGroup {
	category: ErrorItem['category'];
	count: number;
	surfaces: SurfaceGroup[];
}

export interface LabelGroup {
	label: string;
	count: number;
	categories: CategoryGroup[];
}

const CATEGORY_ORDER: ErrorItem['category'][] = ['wrong_label', 'wrong_boundaries', 'wrong_label_and_boundaries', 'missed', 'spurious'];

/**
 * Errors grouped by label, then category (in the scheme's order), then surface
 * string (case and spacing normalised; the most frequent first).
 */
export function groupErrors(items: readonly ErrorItem[]): LabelGroup[] {
	const byLabel = new Map<string, Map<ErrorItem['category'], Map<string, ErrorItem[]>>>();
	for (const item of items) {
		let cats = byLabel.get(item.label);
		if (!cats) byLabel.set(item.label, (cats = new Map()));
		let surfaces = cats.get(item.category);
		if (!surfaces) cats.set(item.category, (surfaces = new Map()));
		const key = item.surface.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
		const list = surfaces.get(key);
		if (list) list.push(item);
		else surfaces.set(key, [item]);
	}
	const groups: LabelGroup[] = [];
	for (const [label, cats] of byLabel) {
		const categories: CategoryGroup[] = [];
		for (const category of CATEGORY_ORDER) {
			const surfaces = cats.get(category);
			if (!surfaces) continue;
			const list = [...surfaces.values()]
				.map((items) => ({ surface: items[0].surface, items }))
				.sort((a, b) => b.items.length - a.items.length || (a.surface < b.surface ? -1 : a.surface > b.surface ? 1 : 0));
			categories.push({ category, count: list.reduce((n, s) => n + s.items.length, 0), surfaces: list });
		}
		groups.push({ label, count: categories.reduce((n, c) => n + c.count, 0), categories });
	}
	return groups.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
