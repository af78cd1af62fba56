import { describe, expect, it } from 'vitest';
import { eventReader, formatSize, importQuery } from './importApi';

describe('eventReader', () => {
	it('returns the events of completed lines only, once each', () => {
		const read = eventReader();
		const a = '{"type":"progress","phase":"validating","files":0,"bytes":0,"documents":0,"done":0,"total":0}\n';
		const b = '{"type":"result","status":200,"imported":2}\n';
		expect(read(a.slice(0, 20))).toEqual([]);
		expect(read(a).map((e) => e.type)).toEqual(['progress']);
		expect(read(a + b.slice(0, 10))).toEqual([]);
		expect(read(a + b)).toEqual([{ type: 'result', status: 200, imported: 2 }]);
		expect(read(a + b + '\n\n')).toEqual([]);
	});
});

describe('importQuery', () => {
	it('encodes label mapping and flags', () => {
		expect(importQuery({})).toBe('');
		expect(importQuery({ labelMap: { PER: 'attribution', ORG: '', X: 'X' }, addLabels: true, progress: true })).toBe(
			'?labelMap=PER%3Aattribution&addLabels=1&progress=1'
		);
		expect(new URLSearchParams(importQuery({ labelMap: { 'B-PER': 'a b', LOC: 'place' } })).get('labelMap')).toBe(
			'B-PER:a b,LOC:place'
		);
	});
});

describe('formatSize', () => {
	it('uses bytes, KB and MB', () => {
		expect([formatSize(900), formatSize(1536), formatSize(2 * 1024 * 1024 + 1)]).toEqual(['900 bytes', '1.5 KB', '2.0 MB']);
	});
});
