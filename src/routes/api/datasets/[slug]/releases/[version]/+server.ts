import { api } from '$lib/server/http';
import { downloadReleaseFor } from '$lib/server/releases';

/** The release file, streamed: the stored JSONL, or `?format=doccano|prodigy|conll` converted line by line. */
export const GET = api(async ({ locals, params, url }) => {
	const download = await downloadReleaseFor(locals.user, params.slug, params.version, url.searchParams.get('format'));
	const headers: Record<string, string> = {
		'content-type': download.contentType,
		'content-disposition': `attachment; filename="${download.filename}"`,
		'cache-control': 'private, no-store'
	};
	if (download.size !== undefined) headers['content-length'] = String(download.size);
	// how many of the release's spans this format could not hold (docs/api.md)
	headers['x-spanlab-unrepresentable-spans'] = String(download.unrepresentable);
	if (download.tokenizer) {
		const t = download.tokenizer;
		headers['x-spanlab-tokenizer'] = `${t.definition}; icu=${t.icu ?? 'none'}; unicode=${t.unicode ?? 'none'}`;
	}
	return new Response(download.body, { headers });
});
