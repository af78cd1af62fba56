/**
 * What a change of labels, attributes and relation types does to the current
 * annotations, as the server counts it (schemaChangeImpact in
 * src/lib/server/datasets/datasets.ts) and the label editor shows it before it is applied.
 */
import type { LabelImpact } from './labels';
import type { AttributeEdit } from './attributes';

export interface SchemaImpact extends LabelImpact {
	/** values renamed or cleared, with the spans that hold them (only edits that touch any) */
	attributes?: Array<AttributeEdit & { spans: number }>;
	relationTypes?: {
		renamed: Array<{ from: string; to: string }>;
		removed: string[];
		/** relations that go, by type name */
		relationsRemoved: Record<string, number>;
		relationsRetyped: number;
	};
}

/** Whether the change touches anything stored, so the label editor asks first. */
export function needsConfirmation(impact: SchemaImpact): boolean {
	return (
		impact.renamed.some((r) => r.spans > 0) ||
		impact.removed.some((r) => r.spans > 0) ||
		(impact.attributes ?? []).some((a) => a.spans > 0) ||
		(impact.relationTypes?.relationsRetyped ?? 0) > 0 ||
		Object.values(impact.relationTypes?.relationsRemoved ?? {}).some((n) => n > 0)
	);
}
