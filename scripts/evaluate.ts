/**
 * Evaluate a prediction run from the command line (same code path as the API):
 *
 *   npm run evaluate -- <dataset> <run> [--against v0003|gold] [--reference gold|annotators|NAME]
 *                       [--compare RUN2] [--slice FIELD[,FIELD]] [--seed N] [--resamples N] [--json | --csv]
 *
 * Prints the table (per label and micro/macro, for the exact, overlap and token
 * rules, with 95 % bootstrap intervals and the error categories), or the
 * report as JSON or CSV. Data folder: SPANLAB_DATA (default ./datasets).
 * Read-only: safe while the server runs.
 */
import { evaluate, parseEvaluationQuery, type EvaluationReport } from '../src/lib/server/evaluation/evaluations';
import { isDomainError } from '../src/lib/server/http/errors';
import { evaluationCsv } from '../src/lib/evaluation/csv';
import { MODES, CATEGORIES } from '../src/lib/evaluation/match';
import type { Metric } from '../src/lib/evaluation/report';
import { CliExit, parseCli, runAsProgram, type CliIo } from './cli';

const USAGE =
	'usage: npm run evaluate -- <dataset> <run> [--against v0003|gold] [--reference gold|annotators|NAME] [--compare RUN2]\n' +
	'                           [--slice FIELD[,FIELD…]|length_quartile] [--seed N] [--resamples N] [--json | --csv]';

const pct = (x: number | null) => (x === null ? '     —' : (x * 100).toFixed(1).padStart(6));
const ci = (i: [number, number] | null) => (i ? `[${(i[0] * 100).toFixed(1)}–${(i[1] * 100).toFixed(1)}]` : '[—]').padEnd(13);
const cell = (m: Metric) => `${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)} ${ci(m.ci.f1)}`;

function table(r: EvaluationReport): string {
	const names = [...Object.keys(r.labels), '(micro)', '(macro)'];
	const width = Math.max(8, ...names.map((n) => n.length));
	const lines: string[] = [];
	const head = MODES.map((m) => `${m.padEnd(6)}     P      R     F1 F1 95 %       `).join('│ ');
	lines.push(`${''.padEnd(width)} │ ${head}`);
	for (const name of names) {
		const row = name === '(micro)' ? r.micro : name === '(macro)' ? r.macro : r.labels[name];
		lines.push(`${name.padEnd(width)} │ ${MODES.map((m) => `       ${cell(row[m])}`).join('│ ')}`);
	}
	lines.push('');
	lines.push(`${'errors'.padEnd(width)} │ ${CATEGORIES.join(' · ')}`);
	for (const name of Object.keys(r.labels)) lines.push(`${name.padEnd(width)} │ ${CATEGORIES.map((c) => String(r.labels[name].errors[c]).padStart(c.length)).join('   ')}`);
	if (r.compare) {
		lines.push('');
		lines.push(`${r.compare.run} − ${r.run}, F1 (exact / overlap / token): difference [paired 95 % interval], share of resamples where ${r.compare.run} is better`);
		for (const name of [...Object.keys(r.compare.labels), '(micro)', '(macro)']) {
			const d = name === '(micro)' ? r.compare.micro : name === '(macro)' ? r.compare.macro : r.compare.labels[name];
			lines.push(
				`${name.padEnd(width)} │ ${MODES.map((m) => {
					const x = d[m];
					const s = x.diff === null ? '—' : `${x.diff >= 0 ? '+' : ''}${(x.diff * 100).toFixed(1)} ${ci(x.ci).trim()} ${x.b_better === null ? '' : `${(x.b_better * 100).toFixed(0)}%`}`;
					return s.padEnd(30);
				}).join('│ ')}`
			);
		}
	}
	for (const s of r.slices ?? []) lines.push(`slice ${s.by}=${s.value} (${s.documents} docs): micro F1 exact ${pct(s.micro.exact.f1).trim()} ${ci(s.micro.exact.ci.f1).trim()}, overlap ${pct(s.micro.overlap.f1).trim()}, token ${pct(s.micro.token.f1).trim()}`);
	return lines.join('\n');
}

export async function main(args: string[], io: CliIo): Promise<void> {
	const out = (line: string) => io.stdout.write(`${line}\n`);
	const err = (line: string) => io.stderr.write(`${line}\n`);
	const { values, positionals, usage } = parseCli(
		'evaluate',
		USAGE,
		{
			against: { type: 'string', default: 'gold' },
			reference: { type: 'string', default: 'gold' },
			compare: { type: 'string' },
			slice: { type: 'string' },
			seed: { type: 'string' },
			resamples: { type: 'string' },
			json: { type: 'boolean', default: false },
			csv: { type: 'boolean', default: false }
		},
		args,
		io
	);
	if (positionals.length !== 2) usage('give a dataset and a run');
	if (values.json && values.csv) usage('--json or --csv, not both');

	const [slug, run] = positionals;
	const params = new URLSearchParams({ run, against: values.against!, reference: values.reference! });
	for (const key of ['compare', 'slice', 'seed', 'resamples'] as const) if (values[key] !== undefined) params.set(key, values[key]!);
	try {
		const started = performance.now();
		const report = await evaluate(slug, parseEvaluationQuery(params), { cooperative: false });
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		if (values.json) out(JSON.stringify(report, null, 2));
		else if (values.csv) io.stdout.write(evaluationCsv(report));
		else {
			out(`${slug}: run ${report.run} (sha256 ${report.run_info.sha256.slice(0, 16)}…) against ${report.against} ${report.reference.records} (sha256 ${report.reference.sha256.slice(0, 16)}…)`);
			out(`${report.documents} documents, ${report.documents_without_predictions} without predictions; 95 % intervals from ${report.bootstrap.resamples} bootstrap resamples, seed ${report.bootstrap.seed}; ${seconds} s`);
			out('');
			out(table(report));
		}
	} catch (e) {
		err(`evaluate: ${isDomainError(e) ? e.message : (e as Error).stack}`);
		throw new CliExit(1);
	}
}

await runAsProgram(import.meta.url, main);
