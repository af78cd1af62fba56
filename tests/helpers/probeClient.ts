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
