/**
 * Inter-annotator agreement maths (pure, no I/O).
 *
 *  - tokens.ts        tokens (the words of ../text/words.ts) and span -> token projection
 *  - coefficients.ts  Cohen's kappa, Fleiss' kappa, Krippendorff's alpha (nominal)
 *  - spanF1.ts        span precision / recall / F1, exact and overlap matching
 *  - accumulator.ts   computeAgreement() / AgreementAccumulator: the corpus report served by the API
 *    (projection.ts: spans onto tokens as label masks; confusion.ts: the per-pair token counts)
 *  - relationAgreement.ts   relation F1 per type and pair (exact / overlap, a maximum matching)
 *  - attributeAgreement.ts  attribute values on identically tagged spans: share equal, alpha
 *
 * Undefined values are null, never NaN or Infinity (see coefficients.ts).
 */
export { tokenize, tokenizeOffsets, type Token, type TokenOffsets } from './tokens';
export {
	cohenKappa,
	fleissKappa,
	krippendorffAlphaNominal,
	kappaFromMatrix,
	fleissFromTotals,
	alphaFromCoincidences
} from './coefficients';
export {
	spanF1,
	f1FromCounts,
	exactMatchCount,
	overlapMatchCount,
	type Interval,
	type LabeledSpan,
	type MatchMode,
	type SpanF1Result
} from './spanF1';
export {
	computeAgreement,
	AgreementAccumulator,
	NONE_LABEL,
	type AgreementDocument,
	type AgreementInput,
	type AgreementReport,
	type Coefficients,
	type PairStats,
	type InputSpan
} from './accumulator';
export {
	RelationAgreementAccumulator,
	maximumMatching,
	type RelationAnnotation,
	type RelationPairStats,
	type RelationReport
} from './relationAgreement';
export {
	AttributeAgreementAccumulator,
	type AttributeAnnotation,
	type AttributeSchema,
	type AttributeStats,
	type AttributeReport
} from './attributeAgreement';
