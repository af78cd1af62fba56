import { describe, expect, it } from 'vitest';
import { isDocumentId, isSlug } from './ids';
import { match as slugMatcher } from '../../params/slug';
import { match as docIdMatcher } from '../../params/docid';

describe('dataset slugs', () => {
	it('takes lowercase letters, digits and inner dashes, up to 64 characters', () => {
		for (const ok of ['a', 'demo-news', 'x1', 'a'.repeat(64), 'constructor', 'prototype']) expect(isSlug(ok), ok).toBe(true);
	});
	it('refuses anything else, and the reserved words', () => {
		for (const bad of ['', 'UPPER', '-x', 'x-', 'a b', 'a/b', '..', 'a..b', 'a'.repeat(65), 'x\u0000', '__proto__', 'samples', 'system', 'api', 'new']) {
			expect(isSlug(bad), JSON.stringify(bad)).toBe(false);
		}
	});
	it('is what the route matcher [slug=slug] accepts', () => {
		for (const s of ['demo-news', 'UPPER', 'new', '']) expect(slugMatcher(s), s).toBe(isSlug(s));
	});
});

describe('document ids', () => {
	it('takes letters, digits, ".", "_" and "-" after a letter or digit, up to 128 characters', () => {
		for (const ok of ['doc-a', 'A.b_c-1', 'x'.repeat(128), 'constructor', 'toString']) expect(isDocumentId(ok), ok).toBe(true);
	});
	it('refuses "..", a leading dot or dash, and other characters', () => {
		for (const bad of ['', '..', 'A..b', '.x', '-x', '_x', '__proto__', 'a/b', 'a b', 'x'.repeat(129), '%2e%2e']) {
			expect(isDocumentId(bad), JSON.stringify(bad)).toBe(false);
		}
	});
	it('is what the route matcher [id=docid] accepts', () => {
		for (const s of ['doc-a', 'A..b', '']) expect(docIdMatcher(s), s).toBe(isDocumentId(s));
	});
});
