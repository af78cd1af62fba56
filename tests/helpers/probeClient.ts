/** Runs tests/helpers/probe.mjs beside a test or the bench: the /api/me latencies while hostile requests run. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ProbeSample {
	/** wall clock (ms since the epoch) when the request was sent */
	at: number;
	latencyMs: number;
	status: number;
}

export class EventLoopProbe {
	private constructor(private readonly child: ChildProcess, private readonly lines: AsyncIterator<string>) {}

	static async start(url: string, cookie: string, root = process.cwd()): Promise<EventLoopProbe> {
		const child = spawn(process.execPath, [path.join(root, 'tests/helpers/probe.mjs'), url, cookie], { stdio: ['pipe', 'pipe', 'inherit'] });
		const lines = (async function* () {
			let buffer = '';
			for await (const chunk of child.stdout!) {
				buffer += chunk;
				let i: number;
				while ((i = buffer.indexOf('\n')) >= 0) {
					yield buffer.slice(0, i);
					buffer = buffer.slice(i + 1);
				}
			}
		})();
		const first = await lines.next();
		if (first.value !== 'ready') throw new Error(`the probe did not start: ${String(first.value)}`);
		return new EventLoopProbe(child, lines);
	}

	/** Stops the probe; its samples, in order. */
	async stop(): Promise<ProbeSample[]> {
		this.child.stdin!.write('stop\n');
		const line = await this.lines.next();
		const { samples } = JSON.parse(String(line.value)) as { samples: Array<[number, number, number]> };
		return samples.map(([at, latencyMs, status]) => ({ at, latencyMs, status }));
	}

	kill(): void {
		if (this.child.exitCode === null) this.child.kill('SIGKILL');
	}
}

/** The worst latency among the samples sent in [from, to] (wall clock ms). */
export function worstBetween(samples: ProbeSample[], from: number, to: number): number {
	return samples.filter((s) => s.at >= from && s.at <= to).reduce((m, s) => Math.max(m, s.latencyMs), 0);
}

/**
 * The share of one core this process gets right now (0-1): a busy loop of
 * `ms` wall-clock milliseconds, and the CPU time it was given. About 1 on an
 * idle machine; on a 2-core machine shared by 16 busy processes, ~0.15, and
 * then every 30 ms of the server's work takes ~200 ms on the clock.
 */
export function cpuShare(ms = 200): number {
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	while (performance.now() - t0 < ms) {
		/* busy */
	}
	const cpu = process.cpuUsage(cpu0);
	return Math.min(1, (cpu.user + cpu.system) / 1000 / (performance.now() - t0));
}
