/**
 * The settings page's label editor: its form read into a dataset patch, and the rule
 * that a change touching stored annotations (renames included, which the API makes
 * without asking) is applied only once the lead, shown what it does, confirms it.
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead } from '../auth/access';
import { badRequest } from '../http/errors';
import { LabelChangeError, labelsFromForm } from '../../model/labels';
import { schemaFieldsFromForm } from '../../model/relations';
import { needsConfirmation } from '../../model/schemaImpact';
import { schemaChangeImpact, updateDatasetAs, updateDatasetSchema } from './datasets';

/** sent by the label editor; a form without it is checked against the version read when it arrived */
const baseVersionField = z.coerce.number({ error: 'baseVersion: a whole number' }).int().min(0).optional();

const schemaFields = updateDatasetSchema.pick({ relationTypes: true, relationTypeRenames: true, attributeRenames: true, optionRenames: true });

export type LabelEditorResult =
	| { confirm: Awaited<ReturnType<typeof schemaChangeImpact>> }
	| { rewritten: Awaited<ReturnType<typeof updateDatasetAs>>['rewritten'] };

/** The label rows of the form; a bad row is a 400 that names the label in words. */
function labelsOf(form: FormData) {
	try {
		return labelsFromForm(form);
	} catch (e) {
		if (e instanceof LabelChangeError) throw badRequest(e.message);
		throw e;
	}
}

/**
 * Save the label editor's form (leads of the dataset): `{confirm}` with the change's
 * impact when it touches stored annotations and the form does not say `confirm=yes`
 * (nothing is changed then), else the change is made, as the API's PATCH with `force`.
 */
export async function saveLabelEditor(user: SessionUser | null, slug: string, form: FormData): Promise<LabelEditorResult> {
	const access = await requireDatasetLead(user, slug);
	const parsed = labelsOf(form);
	const { renames } = parsed;
	// a form posted without the attribute editor's fields (a script using the older form) keeps each label's attributes
	const originals = form.getAll('original');
	const labels = form.has('attributes')
		? parsed.labels
		: parsed.labels.map((l, i) => {
				const before = access.dataset.labels.find((b) => b.name === (originals[i] || l.name));
				return before?.attributes ? { ...l, attributes: before.attributes } : l;
			});
	const baseVersion = baseVersionField.parse(form.get('baseVersion') ?? undefined);
	const confirmed = form.get('confirm') === 'yes';
	// relation types and attribute/option renames (checked by the API's schema, as a PATCH would be)
	const schema = schemaFields.parse(schemaFieldsFromForm(form, labels.map((l) => l.name)));
	const patch = { labels, renames, ...schema };
	const impact = await schemaChangeImpact(access, patch);
	if (needsConfirmation(impact) && !confirmed) return { confirm: impact };
	const result = await updateDatasetAs(access, { ...patch, force: confirmed, baseVersion });
	return { rewritten: result.rewritten };
}
