import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { renderMarkdown } from '$lib/server/datasets/markdown';
import {
	labelUsage,
	relationUsage,
	schemaChangeImpact,
	memberSchema,
	membersView,
	removeMember,
	setMember,
	updateDatasetAs,
	updateDatasetSchema
} from '$lib/server/datasets/datasets';

import { dict, reservedName } from '$lib/model/dict';
import { LabelChangeError, labelsFromForm } from '$lib/model/labels';
import { relationTypesOf, schemaFieldsFromForm } from '$lib/model/relations';
import { needsConfirmation } from '$lib/model/schemaImpact';
import { badRequest } from '$lib/server/http/errors';
import { deleteGazetteer, gazetteerInfo, importSetNames, suggestionSettingsOf, updateSuggestionSettings, uploadGazetteer } from '$lib/server/suggest/suggestions';
import { listRuns } from '$lib/server/store';
import { MAX_GAZETTEER_BYTES } from '$lib/suggest/lexicon';

/** The label rows of the form; a bad row is a 400 that names the label in words. */
function labelsOf(form: FormData) {
	try {
		return labelsFromForm(form);
	} catch (e) {
		if (e instanceof LabelChangeError) throw badRequest(e.message);
		throw e;
	}
}

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const { dataset } = access;
		return {
			dataset: { slug: dataset.slug, title: dataset.title, description: dataset.description, role: access.role, punctuation: dataset.punctuation ?? 'keep' },
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
			suggestions: {
				...suggestionSettingsOf(dataset),
				available: { runs: (await listRuns(dataset.slug)).map((r) => r.run), imports: await importSetNames(dataset.slug) },
				gazetteer: await gazetteerInfo(dataset.slug)
			}
		};
	});
};

async function lead(event: RequestEvent) {
	return requireDatasetLead(pageUser(event), event.params.slug);
}

/** sent by the label editor; a form without it is checked against the version read when it arrived */
const baseVersionField = z.coerce.number({ error: 'baseVersion: a whole number' }).int().min(0).optional();

const schemaFields = updateDatasetSchema.pick({ relationTypes: true, relationTypeRenames: true, attributeRenames: true, optionRenames: true });

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
			const access = await lead(event);
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
			if (needsConfirmation(impact) && !confirmed) return fail(409, { section: 'labels', confirm: impact });
			const result = await updateDatasetAs(access, { ...patch, force: confirmed, baseVersion });
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
			if (!Object.hasOwn(access.dataset.members, username)) return fail(404, { section: 'members', error: `"${username}" is not a member` });
			await setMember(access, username, role);
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
