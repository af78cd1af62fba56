/**
 * A dataset's suggestion settings (the dataset record's `suggestions` and
 * `correction`, see docs/api.md), shared by the settings page and the server.
 */
import { z } from 'zod';

export interface SuggestionSettings {
	dates?: boolean;
	lexicon?: boolean;
	cues?: boolean;
	/** prediction runs offered as suggestions, by name */
	runs?: string[];
	/** imported pre-annotation sets (`import~<source>`) offered as suggestions */
	imports?: boolean;
}

/** Correction mode: each annotator's set starts from this source's spans (`run~<name>` or `import~<source>`). */
export interface CorrectionSettings {
	source: string;
}

export type ResolvedSuggestionSettings = Required<SuggestionSettings>;

/** What a dataset without settings gets: dates (as before sources could be chosen); a lead switches the others on. */
export const SUGGESTION_DEFAULTS: ResolvedSuggestionSettings = { dates: true, lexicon: false, cues: false, runs: [], imports: false };

export function resolveSuggestionSettings(settings: SuggestionSettings | undefined | null): ResolvedSuggestionSettings {
	const s = settings ?? {};
	return {
		dates: s.dates ?? SUGGESTION_DEFAULTS.dates,
		lexicon: s.lexicon ?? SUGGESTION_DEFAULTS.lexicon,
		cues: s.cues ?? SUGGESTION_DEFAULTS.cues,
		runs: Array.isArray(s.runs) ? s.runs : [],
		imports: s.imports ?? SUGGESTION_DEFAULTS.imports
	};
}

export const MAX_SUGGESTION_RUNS = 20;
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const IMPORT_SET = /^import~[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * `unreviewed:` + the source: a span correction mode put in a set, until its
 * annotator accepts, edits or deletes it (docs/api.md, Correction mode). The
 * one definition of the mark: the server, the annotation view, the span
 * painter and the release all read it through these.
 */
export const UNREVIEWED_PREFIX = 'unreviewed:';
export const isUnreviewed = (span: { source?: string }): boolean => typeof span.source === 'string' && span.source.startsWith(UNREVIEWED_PREFIX);
/** The source of a span once its annotator has reviewed it (accepted, or changed its values): the mark dropped. */
export function reviewedSource(source: string | undefined): string | undefined {
	return source?.startsWith(UNREVIEWED_PREFIX) ? source.slice(UNREVIEWED_PREFIX.length) || undefined : source;
}
/** The spans agreement and progress count: all but the unreviewed ones. */
export const reviewedSpans = <T extends { source?: string }>(spans: readonly T[]): T[] => spans.filter((s) => !isUnreviewed(s));

export const suggestionSettingsSchema = z
	.object({
		suggestions: z
			.object({
				dates: z.boolean({ error: 'suggestions.dates: true or false' }).optional(),
				lexicon: z.boolean({ error: 'suggestions.lexicon: true or false' }).optional(),
				cues: z.boolean({ error: 'suggestions.cues: true or false' }).optional(),
				imports: z.boolean({ error: 'suggestions.imports: true or false' }).optional(),
				runs: z
					.array(z.string().regex(RUN_NAME, 'suggestions.runs: each a run name (letters, digits, ".", "_" or "-", at most 64)'))
					.max(MAX_SUGGESTION_RUNS, `suggestions.runs: at most ${MAX_SUGGESTION_RUNS} runs`)
					.optional()
			})
			.strict()
			.optional(),
		correction: z
			.object({
				source: z
					.string()
					.refine((s) => (s.startsWith('run~') && RUN_NAME.test(s.slice(4)) && !s.includes('..')) || (IMPORT_SET.test(s) && !s.includes('..')), {
						message: 'correction.source: "run~<run name>" or "import~<imported set>"'
					})
			})
			.strict()
			.nullable()
			.optional()
	})
	.strict();

export type SuggestionSettingsInput = z.infer<typeof suggestionSettingsSchema>;
