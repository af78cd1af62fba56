import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { memberSchema, memberUsernameSchema as usernameField, updateDatasetSchema } from '$lib/server/datasets/datasets';
import { saveLabelEditor } from '$lib/server/datasets/labelEditor';
import { changeMemberRoleAs, removeMemberAs, setMemberAs, settingsFor, updateDatasetFor } from '$lib/server/datasets/settings';
import { badRequest } from '$lib/server/http/errors';
import { deleteGazetteerAs, updateSuggestionSettingsAs, uploadGazetteerAs } from '$lib/server/suggest/suggestions';
import { MAX_GAZETTEER_BYTES } from '$lib/suggest/lexicon';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => settingsFor(user, event.params.slug));
};

const memberFields = (fields: Record<string, string>) => ({ username: usernameField.parse(fields).username, role: memberSchema.parse(fields).role });

/** The uploaded gazetteer file's text: a TSV file, not too large, in UTF-8. */
async function gazetteerFile(form: FormData): Promise<string> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) throw badRequest('choose a TSV file (text<TAB>label a line)');
	if (file.size > MAX_GAZETTEER_BYTES) throw badRequest(`the gazetteer is larger than ${MAX_GAZETTEER_BYTES} bytes`);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
	} catch {
		throw badRequest('the gazetteer is not valid UTF-8');
	}
}

export const actions: Actions = {
	details: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction(
			'details',
			async () => {
				await updateDatasetFor(pageUser(event), event.params.slug, () => {
					const { title, description, punctuation } = updateDatasetSchema.parse(fields);
					return { title, description, punctuation };
				});
				return { section: 'details', saved: true };
			},
			fields
		);
	},

	labels: async (event) => {
		const form = await event.request.formData();
		return formAction('labels', async () => {
			const result = await saveLabelEditor(pageUser(event), event.params.slug, form);
			if ('confirm' in result) return fail(409, { section: 'labels', confirm: result.confirm });
			return { section: 'labels', saved: true, rewritten: result.rewritten };
		});
	},

	guidelines: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction(
			'guidelines',
			async () => {
				await updateDatasetFor(pageUser(event), event.params.slug, () => ({ guidelines: updateDatasetSchema.parse(fields).guidelines ?? '' }));
				return { section: 'guidelines', saved: true };
			},
			fields
		);
	},

	addMember: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			await setMemberAs(pageUser(event), event.params.slug, () => memberFields(fields));
			return { section: 'members', saved: true };
		});
	},

	setRole: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			await changeMemberRoleAs(pageUser(event), event.params.slug, () => memberFields(fields));
			return { section: 'members', saved: true };
		});
	},

	// Settings → Suggestions (issue #18): sources, runs, correction mode; the gazetteer
	suggestions: async (event) => {
		const form = await event.request.formData();
		return formAction('suggestions', async () => {
			await updateSuggestionSettingsAs(pageUser(event), event.params.slug, () => {
				const on = new Set(form.getAll('source').map(String));
				const correction = String(form.get('correction') ?? '');
				return {
					suggestions: { dates: on.has('dates'), lexicon: on.has('lexicon'), cues: on.has('cues'), imports: on.has('imports'), runs: form.getAll('run').map(String) },
					correction: correction ? { source: correction } : null
				};
			});
			return { section: 'suggestions', saved: true };
		});
	},

	gazetteer: async (event) => {
		const form = await event.request.formData();
		return formAction('suggestions', async () => {
			const { entries } = await uploadGazetteerAs(pageUser(event), event.params.slug, () => gazetteerFile(form));
			return { section: 'suggestions', saved: true, entries };
		});
	},

	removeGazetteer: async (event) => {
		return formAction('suggestions', async () => {
			await deleteGazetteerAs(pageUser(event), event.params.slug);
			return { section: 'suggestions', saved: true, entries: 0 };
		});
	},

	removeMember: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			await removeMemberAs(pageUser(event), event.params.slug, () => usernameField.parse(fields).username);
			return { section: 'members', saved: true };
		});
	}
};
