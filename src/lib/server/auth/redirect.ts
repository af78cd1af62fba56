/**
 * Where to send the browser after logging in. `next` comes from the query
 * string, so it is the attacker's: it is resolved exactly as a browser resolves
 * a Location header (the WHATWG URL parser: tabs and newlines dropped, `\` read
 * as `/`, percent-escapes left alone) against our own origin, and accepted only
 * when the result is on that origin. What is returned is the parser's own
 * serialisation of the path, so the browser cannot read it differently.
 */
export function safeRedirectPath(next: string | null | undefined, origin: string): string {
	if (!next) return '/';
	// Only a path: not a scheme (`javascript:`, `https://our.host/` is refused too, it is never needed) and not "//host".
	if (!next.startsWith('/')) return '/';
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return '/';
	}
	if (url.origin !== new URL(origin).origin) return '/';
	const path = url.pathname + url.search + url.hash;
	// "/.//evil" parses to the path "//evil", which a browser given it as a Location reads as a host
	if (!path.startsWith('/') || path.startsWith('//')) return '/';
	return path;
}
