import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, guarded, pageUser } from '$lib/server/http/pages';
import { applyAssignmentAs, assignmentSchema, assignmentsFor } from '$lib/server/assignments/assignments';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ view: await assignmentsFor(user, event.params.slug) }));
};

async function assign(event: RequestEvent, section: string, input: (form: FormData) => unknown) {
	const user = pageUser(event);
	const form = await event.request.formData();
	return formAction(section, async () => {
		const view = await applyAssignmentAs(user, event.params.slug, () => assignmentSchema.parse(input(form)));
		return { section, saved: true, unassigned: view.unassigned };
	});
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');
const names = (form: FormData) => form.getAll('annotators').map(String);

export const actions: Actions = {
	auto: (event) =>
		assign(event, 'auto', (form) => ({
			mode: 'auto',
			annotatorsPerDocument: Number(text(form, 'annotatorsPerDocument')),
			share: text(form, 'scope') === 'share' ? Number(text(form, 'share')) : undefined,
			annotators: names(form),
			standing: form.get('standing') === 'on'
		})),
	manual: (event) =>
		assign(event, 'manual', (form) => ({ mode: 'manual', documentId: text(form, 'documentId'), annotators: names(form) })),
	everyone: (event) => assign(event, 'auto', () => ({ mode: 'everyone' })),
	/** new imports are no longer assigned automatically; the queues stay */
	stop: (event) => assign(event, 'auto', () => ({ mode: 'stop' }))
};
