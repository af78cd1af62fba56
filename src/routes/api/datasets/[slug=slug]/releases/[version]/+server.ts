import { api } from '$lib/server/http/http';
import { downloadReleaseFor } from '$lib/server/release/releases';
import type { ReleaseTokenizer } from '$lib/release/record';

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
	// printable ASCII only: a header cannot carry anything else (a manifest edited by hand could)
	const describe = (t: ReleaseTokenizer) =>
		`${t.definition}; icu=${t.icu ?? 'none'}; unicode=${t.unicode ?? 'none'}`.replace(/[^\x20-\x7e]/g, '?');
	if (download.tokenizer) headers['x-spanlab-tokenizer'] = describe(download.tokenizer);
	// the release was cut by a runtime that tokenises differently (or did not say how): its token indices may differ
	if (download.releaseTokenizer !== undefined) {
		headers['x-spanlab-release-tokenizer'] = download.releaseTokenizer ? describe(download.releaseTokenizer) : 'not recorded';
	}
	return new Response(download.body, { headers });
});
