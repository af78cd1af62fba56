/** Page loads and actions: not logged in → redirect to login; domain errors → SvelteKit error pages. */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ZodError } from 'zod';
import { isDomainError } from './errors';
import { formatZodError } from './http';
import type { SessionUser } from './auth';

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
		if (isDomainError(e)) error(e.status, e.message);
		if (e instanceof ZodError) error(400, formatZodError(e));
		throw e;
	}
}
