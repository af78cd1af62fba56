/** Small helpers shared by the bench steps: statistics, child processes, RSS, the result table. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Target {
	op: '<' | '<=' | '>=';
	value: number;
}

/** One row of the result table. value null = not measured (see note). */
export interface Figure {
	id: string;
	name: string;
	value: number | null;
	unit: string;
	target?: Target;
	note?: string;
}

export type Verdict = 'PASS' | 'MISS' | 'n/a' | 'info';

export function verdict(f: Figure): Verdict {
	if (f.value === null) return 'n/a';
	if (!f.target) return 'info';
	const ok = f.target.op === '<' ? f.value < f.target.value : f.target.op === '>=' ? f.value >= f.target.value : f.value <= f.target.value;
	return ok ? 'PASS' : 'MISS';
}

export function median(xs: number[]): number {
	return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile(xs: number[], p: number): number {
	if (!xs.length) throw new Error('percentile of an empty sample');
	const sorted = [...xs].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1];
}

export function round(x: number, digits = 1): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}

/** Wall time of fn in milliseconds, with its result. */
export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
	const t0 = performance.now();
	const result = await fn();
	return { ms: performance.now() - t0, result };
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /VmHWM:\s+(\d+) kB/.exec(status);
	if (!match) throw new Error(`no VmHWM for process ${pid}`);
	return Number(match[1]) / 1024;
}

/** CPU time (user + system) a live process has used so far, in ms (10 ms resolution). */
export function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// fields after the command name, which is in parentheses and may contain spaces
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
	return ticks * 10; // USER_HZ is 100 on Linux
}

/**
 * Run a TypeScript bench script in its own Node process (so its memory is its
 * own) and return the JSON it prints as its last stdout line. A non-zero exit
 * is a crash of that step: it throws with the child's output.
 */
export async function runChild<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
	const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (err += d));
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	if (code !== 0) throw new Error(`${script} exited with ${code}\n${err}\n${out}`.trim());
	const last = out.trim().split('\n').pop() ?? '';
	try {
		return JSON.parse(last) as T;
	} catch {
		throw new Error(`${script} printed no JSON result\n${err}\n${out}`.trim());
	}
}

/** The result table: figure, value, target, verdict, note. */
export function formatTable(figures: Figure[]): string {
	const rows = figures.map((f) => [
		f.id,
		f.name,
		f.value === null ? '—' : `${formatNumber(f.value)} ${f.unit}`.trim(),
		f.target ? `${f.target.op} ${formatNumber(f.target.value)} ${f.unit}`.trim() : '',
		verdict(f),
		f.note ?? ''
	]);
	const header = ['#', 'figure', 'value', 'target', 'result', 'note'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatNumber(x: number): string {
	if (Number.isInteger(x)) return x.toLocaleString('en-US');
	return Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(round(x, Math.abs(x) < 10 ? 2 : 1));
}
