/**
 * Imports over HTTP: a request becomes the files of one import, `importFiles` runs,
 * and the answer is JSON — or, with `?progress=1`, an NDJSON stream of progress
 * events ending in the result (the import page shows the server-side phases).
 *
 * Bodies:
 *   - multipart/form-data: every file field is a file of the import (the browser page);
 *   - anything else: the raw body is one file named by `?filename=` (or, without one,
 *     after its Content-Type; the parser then also sniffs the content). It streams:
 *     JSONL is parsed line by line as it arrives.
 * Options: `?labelMap=FROM:TO,…`, `?addLabels=1` (also accepted as form fields).
 */
import type { DatasetAccess } from '../auth/access';
import { badRequest, httpErrorOf } from '../http/errors';
import { limits } from '../config';
import { importFiles, type ImportOptions, type ImportProgress, type ImportSummary } from './importer';
import type { InputFile } from './';
import { baseName, formatBytes } from './util';
import type { ImportResult } from '../../import/importApi';
import { plural } from '../../text/plural';
import { bodyChunks, dropBody } from '../http/bodyStream';

/** Room for multipart boundaries and part headers on top of the content limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

const NAME_BY_TYPE: Record<string, string> = {
	'application/x-ndjson': 'upload.jsonl',
	'application/jsonl': 'upload.jsonl',
	'application/x-jsonlines': 'upload.jsonl',
	'text/plain': 'upload.txt',
	'text/html': 'upload.html',
	'application/zip': 'upload.zip',
	'application/x-zip-compressed': 'upload.zip'
};

export type ImportRoute = 'documents' | 'imports';

export function statusOf(summary: Pick<ImportSummary, 'errors' | 'tooLarge'>): number {
	if (summary.errors.length === 0) return 200;
	return summary.tooLarge ? 413 : 400;
}

/** The JSON body of an import answer (also the last event of a progress stream). */
export function responseBody(summary: ImportSummary): ImportResult {
	const { tooLarge: _, ...rest } = summary;
	if (summary.errors.length === 0) return rest;
	const n = summary.errors.length;
	return { error: `nothing was imported: ${plural(n, 'problem')} found`, ...rest };
}

function refusedForSize(message: string): ImportSummary {
	return {
		imported: 0,
		duplicates: 0,
		errors: [{ message }],
		labelsAdded: [],
		unknownLabels: [],
		preAnnotations: [],
		tooLarge: true
	};
}

function sizeMessage(max: number): string {
	return `the import is larger than the size limit of ${formatBytes(max)} (${max} bytes); nothing was imported`;
}

/** Options of an import from the query string (and, for forms, from form fields). */
export function importOptionsFrom(
	params: URLSearchParams,
	form?: FormData
): Pick<ImportOptions, 'labelMap' | 'addLabels'> {
	const field = (name: string) => {
		const value = form?.get(name);
		return typeof value === 'string' && value !== '' ? value : params.get(name);
	};
	const labelMap = field('labelMap');
	const addLabels = field('addLabels');
	return {
		...(labelMap ? { labelMap } : {}),
		addLabels: addLabels !== null && ['1', 'true', 'yes', 'on'].includes(addLabels.toLowerCase())
	};
}

/** An uploaded file's name as a display name: its last path segment, never a path. */
function uploadName(name: string, fallback: string): string {
	const base = baseName(name).replace(/[\u0000-\u001f\u007f]/g, '').trim();
	return base === '' || base === '.' || base === '..' ? fallback : base.slice(0, 200);
}

/** A pasted text's file name: the name given (".txt" added), else "pasted.txt". */
export function pastedFileName(given: string): string {
	const name = uploadName(given, 'pasted');
	return /\.txt$/i.test(name) ? name : `${name.slice(0, 196)}.txt`;
}

/**
 * The file fields of a multipart form, in order, then the text pasted into the
 * import page (`pastedText`, named by `pastedName`) as one more plain-text file.
 */
export function filesFromForm(form: FormData): InputFile[] {
	const files: InputFile[] = [];
	for (const [, value] of form) {
		if (typeof value === 'string') continue;
		if (value.size === 0 && value.name === '') continue; // an empty <input type=file>
		files.push({ name: uploadName(value.name, `file${files.length + 1}`), stream: chunksOf(value.stream()) });
	}
	const pasted = form.get('pastedText');
	if (typeof pasted === 'string' && pasted.trim() !== '') {
		const given = form.get('pastedName');
		files.push({ name: pastedFileName(typeof given === 'string' ? given : ''), data: new TextEncoder().encode(pasted) });
	}
	if (files.length === 0) throw badRequest('no files in the upload: send them as file fields of multipart/form-data');
	return files;
}

