import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from './crossSite';

const own = 'http://localhost:3000';
const h = (init: Record<string, string>) => new Headers(init);

describe('crossSiteRefusal', () => {
	it('lets reads through from anywhere', () => {
		for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
			expect(crossSiteRefusal(method, h({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }), own)).toBeNull();
		}
	});

	it('lets a write from the app itself through, and one from outside a browser (no Origin, no Sec-Fetch-Site)', () => {
		expect(crossSiteRefusal('PUT', h({ origin: own, 'sec-fetch-site': 'same-origin' }), own)).toBeNull();
		expect(crossSiteRefusal('POST', h({ 'content-type': 'application/json' }), own)).toBeNull();
		// typed into the address bar or opened from a bookmark
		expect(crossSiteRefusal('POST', h({ 'sec-fetch-site': 'none' }), own)).toBeNull();
	});

	it('refuses a write from another origin, whatever its content type', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			const why = crossSiteRefusal(method, h({ origin: 'http://evil.example', 'content-type': 'application/json' }), own);
			expect(why).toBe(`cross-site ${method} refused: the request comes from http://evil.example, not ${own}`);
		}
	});

	it('refuses an opaque origin, another port or scheme of the same host, and a sibling site', () => {
		expect(crossSiteRefusal('POST', h({ origin: 'null' }), own)).toContain('comes from null');
		expect(crossSiteRefusal('POST', h({ origin: 'http://localhost:3001' }), own)).not.toBeNull();
		expect(crossSiteRefusal('POST', h({ origin: 'https://localhost:3000' }), own)).not.toBeNull();
		expect(crossSiteRefusal('POST', h({ 'sec-fetch-site': 'same-site' }), own)).toBe(
			'cross-site POST refused: the browser says it comes from a same-site page'
		);
		expect(crossSiteRefusal('DELETE', h({ 'sec-fetch-site': 'cross-site' }), own)).not.toBeNull();
		// either header saying so is enough
		expect(crossSiteRefusal('PUT', h({ origin: own, 'sec-fetch-site': 'cross-site' }), own)).not.toBeNull();
	});
});
