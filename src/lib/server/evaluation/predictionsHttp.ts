/**
 * Prediction runs and evaluations over HTTP: the upload body as a stream of
 * chunks, and a report as JSON or CSV. Leads only: the `*As` / `*For` functions
 * check the caller before anything here reads a byte.
 */
import { json } from '@sveltejs/kit';
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead, type DatasetAccess } from '../auth/access';
import { badRequest, tooLarge, unsupportedMediaType } from '../http/errors';
import { limits } from '../config';
import { bodyChunks as readChunks } from '../http/bodyStream';
import { uploadRun, type UploadResult } from '../store';
import { evaluate, parseEvaluationQuery } from './evaluations';
import { evaluationCsv } from '../../evaluation/csv';

/** An upload's chunks, refused as uploads are (see ../http/bodyStream.ts). */
export function bodyChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
	return readChunks(stream, {
		tooLarge: () => tooLarge(`the upload is larger than the size limit of ${limits.importBytes} bytes; nothing was stored`),
		interrupted: () => badRequest('the upload was interrupted; nothing was stored')
	});
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

/** POST …/predictions?run=NAME (leads; checked before the body is read). */
export async function uploadRequestAs(user: SessionUser | null, slug: string, request: Request, url: URL): Promise<UploadResult> {
	return uploadRequest(await requireDatasetLead(user, slug), request, url);
}

async function uploadRequest(access: DatasetAccess, request: Request, url: URL): Promise<UploadResult> {
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

/** The Evaluations page's upload form (it works without JavaScript): a file, or NDJSON pasted into `predictions`. */
export async function uploadFormAs(user: SessionUser | null, slug: string, form: FormData, fields: Record<string, string>): Promise<UploadResult> {
	const access = await requireDatasetLead(user, slug);
	const file = form.get('file');
	const pasted = fields.predictions ?? '';
	const chunks =
		file && typeof file !== 'string' && file.size > 0
			? bodyChunks(file.stream())
			: (async function* () {
					yield new TextEncoder().encode(pasted);
				})();
	return uploadRun(access.dataset.slug, fields.run ?? '', chunks, {
		by: access.user.username,
		maxBytes: limits.importBytes,
		...(fields.model ? { model: fields.model.slice(0, 200) } : {}),
		...(fields.model_version ? { model_version: fields.model_version.slice(0, 200) } : {})
	});
}

/** GET …/evaluations (leads). */
export async function evaluationResponseFor(user: SessionUser | null, slug: string, url: URL): Promise<Response> {
	return evaluationResponse(await requireDatasetLead(user, slug), url);
}

async function evaluationResponse(access: DatasetAccess, url: URL): Promise<Response> {
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
