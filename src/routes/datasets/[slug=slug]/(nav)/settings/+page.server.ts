import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { renderMarkdown } from '$lib/server/datasets/markdown';
import {
	changeMemberRole,
	labelUsage,
	relationUsage,
	memberSchema,
	membersView,
	removeMember,
	setMember,
	updateDatasetAs,
	updateDatasetSchema
} from '$lib/server/datasets/datasets';
import { saveLabelEditor } from '$lib/server/datasets/labelEditor';
import { dict, reservedName } from '$lib/model/dict';
import { relationTypesOf } from '$lib/model/relations';
import { badRequest } from '$lib/server/http/errors';
import { deleteGazetteer, suggestionSettingsView, updateSuggestionSettings, uploadGazetteer } from '$lib/server/suggest/suggestions';
import { MAX_GAZETTEER_BYTES } from '$lib/suggest/lexicon';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const { dataset } = access;
		return {
			details: { description: dataset.description, punctuation: dataset.punctuation ?? 'keep' },
			labels: dataset.labels,
			relationTypes: relationTypesOf(dataset),
			relationUsage: dict(Object.entries(await relationUsage(dataset.slug)).filter(([name]) => reservedName(name) === null)),
			/** the version the label editor's changes are made from (a stale one is refused) */
			version: dataset.version ?? 0,
			// a __proto__ label of old data cannot be a key of page data (the API still counts it)
			usage: dict(Object.entries(await labelUsage(dataset.slug)).filter(([name]) => reservedName(name) === null)),
			guidelines: dataset.guidelines,
			guidelinesHtml: renderMarkdown(dataset.guidelines),
			...(await membersView(access)),
			suggestions: await suggestionSettingsView(access)
		};
	});
};

async function lead(event: RequestEvent) {
	return requireDatasetLead(pageUser(event), event.params.slug);
}

const usernameField = z.object({ username: z.string().min(1, 'choose a user').max(64) });

export const actions: Actions = {
	details: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction(
			'details',
			async () => {
				const access = await lead(event);
				const { title, description, punctuation } = updateDatasetSchema.parse(fields);
				await updateDatasetAs(access, { title, description, punctuation });
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
				const access = await lead(event);
				const { guidelines } = updateDatasetSchema.parse(fields);
				await updateDatasetAs(access, { guidelines: guidelines ?? '' });
				return { section: 'guidelines', saved: true };
			},
			fields
		);
	},

	addMember: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			const access = await lead(event);
			const { username } = usernameField.parse(fields);
			const { role } = memberSchema.parse(fields);
			await setMember(access, username, role);
			return { section: 'members', saved: true };
		});
	},

	setRole: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			const access = await lead(event);
			const { username } = usernameField.parse(fields);
			const { role } = memberSchema.parse(fields);
			await changeMemberRole(access, username, role);
			return { section: 'members', saved: true };
		});
	},

	// Settings → Suggestions (issue #18): sources, runs, correction mode; the gazetteer
	suggestions: async (event) => {
		const form = await event.request.formData();
		return formAction('suggestions', async () => {
			const access = await lead(event);
			const on = new Set(form.getAll('source').map(String));
			const correction = String(form.get('correction') ?? '');
			await updateSuggestionSettings(access, {
				suggestions: { dates: on.has('dates'), lexicon: on.has('lexicon'), cues: on.has('cues'), imports: on.has('imports'), runs: form.getAll('run').map(String) },
				correction: correction ? { source: correction } : null
			});
			return { section: 'suggestions', saved: true };
		});
	},

	gazetteer: async (event) => {
		const form = await event.request.formData();
		return formAction('suggestions', async () => {
			const access = await lead(event);
			const file = form.get('file');
			if (!(file instanceof File) || file.size === 0) throw badRequest('choose a TSV file (text<TAB>label a line)');
			if (file.size > MAX_GAZETTEER_BYTES) throw badRequest(`the gazetteer is larger than ${MAX_GAZETTEER_BYTES} bytes`);
			let text: string;
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
			} catch {
				throw badRequest('the gazetteer is not valid UTF-8');
			}
			const { entries } = await uploadGazetteer(access, text);
			return { section: 'suggestions', saved: true, entries };
		});
	},

	removeGazetteer: async (event) => {
		return formAction('suggestions', async () => {
			await deleteGazetteer(await lead(event));
			return { section: 'suggestions', saved: true, entries: 0 };
		});
	},

	removeMember: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction('members', async () => {
			const access = await lead(event);
			await removeMember(access, usernameField.parse(fields).username);
			return { section: 'members', saved: true };
		});
	}
};
