import { describe, expect, it } from 'vitest';
import { memoryLoginFailures } from './loginFailures';

const MINUTE = 60_000;
const RULE = { limit: 10, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

function limiter() {
	let t = 1_000_000;
	const repo = memoryLoginFailures({ now: () => t });
	const l = { fail: (key: string) => repo.fail(key, RULE), lockedFor: (key: string) => repo.lockedFor(key), clear: (key: string) => repo.clear(key) };
	return { l, advance: (ms: number) => (t += ms) };
}

describe('the file store\'s login failures (in memory): 10 failures → locked for 15 minutes', () => {
	it('locks on the 10th failure, so the 11th attempt is refused', async () => {
		const { l } = limiter();
		for (let i = 0; i < 9; i++) await l.fail('u:alice');
		expect(await l.lockedFor('u:alice')).toBe(0);
		await l.fail('u:alice');
		expect(await l.lockedFor('u:alice')).toBe(15 * MINUTE);
		expect(await l.lockedFor('u:bob')).toBe(0);
	});

	it('unlocks after 15 minutes and counts afresh', async () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 10; i++) await l.fail('ip:10.0.0.1');
		advance(14 * MINUTE);
		expect(await l.lockedFor('ip:10.0.0.1')).toBe(1 * MINUTE);
		advance(1 * MINUTE);
		expect(await l.lockedFor('ip:10.0.0.1')).toBe(0);
		await l.fail('ip:10.0.0.1');
		expect(await l.lockedFor('ip:10.0.0.1')).toBe(0);
	});

	it('forgets failures older than the window', async () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 9; i++) await l.fail('u:alice');
		advance(16 * MINUTE);
		await l.fail('u:alice');
		expect(await l.lockedFor('u:alice')).toBe(0);
	});

	it('a success clears the count', async () => {
		const { l } = limiter();
		for (let i = 0; i < 9; i++) await l.fail('u:alice');
		await l.clear('u:alice');
		await l.fail('u:alice');
		expect(await l.lockedFor('u:alice')).toBe(0);
	});
});
