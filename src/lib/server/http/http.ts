/**
 * The one place where domain errors become HTTP responses, and where request
 * bodies are read with a size limit and parsed with a schema.
 */
import { json, type RequestEvent } from '@sveltejs/kit';
import type { ZodType } from 'zod';
import { badRequest, formatZodError, httpErrorOf, tooLarge, unsupportedMediaType, DomainError, StorageError } from './errors';
import { limits } from '../config';

/** Anything thrown, as the API answers it: `{ "error": "…", …details }` with its status (see `httpErrorOf`). */
export function errorResponse(e: unknown): Response {
	const mapped = httpErrorOf(e); // also a full or read-only disk: 507 / 503, see storageFault
	if (mapped) {
		if (mapped instanceof StorageError && mapped !== e) console.error(`spanlab: ${mapped.message}:`, (e as Error).message);
		return json({ error: mapped.message, ...(mapped.details ?? {}) }, { status: mapped.status });
	}
	if (e && typeof e === 'object' && 'status' in e && typeof (e as { status: unknown }).status === 'number') {
		// SvelteKit's own errors (e.g. body size limit from adapter-node)
		const status = (e as { status: number }).status;
		const body = (e as { body?: { message?: string } }).body;
		return json({ error: body?.message ?? 'request failed' }, { status });
	}
	console.error(e);
	return json({ error: 'internal error' }, { status: 500 });
}

export { formatZodError };

/** Route params as the route file names them (`[slug]` → params.slug); SvelteKit only calls a route when they match. */
type ApiEvent = RequestEvent<Record<string, string>>;

/** Wrap a handler so thrown domain errors become `{ error }` JSON with the right status. */
export function api(handler: (event: ApiEvent) => Promise<Response> | Response) {
	return async (event: RequestEvent): Promise<Response> => {
		try {
			return await handler(event as ApiEvent);
		} catch (e) {
			return errorResponse(e);
		}
	};
}

/** Read a request body as text, refusing (413) beyond `max` bytes without buffering more. */
export async function readBodyText(request: Request, max = limits.jsonBodyBytes): Promise<string> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > max) throw tooLarge(`request body too large: ${declared} bytes (limit ${max})`);
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let result: ReadableStreamReadResult<Uint8Array>;
		try {
			result = await reader.read();
		} catch (e) {
			if (e instanceof DomainError) throw e;
			const status = (e as { status?: number }).status;
			if (status === 413) throw tooLarge(`request body too large (limit ${max} bytes)`);
			throw e;
		}
		if (result.done) break;
		size += result.value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => {});
			throw tooLarge(`request body too large (limit ${max} bytes)`);
		}
		chunks.push(result.value);
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw badRequest('request body is not valid UTF-8');
	}
}

/** `application/json`, or a `+json` type such as `application/merge-patch+json`, with any parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * A JSON body, checked against `schema`. The content type must say JSON: a
 * body sent without one never reaches the route (SvelteKit drops it), so it
 * is refused (415) rather than read as empty.
 */
export async function readJson<T>(request: Request, schema: ZodType<T>, max = limits.jsonBodyBytes): Promise<T> {
	const text = await readBodyText(request, max); // first: an oversized body is 413 whatever its type
	const type = request.headers.get('content-type');
	if (type === null) {
		const length = request.headers.get('content-length');
		if ((length !== null && length !== '0') || request.headers.has('transfer-encoding')) {
			throw unsupportedMediaType('the request body has no content type: send it with "content-type: application/json"');
		}
	} else if (!JSON_TYPE.test(type)) {
		throw unsupportedMediaType(`expected "content-type: application/json", got "${type.slice(0, 100)}"`);
	}
	if (text.trim() === '') throw badRequest('the request body is empty: expected JSON');
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw badRequest(`malformed JSON: ${(e as Error).message}`);
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw badRequest(formatZodError(parsed.error));
	return parsed.data;
}

/**
 * An error from outside the API's handlers (SvelteKit's own: no such route, a
 * method the route does not have, a path that is not valid percent-encoding)
 * in the API's shape, `{ "error": "…" }` as JSON; anything else as it was.
 */
export async function asApiError(response: Response, method: string, pathname: string): Promise<Response> {
	if (response.status < 400) return response;
	const type = response.headers.get('content-type') ?? '';
	let message: string | undefined;
	if (type.includes('json')) {
		const body = (await response.clone().json().catch(() => null)) as { error?: unknown; message?: unknown } | null;
		if (body && typeof body.error === 'string') return response;
		if (body && typeof body.message === 'string') message = body.message;
	} else if (type.startsWith('text/plain')) {
		message = (await response.text()).trim();
	}
	if (response.status === 404) message = `no such API route: ${method} ${pathname} (see docs/api.md)`;
	else if (response.status === 400 && (!message || message === 'Malformed URI')) {
		message = `malformed URL: ${pathname} is not valid percent-encoded UTF-8`;
	}
	const headers = new Headers(response.headers);
	headers.set('content-type', 'application/json');
	headers.delete('content-length');
	headers.delete('etag');
	return new Response(JSON.stringify({ error: message || response.statusText || `request failed (${response.status})` }), {
		status: response.status,
		headers
	});
}
