import { describe, expect, it } from 'vitest';
import { annotationFile, checkAnnotator, importAnnotatorId, isImportAnnotator } from './paths';

describe('checkAnnotator', () => {
	it('accepts usernames, gold and reserved import sources', () => {
		for (const name of ['ann1', 'gold', 'marie.dupont', 'import~batch.jsonl', 'import~a', 'import~' + 'x'.repeat(64)]) {
			expect(checkAnnotator(name)).toBe(name);
		}
	});

	it('rejects everything else', () => {
		for (const name of [
			'',
			'..',
			'a..b',
			'a/b',
			'a\\b',
			'a\0b',
			'Ann',
			'~ann',
			'ann~1',
			'import~',
			'import~..',
			'import~a..b',
			'import~../x',
			'import~a/b',
			'import~a\0',
			'import~.hidden',
			'import~-x',
			'import~A.jsonl',
			'import~x~y',
			'import:x',
			'Import~x',
			'import~' + 'x'.repeat(65)
		]) {
			expect(() => checkAnnotator(name), name).toThrow(/invalid annotator/);
		}
	});

	it('keeps import sets inside the document folder', () => {
		expect(annotationFile('news', 'doc-1', 'import~batch.jsonl')).toMatch(/[/\\]news[/\\]annotations[/\\]doc-1[/\\]import~batch\.jsonl\.json$/);
	});
});

describe('importAnnotatorId', () => {
	it('turns a file name into a reserved annotator id', () => {
		expect(importAnnotatorId('batch.jsonl')).toBe('import~batch.jsonl');
		expect(importAnnotatorId('Export 2024 (final).JSONL')).toBe('import~export-2024-final.jsonl');
		expect(importAnnotatorId('Fête à Paris.txt')).toBe('import~fete-a-paris.txt');
		expect(importAnnotatorId('corpus.zip/fr/doccano.jsonl')).toBe('import~corpus.zip-fr-doccano.jsonl');
		expect(importAnnotatorId('../../etc/passwd')).toBe('import~etc-passwd');
		expect(importAnnotatorId('a..b')).toBe('import~a.b');
		expect(importAnnotatorId('日本語.jsonl')).toBe('import~jsonl');
		expect(importAnnotatorId('日本語')).toBe('import~file');
		expect(importAnnotatorId('~~~')).toBe('import~file');
	});

	it('keeps long names at 64 characters, distinct by a hash of the full name', () => {
		const a = importAnnotatorId('a'.repeat(100) + '-one.jsonl');
		const b = importAnnotatorId('a'.repeat(100) + '-two.jsonl');
		expect(a.length).toBe('import~'.length + 64);
		expect(a).not.toBe(b);
		expect(a.slice(0, -8)).toBe(b.slice(0, -8));
	});

	it('always yields a valid annotator', () => {
		for (const s of ['', '.', '..', '-', 'x.', 'ÉTÉ', '\0', 'a/../b', 'a'.repeat(300), '.'.repeat(70) + 'b']) {
			const id = importAnnotatorId(s);
			expect(isImportAnnotator(id), `${JSON.stringify(s)} → ${id}`).toBe(true);
			expect(checkAnnotator(id)).toBe(id);
		}
	});
});
