/**
 * The names the store keys its data by (dataset slugs, document ids, annotators),
 * checked here for every backend: the file store builds paths only from names that
 * passed these checks, so no request can address a file outside its dataset.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../http/errors';

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const DOC_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ANNOTATOR_RE = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
const RESERVED_SLUGS = new Set(['samples', 'system', 'api', 'new']);

export function checkSlug(slug: string): string {
	if (!SLUG_RE.test(slug) || RESERVED_SLUGS.has(slug)) {
		throw badRequest(
			`invalid dataset slug "${printable(slug)}": use lowercase letters, digits and "-" (not at the ends), at most 64 characters`
		);
	}
	return slug;
}

export function checkDocId(id: string): string {
	if (!DOC_ID_RE.test(id) || id.includes('..')) {
		throw badRequest(`invalid document id "${printable(id)}": letters, digits, ".", "_" or "-", at most 128 characters`);
	}
	return id;
}

/**
 * Pre-annotations brought in by an import are stored as the annotation set of a
 * reserved annotator `import~<source>`: "~" cannot occur in usernames, so no
 * person can ever own (or write) such a set.
 */
export const IMPORT_ANNOTATOR_PREFIX = 'import~';
const IMPORT_ANNOTATOR_RE = /^import~[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_IMPORT_SOURCE = 64;

export function isImportAnnotator(name: string): boolean {
	return IMPORT_ANNOTATOR_RE.test(name) && !name.includes('..');
}

/**
 * The reserved annotator id of an import source (a file name such as
 * `Export 2024.jsonl` or `batch.zip/fr/doccano.jsonl`): `import~` + the name
 * lower-cased, accents dropped, every run of other characters turned into "-",
 * at most 64 characters (long names keep a hash of the full name, so they stay distinct).
 */
export function importAnnotatorId(source: string): string {
	let name = source
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9._-]+/g, '-')
		.replace(/[-.]*\.[-.]*/g, '.')
		.replace(/^[^a-z0-9]+/, '')
		.replace(/[^a-z0-9]+$/, '');
	if (name.length > MAX_IMPORT_SOURCE) {
		const hash = createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 8);
		name = name.slice(0, MAX_IMPORT_SOURCE - 9).replace(/[^a-z0-9]+$/, '') + '-' + hash;
	}
	return IMPORT_ANNOTATOR_PREFIX + (name || 'file');
}

/** A username, `gold`, or a reserved `import~<source>` id; never anything that could leave its folder. */
export function checkAnnotator(name: string): string {
	if (!(ANNOTATOR_RE.test(name) || IMPORT_ANNOTATOR_RE.test(name)) || name.includes('..')) {
		throw badRequest(`invalid annotator "${printable(name)}"`);
	}
	return name;
}

/** For error messages: cut long input and make control characters visible. */
export function printable(value: string): string {
	const cut = value.length > 80 ? value.slice(0, 80) + '…' : value;
	return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
