import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './ratelimit';

const MINUTE = 60_000;

function limiter() {
	let t = 1_000_000;
	const l = new FailureLimiter({ limit: 10, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, now: () => t });
	return { l, advance: (ms: number) => (t += ms) };
}

describe('FailureLimiter: 10 failures → locked for 15 minutes', () => {
	it('locks on the 10th failure, so the 11th attempt is refused', () => {
		const { l } = limiter();
		for (let i = 0; i < 9; i++) l.fail('u:alice');
		expect(l.lockedFor('u:alice')).toBe(0);
		l.fail('u:alice');
		expect(l.lockedFor('u:alice')).toBe(15 * MINUTE);
		expect(l.lockedFor('u:bob')).toBe(0);
	});

	it('unlocks after 15 minutes and counts afresh', () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 10; i++) l.fail('ip:10.0.0.1');
		advance(14 * MINUTE);
		expect(l.lockedFor('ip:10.0.0.1')).toBe(1 * MINUTE);
		advance(1 * MINUTE);
		expect(l.lockedFor('ip:10.0.0.1')).toBe(0);
		l.fail('ip:10.0.0.1');
		expect(l.lockedFor('ip:10.0.0.1')).toBe(0);
	});

	it('forgets failures older than the window', () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 9; i++) l.fail('u:alice');
		advance(16 * MINUTE);
		l.fail('u:alice');
		expect(l.lockedFor('u:alice')).toBe(0);
	});

	it('a success clears the count', () => {
		const { l } = limiter();
		for (let i = 0; i < 9; i++) l.fail('u:alice');
		l.clear('u:alice');
		l.fail('u:alice');
		expect(l.lockedFor('u:alice')).toBe(0);
	});
});
