/** Per-key async locks: one writer at a time per annotation set / file. */
const tails = new Map<string, Promise<unknown>>();

export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release!: () => void;
	const current = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => current);
	tails.set(key, tail);
	try {
		await previous;
		return await fn();
	} finally {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/**
 * Per-key readers–writer locks: any number of `shared` holders at once, or one
 * `exclusive` holder. A waiting exclusive request stops new shared holders from
 * starting (no writer starves behind a stream of readers); holders are served in
 * arrival order otherwise. In one process, like `withLock`.
 */
interface RwState {
	readers: number;
	writer: boolean;
	queue: Array<{ exclusive: boolean; grant: () => void }>;
}
const rwStates = new Map<string, RwState>();

function rwState(key: string): RwState {
	let state = rwStates.get(key);
	if (!state) rwStates.set(key, (state = { readers: 0, writer: false, queue: [] }));
	return state;
}

function rwDrain(key: string, state: RwState): void {
	while (state.queue.length && !state.writer) {
		const next = state.queue[0];
		if (next.exclusive) {
			if (state.readers > 0) break;
			state.writer = true;
		} else {
			state.readers++;
		}
		state.queue.shift();
		next.grant();
	}
	if (!state.writer && state.readers === 0 && state.queue.length === 0) rwStates.delete(key);
}

async function withRwLock<T>(key: string, exclusive: boolean, fn: () => Promise<T>): Promise<T> {
	const state = rwState(key);
	await new Promise<void>((grant) => {
		state.queue.push({ exclusive, grant });
		rwDrain(key, state);
	});
	try {
		return await fn();
	} finally {
		if (exclusive) state.writer = false;
		else state.readers--;
		rwDrain(key, state);
	}
}

export function withSharedLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
	return withRwLock(key, false, fn);
}

export function withExclusiveLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
	return withRwLock(key, true, fn);
}
