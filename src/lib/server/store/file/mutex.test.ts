import { describe, it, expect } from 'vitest';
import { withExclusiveLock, withSharedLock } from './mutex';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('readers–writer lock', () => {
	it('lets shared holders overlap and keeps an exclusive holder alone', async () => {
		const log: string[] = [];
		let inside = 0;
		let most = 0;
		const reader = (name: string) =>
			withSharedLock('k1', async () => {
				inside++;
				most = Math.max(most, inside);
				log.push(`${name}+`);
				await tick();
				log.push(`${name}-`);
				inside--;
			});
		const writer = (name: string) =>
			withExclusiveLock('k1', async () => {
				expect(inside).toBe(0);
				log.push(`${name}+`);
				await tick();
				log.push(`${name}-`);
			});
		await Promise.all([reader('r1'), reader('r2'), writer('w'), reader('r3')]);
		expect(most).toBe(2);
		// r3 arrived after the writer asked: it waits for the writer (no writer starvation)
		expect(log).toEqual(['r1+', 'r2+', 'r1-', 'r2-', 'w+', 'w-', 'r3+', 'r3-']);
	});

	it('releases on a throw and keys are independent', async () => {
		await expect(withExclusiveLock('k2', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
		const order: string[] = [];
		await Promise.all([
			withExclusiveLock('k2', async () => { await tick(); order.push('k2'); }),
			withSharedLock('k3', async () => { order.push('k3'); })
		]);
		expect(order).toEqual(['k3', 'k2']);
	});

	it('serialises exclusive holders in arrival order', async () => {
		const order: number[] = [];
		await Promise.all([1, 2, 3].map((n) => withExclusiveLock('k4', async () => { await tick(); order.push(n); })));
		expect(order).toEqual([1, 2, 3]);
	});
});
