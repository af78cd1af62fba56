/**
 * Span sets of the shapes that made rendering super-linear (issue #14 item 2),
 * 20,000 spans each (the allowed maximum), as plain inputs (code point
 * offsets; the texts are ASCII, so they are UTF-16 offsets too). Used by the
 * renderer's unit tests, the security test that sends them to a real server
 * and the bench.
 */
export interface HostileSpanSet {
	name: string;
	text: string;
	spans: Array<{ start: number; end: number; label: string }>;
}

const WORDS = 'the minister said that the economy grew by three percent in the last year ';

function textOf(length: number, lineEvery = 0): string {
	let text = WORDS.repeat(Math.ceil(length / WORDS.length)).slice(0, length);
	if (lineEvery > 0) text = text.replace(new RegExp(`(.{${lineEvery - 1}}) `, 'g'), '$1\n');
	return text;
}

/** `count` spans of each shape (default 20,000), with the default label names. */
export function hostileSpanSets(count = 20_000): HostileSpanSet[] {
	const labels = ['claim', 'attribution', 'framing', 'date'];
	const short = textOf(228);
	const mid = short.length / 2;
	// ranges of the 228-character text that contain its middle character, narrowest first: all nested over one point
	const overMiddle: HostileSpanSet['spans'] = [];
	for (let width = 1; overMiddle.length < count && width <= short.length; width++)
		for (let start = Math.max(0, mid - width + 1); start <= mid && start + width <= short.length; start++)
			for (const label of labels) if (overMiddle.length < count) overMiddle.push({ start, end: start + width, label });
	const long = textOf(count * 2 + 10, 400);
	let seed = 14;
	const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
	const random = textOf(5000, 300);
	return [
		{ name: 'nested over 228 characters', text: short, spans: overMiddle },
		{ name: 'nested onion layers', text: long, spans: Array.from({ length: count }, (_, i) => ({ start: i, end: long.length - i, label: 'claim' })) },
		{ name: 'overlapping chain', text: long, spans: Array.from({ length: count }, (_, i) => ({ start: i, end: i + 1000, label: 'framing' })) },
		// identical ranges: the store keeps one per label, the renderer's tests keep them all
		{ name: 'all identical, over one character', text: short, spans: Array.from({ length: count }, (_, i) => ({ start: 100, end: 101, label: labels[i % 4] })) },
		{
			name: 'random',
			text: random,
			spans: Array.from({ length: count }, () => {
				const start = Math.floor(rnd() * (random.length - 1));
				return { start, end: Math.min(random.length, start + 1 + Math.floor(rnd() * 400)), label: labels[Math.floor(rnd() * 4)] };
			})
		}
	];
}
