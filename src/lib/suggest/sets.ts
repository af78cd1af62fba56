/**
 * Pre-annotations and predictions as a source: the spans of an imported set
 * (`import~<source>`) or of a prediction run (`run~<name>`), each suggested as
 * it is (a run's `score` kept; 1 when the set has none).
 */
import type { Suggested, SuggestionSource } from './types';

export interface SourceSpan {
	start: number;
	end: number;
	label: string;
	score?: number;
	attrs?: Record<string, unknown>;
}

/** String attributes only: what a suggestion can carry. */
function stringAttrs(attrs: Record<string, unknown> | undefined): Record<string, string> | undefined {
	if (!attrs) return undefined;
	const out: Record<string, string> = {};
	let any = false;
	for (const [k, v] of Object.entries(attrs)) {
		if (typeof v !== 'string') continue;
		Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
		any = true;
	}
	return any ? out : undefined;
}

export function setSource(name: string, spans: readonly SourceSpan[]): SuggestionSource {
	return {
		name,
		suggest(_document, context) {
			const out: Suggested[] = [];
			for (const s of spans) {
				if (!context.labels.includes(s.label)) continue;
				const attrs = stringAttrs(s.attrs);
				const score = typeof s.score === 'number' && Number.isFinite(s.score) ? Math.min(1, Math.max(0, s.score)) : 1;
				out.push({ start: s.start, end: s.end, label: s.label, score, ...(attrs ? { attrs } : {}) });
			}
			return out;
		}
	};
}
