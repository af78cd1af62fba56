/**
 * Browser side of an import: sends the files as multipart/form-data with
 * XMLHttpRequest (fetch reports no upload progress) and follows the server's
 * `?progress=1` event stream until the result.
 */
import { eventReader, importQuery, type ImportProgressEvent, type ImportResultEvent } from './importApi';

export interface UploadHandlers {
	/** bytes of the request body sent so far */
	onUpload?: (loaded: number, total: number) => void;
	/** server-side phases, once the upload is complete */
	onProgress?: (event: ImportProgressEvent) => void;
}

export interface UploadOptions {
	labelMap?: Record<string, string>;
	addLabels?: boolean;
}

/** Starts the upload; `result` settles with the final event (any HTTP status), or rejects on a network failure. */
export function uploadImport(
	slug: string,
	files: File[],
	opts: UploadOptions,
	handlers: UploadHandlers = {}
): { result: Promise<ImportResultEvent>; abort: () => void } {
	const xhr = new XMLHttpRequest();
	const body = new FormData();
	// a brat .ann is read before the .txt it annotates (docs/api.md, Import): .ann files go first, the rest keep their order
	const ordered = [...files].sort((a, b) => Number(!/\.ann$/i.test(a.name)) - Number(!/\.ann$/i.test(b.name)));
	for (const file of ordered) body.append('files', file, file.name);
	const result = new Promise<ImportResultEvent>((resolve, reject) => {
		const read = eventReader();
		let final: ImportResultEvent | null = null;
		const consume = () => {
			if (xhr.status !== 200) return; // refused before the stream started: plain JSON
			for (const event of read(xhr.responseText)) {
				if (event.type === 'progress') handlers.onProgress?.(event);
				else final = event;
			}
		};
		xhr.upload.onprogress = (e) => handlers.onUpload?.(e.loaded, e.lengthComputable ? e.total : 0);
		xhr.onprogress = consume;
		xhr.onload = () => {
			consume();
			if (final) return resolve(final);
			let parsed: Partial<ImportResultEvent> = {};
			try {
				parsed = JSON.parse(xhr.responseText);
			} catch {
				parsed = { error: xhr.statusText || 'the server gave no answer' };
			}
			resolve({ ...parsed, type: 'result', status: xhr.status === 200 ? 500 : xhr.status });
		};
		xhr.onerror = () => reject(new Error('the upload failed (network error)'));
		xhr.onabort = () => reject(new Error('the upload was cancelled'));
	});
	xhr.open('POST', `/api/datasets/${encodeURIComponent(slug)}/imports${importQuery({ ...opts, progress: true })}`);
	xhr.send(body);
	return { result, abort: () => xhr.abort() };
}
