/**
 * The one place where domain errors become HTTP responses, and where request
 * bodies are read with a size limit and parsed with a schema.
 */
import { json, type RequestEvent } from '@sveltejs/kit';
import { ZodError, type ZodType } from 'zod';
import { badRequest, isDomainError, tooLarge, DomainError } from './errors';
import { limits } from './config';

export function errorResponse(e: unknown): Response {
	if (isDomainError(e)) {
		return json({ error: e.message, ...(e.details ?? {}) }, { status: e.status });
	}
	if (e instanceof ZodError) {
		return json({ error: formatZodError(e) }, { status: 400 });
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

export function formatZodError(e: ZodError): string {
	return e.issues
		.slice(0, 10)
		.map((issue) => {
			const where = issue.path.join('.');
			// messages that already name their field ("username: …") are not prefixed twice
			return where && !issue.message.startsWith(`${where}:`) ? `${where}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

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

export async function readJson<T>(request: Request, schema: ZodType<T>, max = limits.jsonBodyBytes): Promise<T> {
	const text = await readBodyText(request, max);
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
