import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asApiError, errorResponse, readJson } from './http';

const schema = z.object({ a: z.number() });
const post = (body: string | undefined, headers: Record<string, string>) =>
	new Request('http://localhost/api/x', { method: 'POST', body, headers });

async function refusal(p: Promise<unknown>): Promise<{ status: number; error: string }> {
	try {
		await p;
	} catch (e) {
		const res = errorResponse(e);
		return { status: res.status, error: ((await res.json()) as { error: string }).error };
	}
	throw new Error('expected a refusal');
}

describe('readJson', () => {
	it('reads JSON sent as application/json, with parameters, or as a +json type', async () => {
		expect(await readJson(post('{"a":1}', { 'content-type': 'application/json' }), schema)).toEqual({ a: 1 });
		expect(await readJson(post('{"a":2}', { 'content-type': 'Application/JSON; charset=utf-8' }), schema)).toEqual({ a: 2 });
		expect(await readJson(post('{"a":3}', { 'content-type': 'application/merge-patch+json' }), schema)).toEqual({ a: 3 });
	});

	it('refuses a body without a content type (415) instead of reading it as empty', async () => {
		const req = post('{"a":1}', {});
		req.headers.delete('content-type'); // the Request constructor adds text/plain for a string body
		req.headers.set('content-length', '7');
		expect(await refusal(readJson(req, schema))).toEqual({
			status: 415,
			error: 'the request body has no content type: send it with "content-type: application/json"'
		});
	});

	it('refuses a body that says it is something else than JSON (415)', async () => {
		for (const type of ['application/xml', 'text/plain', 'application/jsonp', 'application/x-www-form-urlencoded']) {
			const r = await refusal(readJson(post('{"a":1}', { 'content-type': type }), schema));
			expect(r, type).toEqual({ status: 415, error: `expected "content-type: application/json", got "${type}"` });
		}
	});

	it('says an empty body is empty, malformed JSON is malformed, and a wrong shape names the field', async () => {
		expect(await refusal(readJson(post('', { 'content-type': 'application/json' }), schema))).toEqual({
			status: 400,
			error: 'the request body is empty: expected JSON'
		});
		const malformed = await refusal(readJson(post('{"a":', { 'content-type': 'application/json' }), schema));
		expect(malformed.status).toBe(400);
		expect(malformed.error).toMatch(/^malformed JSON: /);
		const shape = await refusal(readJson(post('{"a":"x"}', { 'content-type': 'application/json' }), schema));
		expect(shape.status).toBe(400);
		expect(shape.error).toMatch(/^a: /);
	});
});

describe('asApiError', () => {
	const html = (status: number) => new Response('<!doctype html><h1>oops</h1>', { status, headers: { 'content-type': 'text/html' } });

	it('turns SvelteKit\'s HTML and text errors on /api into { error } JSON, keeping the status and the Allow header', async () => {
		const notFound = await asApiError(html(404), 'GET', '/api/nonexistent');
		expect(notFound.status).toBe(404);
		expect(notFound.headers.get('content-type')).toBe('application/json');
		expect(await notFound.json()).toEqual({ error: 'no such API route: GET /api/nonexistent (see docs/api.md)' });

		const malformed = await asApiError(html(400), 'GET', '/api/datasets/x/documents/%C0%AE');
		expect(await malformed.json()).toEqual({ error: 'malformed URL: /api/datasets/x/documents/%C0%AE is not valid percent-encoded UTF-8' });

		const method = await asApiError(
			new Response('DELETE method not allowed', { status: 405, headers: { 'content-type': 'text/plain', allow: 'GET, PUT' } }),
			'DELETE',
			'/api/me'
		);
		expect(method.status).toBe(405);
		expect(method.headers.get('allow')).toBe('GET, PUT');
		expect(await method.json()).toEqual({ error: 'DELETE method not allowed' });

		const sveltekitJson = await asApiError(Response.json({ message: 'Not Found' }, { status: 404 }), 'GET', '/api/zz');
		expect(await sveltekitJson.json()).toEqual({ error: 'no such API route: GET /api/zz (see docs/api.md)' });
	});

	it('leaves the API\'s own errors and successes alone', async () => {
		const own = Response.json({ error: 'no document "x"' }, { status: 404 });
		expect(await asApiError(own, 'GET', '/api/datasets/d/documents/x')).toBe(own);
		const ok = new Response('a,b\n', { status: 200, headers: { 'content-type': 'text/csv' } });
		expect(await asApiError(ok, 'GET', '/api/datasets/d/agreement')).toBe(ok);
	});
});
