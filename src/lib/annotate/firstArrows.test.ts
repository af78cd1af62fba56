import { describe, expect, it } from 'vitest';
import { arrowShape, decodeFirstArrows, encodeFirstArrows, firstArrowsMarkup, placeArrows } from './firstArrows.js';
import { arrowShape as workspaceArrowShape } from './relationEdits';

describe('encodeFirstArrows / decodeFirstArrows', () => {
	it('round-trips names with tabs, newlines, quotes, markup and Object.prototype member names', () => {
		const arrows = [
			{ color: '#e8590c', from: 's0123456789abcdef', to: 's1', label: 'source-of' },
			{ color: '#868e96', from: '__proto__', to: 'constructor', label: 'a\tb\nc "d" <e> & %41' },
			{ color: '#000', from: 'x', to: 'y', label: 'toString' }
		];
		const value = encodeFirstArrows(arrows);
		expect(value.split('\n')).toHaveLength(3);
		expect(value).not.toContain('"');
		expect(decodeFirstArrows(value)).toEqual(arrows);
	});

	it('writes one line per arrow, fields in a known order', () => {
		expect(encodeFirstArrows([{ color: '#fff', from: 'a', to: 'b', label: 'x y' }])).toBe('%23fff\ta\tb\tx%20y');
		expect(encodeFirstArrows([])).toBe('');
	});

	it('skips malformed lines instead of throwing', () => {
		expect(decodeFirstArrows('')).toEqual([]);
		expect(decodeFirstArrows('a\tb\tc')).toEqual([]);
		expect(decodeFirstArrows('%E0%A4%A\ta\tb\tc\n#1\ta\tb\tok')).toEqual([{ color: '#1', from: 'a', to: 'b', label: 'ok' }]);
	});
});

describe('arrowShape', () => {
	it('is the one the page script draws with', () => {
		expect(workspaceArrowShape).toBe(arrowShape);
	});

	it('arcs from the top middle of one box to the other (worked example)', () => {
		// x1 = 10, x2 = 120, y = 98, lift = min(48, 12 + 110/10) = 23, cy = 75; mid y = (98 + 6·75 + 98)/8 = 80.75
		const a = arrowShape({ left: 0, top: 100, width: 20, height: 20 }, { left: 100, top: 100, width: 40, height: 20 });
		expect(a.d).toBe('M10 98 C10 75 120 75 120 98');
		expect(a.mid).toEqual({ x: 65, y: 80.8 });
	});
});

describe('firstArrowsMarkup', () => {
	it('draws each arrow with its label, one arrowhead per colour, names escaped', () => {
		const shape = { d: 'M0 0 C0 -10 10 -10 10 0', mid: { x: 5, y: -7.5 } };
		const markup = firstArrowsMarkup([
			{ shape, label: 'source-of', color: '#e8590c' },
			{ shape, label: '<b>&"', color: '#e8590c' },
			{ shape, label: 'x', color: '"/><script>' }
		]);
		expect(markup.match(/<marker /g)).toHaveLength(2);
		expect(markup.match(/<path d="M0 0 C/g)).toHaveLength(3);
		expect(markup).toContain('>source-of</text>');
		expect(markup).toContain('>&lt;b&gt;&amp;&quot;</text>');
		expect(markup).not.toContain('<script>');
		expect(markup).toContain('marker-end="url(#first-arrow-head-1)"');
		expect(markup).toContain('y="-9.5"');
	});

	it('draws nothing for no arrows', () => {
		expect(firstArrowsMarkup([])).toBe('<defs></defs>');
	});
});

describe('placeArrows', () => {
	// a host at (100, 50) in the window; spans as their first line boxes there
	const host = { getBoundingClientRect: () => ({ left: 100, top: 50 }) };
	const element = (left: number, top: number, width: number, laidOut = true) => ({
		getClientRects: () => [{ left, top, width, height: 20 }],
		checkVisibility: () => laidOut
	});
	const elements: Record<string, ReturnType<typeof element>> = {
		a: element(100, 150, 20), // host coordinates (0, 100), width 20
		b: element(200, 150, 40), // (100, 100), width 40
		far1: element(100, 5000, 10, false),
		far2: element(100, 6000, 10, false)
	};
	const firstElementOf = (id: string) => elements[id];

	it('places each arrow in the host coordinates, from the first line box of one span to the other (worked example)', () => {
		const { placed, pending } = placeArrows(host, [{ from: 'a', to: 'b', label: 'x' }], firstElementOf);
		expect(pending).toBe(0);
		expect(placed).toHaveLength(1);
		expect(placed[0].shape.d).toBe('M10 98 C10 75 120 75 120 98');
		expect(placed[0].relation.label).toBe('x');
	});

	it('counts a relation with both ends not laid out as pending, and measures one with a single end laid out', () => {
		const { placed, pending } = placeArrows(
			host,
			[
				{ from: 'far1', to: 'far2' },
				{ from: 'a', to: 'far1' }
			],
			firstElementOf
		);
		expect(pending).toBe(1);
		expect(placed.map((p) => p.relation.to)).toEqual(['far1']);
		// far1 at host (0, 4950): the arrow lands 2 px above it
		expect(placed[0].shape.d.endsWith('5 4948')).toBe(true);
	});

	it('leaves out a relation with an end that is not drawn, and takes a span without checkVisibility as laid out', () => {
		const plain = { getClientRects: () => [{ left: 300, top: 250, width: 0, height: 20 }] };
		const { placed, pending } = placeArrows(
			host,
			[
				{ from: 'a', to: 'missing' },
				{ from: 'missing', to: 'also-missing' },
				{ from: 'plain', to: 'a' }
			],
			(id) => (id === 'plain' ? plain : elements[id])
		);
		expect(pending).toBe(0);
		expect(placed.map((p) => p.relation.from)).toEqual(['plain']);
		expect(placed[0].shape.d.startsWith('M200 198 ')).toBe(true);
	});
});
