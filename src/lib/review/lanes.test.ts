import { describe, it, expect } from 'vitest';
import { layoutLanes } from './lanes';
import { spanId } from '../model/spans';

// Code points: "Le"0-2 "maire"3-8 "a"9-10 "dit"11-14 "😀"15-16 "mardi"17-22 "."22-23,
// line break at 23, a blank line at 24, "Second"25-31 "paragraphe"32-42 "ici"43-46 "."46-47.
// In UTF-16 everything after the emoji is one unit further right.
const text = 'Le maire a dit 😀 mardi.\n\nSecond paragraphe ici.';
const maire = { start: 3, end: 8, label: 'claim' };
const mardi = { start: 17, end: 22, label: 'date' };
const mardiDot = { start: 17, end: 23, label: 'date' };
const ann1 = { name: 'ann1', spans: [mardi, maire] };
const ann2 = { name: 'ann2', spans: [maire, mardiDot] };

describe('layoutLanes', () => {
	it('gives each lane a row of segments cut at its span boundaries, in code points', () => {
		const layout = layoutLanes(text, [ann1, ann2, { name: 'gold', spans: [] }]);
		expect(layout).toEqual([
			{
				index: 0,
				start: 0,
				end: 23,
				text: 'Le maire a dit 😀 mardi.',
				rows: [
					{
						lane: 'ann1',
						spans: [
							{ ...maire, id: spanId(maire) },
							{ ...mardi, id: spanId(mardi) }
						],
						segments: [
							{ start: 0, end: 3, text: 'Le ', spans: [] },
							{ start: 3, end: 8, text: 'maire', spans: [spanId(maire)] },
							{ start: 8, end: 17, text: ' a dit 😀 ', spans: [] },
							{ start: 17, end: 22, text: 'mardi', spans: [spanId(mardi)] },
							{ start: 22, end: 23, text: '.', spans: [] }
						]
					},
					{
						lane: 'ann2',
						spans: [
							{ ...maire, id: spanId(maire) },
							{ ...mardiDot, id: spanId(mardiDot) }
						],
						segments: [
							{ start: 0, end: 3, text: 'Le ', spans: [] },
							{ start: 3, end: 8, text: 'maire', spans: [spanId(maire)] },
							{ start: 8, end: 17, text: ' a dit 😀 ', spans: [] },
							{ start: 17, end: 23, text: 'mardi.', spans: [spanId(mardiDot)] }
						]
					},
					{ lane: 'gold', spans: [], segments: [{ start: 0, end: 23, text: 'Le maire a dit 😀 mardi.', spans: [] }] }
				]
			},
			// the blank line (index 1) is left out; no lane has a span here, so no rows
			{ index: 2, start: 25, end: 47, text: 'Second paragraphe ici.', rows: [] }
		]);
	});

	it('nests overlapping spans of one lane (longest first) and splits a span over a line break', () => {
		const outer = { start: 0, end: 8, label: 'attribution' };
		const across = { start: 22, end: 31, label: 'framing' }; // ".\n\nSecond"
		const layout = layoutLanes(text, [{ name: 'a', spans: [maire, outer, across] }]);
		expect(layout[0].rows[0].segments).toEqual([
			{ start: 0, end: 3, text: 'Le ', spans: [spanId(outer)] },
			{ start: 3, end: 8, text: 'maire', spans: [spanId(outer), spanId(maire)] },
			{ start: 8, end: 22, text: ' a dit 😀 mardi', spans: [] },
			{ start: 22, end: 23, text: '.', spans: [spanId(across)] }
		]);
		expect(layout[1].rows[0].segments).toEqual([
			{ start: 25, end: 31, text: 'Second', spans: [spanId(across)] },
			{ start: 31, end: 47, text: ' paragraphe ici.', spans: [] }
		]);
	});

	it('handles CRLF line breaks and an empty text', () => {
		const crlf = layoutLanes('ab\r\ncd', [{ name: 'a', spans: [{ start: 4, end: 6, label: 'x' }] }]);
		expect(crlf.map((p) => [p.index, p.start, p.end, p.text, p.rows.length])).toEqual([
			[0, 0, 2, 'ab', 0],
			[1, 4, 6, 'cd', 1]
		]);
		expect(layoutLanes('', [])).toEqual([]);
	});
});