/** A file's chunks, refused as the import refuses them (see ../http/bodyStream.ts). */
function chunksOf(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
	return bodyChunks(stream, { tooLarge: () => new BodyTooLarge(), interrupted: () => badRequest('the upload was interrupted') });
}

/** adapter-node's own body limit (BODY_SIZE_LIMIT), hit before ours. */
class BodyTooLarge extends Error {}

function rawFile(request: Request, params: URLSearchParams, route: ImportRoute): InputFile {
	const given = params.get('filename');
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	let name: string;
	if (route === 'documents') {
		// this endpoint takes NDJSON only, whatever the name
		name = uploadName(given ?? '', 'documents.jsonl');
		if (!/\.(jsonl|ndjson)$/i.test(name)) name += '.jsonl';
	} else {
		name = given !== null ? uploadName(given, 'upload') : (NAME_BY_TYPE[type] ?? 'upload');
	}
	return { name, stream: chunksOf(request.body) };
}

async function readFiles(request: Request, params: URLSearchParams, route: ImportRoute) {
	const type = request.headers.get('content-type') ?? '';
	if (/^multipart\/form-data/i.test(type)) {
		let form: FormData;
		try {
			form = await request.formData();
		} catch (e) {
			if ((e as { status?: number }).status === 413) throw new BodyTooLarge();
			throw badRequest('malformed multipart/form-data body');
		}
		return { files: filesFromForm(form), options: importOptionsFrom(params, form) };
	}
	return { files: [rawFile(request, params, route)], options: importOptionsFrom(params) };
}

async function runRequest(
	access: DatasetAccess,
	request: Request,
	url: URL,
	route: ImportRoute,
	onProgress?: (p: ImportProgress) => void
): Promise<ImportSummary> {
	const max = limits.importBytes;
	try {
		const { files, options } = await readFiles(request, url.searchParams, route);
		return await importFiles(access.dataset.slug, files, { ...options, by: access.user.username, maxBytes: max, onProgress });
	} catch (e) {
		if (e instanceof BodyTooLarge) return refusedForSize(sizeMessage(max));
		throw e;
	}
}

function declaredTooLarge(request: Request): boolean {
	const multipart = /^multipart\/form-data/i.test(request.headers.get('content-type') ?? '');
	const declared = Number(request.headers.get('content-length') ?? '0');
	return declared > limits.importBytes + (multipart ? MULTIPART_OVERHEAD : 0);
}

/** The import page's form post (no JavaScript): multipart files and options as form fields. */
export async function importForm(access: DatasetAccess, request: Request): Promise<ImportSummary> {
	if (!/^multipart\/form-data/i.test(request.headers.get('content-type') ?? '')) {
		throw badRequest('no files in the upload: choose files to import');
	}
	if (declaredTooLarge(request)) {
		dropBody(request);
		return refusedForSize(sizeMessage(limits.importBytes));
	}
	return runRequest(access, request, new URL('http://form/'), 'imports');
}

/**
 * Answers an import request. Refuses a declared Content-Length over the limit at
 * once (413, nothing read); otherwise the limit is enforced while reading.
 */
export async function importRequest(access: DatasetAccess, request: Request, url: URL, route: ImportRoute): Promise<Response> {
	const progress = ['1', 'true'].includes(url.searchParams.get('progress') ?? '');
	if (declaredTooLarge(request)) {
		dropBody(request);
		return Response.json(responseBody(refusedForSize(sizeMessage(limits.importBytes))), { status: 413 });
	}
	if (!progress) {
		const summary = await runRequest(access, request, url, route);
		return Response.json(responseBody(summary), { status: statusOf(summary) });
	}

	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			let open = true;
			const send = (event: Record<string, unknown>) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(JSON.stringify(event) + '\n'));
				} catch {
					open = false; // the client went away; the import still finishes
				}
			};
			try {
				const summary = await runRequest(access, request, url, route, (p) => send({ type: 'progress', ...p }));
				send({ type: 'result', status: statusOf(summary), ...responseBody(summary) });
			} catch (e) {
				const domain = httpErrorOf(e);
				if (!domain) console.error(e);
				send({ type: 'result', status: domain?.status ?? 500, error: domain?.message ?? 'internal error' });
			}
			if (open) controller.close();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' }
	});
}
