/**
 * Cross-site request refusal (CSRF), for every route and every content type.
 *
 * SvelteKit's own origin check only covers the content types an HTML form can
 * send. A browser sends `Origin` with every POST, PUT, PATCH and DELETE, and
 * `Sec-Fetch-Site` with every request, so a state-changing request that a
 * browser made from another site is recognised by either, and refused when
 * either says so; a client outside a
 * browser (curl, Python) sends neither and is let through, since a forged
 * request needs a browser holding the victim's cookie.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why this request must be refused as cross-site, or null when it may go on. */
export function crossSiteRefusal(method: string, headers: Headers, ownOrigin: string): string | null {
	if (SAFE_METHODS.has(method.toUpperCase())) return null;
	const origin = headers.get('origin');
	if (origin !== null && origin !== ownOrigin) {
		return `cross-site ${method} refused: the request comes from ${origin}, not ${ownOrigin}`;
	}
	const site = headers.get('sec-fetch-site');
	if (site !== null && site !== 'same-origin' && site !== 'none') {
		return `cross-site ${method} refused: the browser says it comes from a ${site} page`;
	}
	return null;
}
