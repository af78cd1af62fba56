/**
 * Prediction runs and evaluations over HTTP: the upload body as a stream of
 * chunks, and a report as JSON or CSV. Leads only; the routes check access
 * before anything here reads a byte.
 */
import { json } from '@sveltejs/kit';
import type { DatasetAccess } from '../auth/access';
import { badRequest, tooLarge, unsupportedMediaType } from '../http/errors';
import { limits } from '../config';
import { uploadRun } from '../store';
import { type UploadResult } from '../store';
import { evaluate, parseEvaluationQuery } from './evaluations';
import { evaluationCsv } from '../../evaluation/csv';

/**
 * A request body's chunks. Stopping early (a refusal) drains the rest in the
 * background instead of cancelling, so the client reads the 400 or 413
 * rather than a reset connection; adapter-node's BODY_SIZE_LIMIT bounds it.
 */
export async function* bodyChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
	if (!stream) return;
	const reader = stream.getReader();
	let done = false;
	try {
		for (;;) {
			let result: ReadableStreamReadResult<Uint8Array>;
			try {
				result = await reader.read();
			} catch (e) {
				done = true;
				if ((e as { status?: number }).status === 413) throw tooLarge(`the upload is larger than the size limit of ${limits.importBytes} bytes; nothing was stored`);
				throw badRequest('the upload was interrupted; nothing was stored');
			}
			if (result.done) {
				done = true;
				return;
			}
			yield result.value;
		}
	} finally {
		if (!done) {
			void (async () => {
				try {
					while (!(await reader.read()).done) {
						/* dropped */
					}
				} catch {
					/* gone */
				}
			})();
		}
	}
}

/** Run-level fields from the query string: `model`, `model_version` (lines may also carry them). */
function modelFields(params: URLSearchParams): { model?: string; model_version?: string } {
	const out: { model?: string; model_version?: string } = {};
	for (const key of ['model', 'model_version'] as const) {
		const v = params.get(key);
		if (v === null || v === '') continue;
		if (v.length > 200) throw badRequest(`${key}: at most 200 characters`);
		out[key] = v;
	}
	return out;
}

export async function uploadRequest(access: DatasetAccess, request: Request, url: URL): Promise<UploadResult> {
	const run = url.searchParams.get('run');
	if (!run) throw badRequest('give the run a name: POST …/predictions?run=NAME');
	const type = request.headers.get('content-type') ?? '';
	if (/^multipart\//i.test(type)) {
		throw unsupportedMediaType('send the predictions as the raw body, one JSON object per line (content-type: application/x-ndjson)');
	}
	return uploadRun(access.dataset.slug, run, bodyChunks(request.body), {
		by: access.user.username,
		maxBytes: limits.importBytes,
		...modelFields(url.searchParams)
	});
}

export async function evaluationResponse(access: DatasetAccess, url: URL): Promise<Response> {
	const query = parseEvaluationQuery(url.searchParams);
	const report = await evaluate(access.dataset.slug, query);
	if (query.format === 'csv') {
		const name = `${access.dataset.slug}-${query.run}-${report.against}.csv`;
		return new Response(evaluationCsv(report), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }
		});
	}
	return json(report);
}
