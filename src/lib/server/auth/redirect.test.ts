import { describe, it, expect } from 'vitest';
import { safeRedirectPath } from './redirect';

const ORIGIN = 'http://spanlab.test:3000';

describe('safeRedirectPath', () => {
	it('keeps paths on our origin, query and fragment included', () => {
		expect(safeRedirectPath('/datasets/demo-news', ORIGIN)).toBe('/datasets/demo-news');
		expect(safeRedirectPath('/datasets/demo-news/documents?x=1#top', ORIGIN)).toBe('/datasets/demo-news/documents?x=1#top');
		expect(safeRedirectPath('/a/../b', ORIGIN)).toBe('/b');
	});

	it('sends anything missing or off our origin to /', () => {
		for (const next of [
			null,
			undefined,
			'',
			'//evil.example',
			'//evil.example/x',
			'https://evil.example',
			'https://evil.example/x',
			'http://spanlab.test:3000/x', // absolute, even our own: never needed
			'javascript:alert(1)',
			'JavaScript:alert(1)',
			' javascript:alert(1)',
			'data:text/html,hi',
			'evil.example',
			'/\\evil.example/x', // what /%5Cevil.example/x decodes to
			'\\\\evil.example',
			'/\t/evil.example', // what /%09/evil.example decodes to
			'/\n/evil.example',
			'/\r\n/evil.example',
			'\t//evil.example',
			'/\\/evil.example',
			'/.//evil.example', // parses to the path //evil.example
			'/..//evil.example',
			'/%2e//evil.example'
		]) {
			expect(safeRedirectPath(next, ORIGIN), JSON.stringify(next)).toBe('/');
		}
	});

	it('leaves percent-escapes escaped, as the browser would', () => {
		// the raw query value "/%5Cevil.example/x" (not decoded) stays a path of ours
		expect(safeRedirectPath('/%5Cevil.example/x', ORIGIN)).toBe('/%5Cevil.example/x');
		expect(safeRedirectPath('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example');
	});

	it('returns the serialised path, so what we send is what the browser reads', () => {
		expect(safeRedirectPath('/a b', ORIGIN)).toBe('/a%20b');
		expect(safeRedirectPath('/x\ty', ORIGIN)).toBe('/xy');
	});
});
