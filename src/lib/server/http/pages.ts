/** Page loads and actions: not logged in → redirect to login; domain errors → SvelteKit error pages. */
import { error, fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { httpErrorOf } from './errors';
import { dict, reservedName } from '../../model/dict';
import type { SessionUser } from '../auth/auth';

export function pageUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (!event.locals.user) {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	return event.locals.user;
}

/** Run domain code in a load function, mapping its errors to error pages. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		const mapped = httpErrorOf(e);
		if (mapped) error(mapped.status, mapped.message);
		throw e;
	}
}

/**
 * Run a form action's domain code; its errors become `fail(status, { section, error, values })`
 * so the page shows them next to the form they belong to (`section`) and can refill it (`values`).
 */
export async function formAction<T>(
	section: string,
	fn: () => Promise<T>,
	values: Record<string, string> = {}
): Promise<T | ActionFailure<{ section: string; error: string; values: Record<string, string> } & Record<string, unknown>>> {
	try {
		return await fn();
	} catch (e) {
		const mapped = httpErrorOf(e);
		if (mapped) return fail(mapped.status, { section, error: mapped.message, values, ...(mapped.details ?? {}) });
		throw e;
	}
}

/** A form's fields as a plain object (first value of each name), for a zod schema to parse. */
export function formFields(form: FormData): Record<string, string> {
	// field names come from the request: `constructor` is a field like any other; `__proto__` is none of
	// ours, and would make the fields (echoed back to the form as `values`) impossible to send to the page
	const fields = dict<string>();
	for (const [name, value] of form) {
		if (typeof value === 'string' && !Object.hasOwn(fields, name) && reservedName(name) === null) fields[name] = value;
	}
	return fields;
}
