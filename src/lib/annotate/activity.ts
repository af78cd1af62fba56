/**
 * Active annotation time: a second counts while the tab is visible and the
 * user did something (pointer, keys, scrolling) in the last minute. Saves take
 * the seconds accumulated since the previous save.
 */
const IDLE_AFTER_MS = 60_000;
const MAX_DELTA_SECONDS = 3600;
const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'] as const;

export class ActivityTimer {
	#seconds = 0;
	#lastInteraction = Date.now();

	/** Start counting; returns the function that stops it. */
	start(win: Window): () => void {
		const touch = () => (this.#lastInteraction = Date.now());
		for (const name of EVENTS) win.addEventListener(name, touch, { capture: true, passive: true });
		const tick = win.setInterval(() => {
			const active = Date.now() - this.#lastInteraction < IDLE_AFTER_MS;
			if (active && win.document.visibilityState === 'visible') this.#seconds++;
		}, 1000);
		return () => {
			win.clearInterval(tick);
			for (const name of EVENTS) win.removeEventListener(name, touch, { capture: true });
		};
	}

	get pending(): number {
		return this.#seconds;
	}

	/** The seconds since the last take (at most an hour, the API's limit per save). */
	take(): number {
		const n = Math.min(this.#seconds, MAX_DELTA_SECONDS);
		this.#seconds -= n;
		return n;
	}

	/** Put back seconds whose save failed. */
	giveBack(n: number): void {
		this.#seconds += n;
	}
}
