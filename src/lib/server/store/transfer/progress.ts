/** Progress lines of a long copy or check: at most one every `everyMs` per counter, and always the last. */
export type Log = (line: string) => void;

export interface Counter {
	/** one more done */
	tick(): void;
	/** all done: the final line */
	done(): void;
	readonly count: number;
}

export function counter(log: Log, what: string, total: number | null, everyMs = 2000, now: () => number = Date.now): Counter {
	let count = 0;
	let last = now();
	const line = () => log(`${what} ${count}${total === null ? '' : `/${total}`}`);
	return {
		tick() {
			count++;
			if (now() - last >= everyMs) {
				last = now();
				line();
			}
		},
		done() {
			line();
		},
		get count() {
			return count;
		}
	};
}
