/**
 * Cut a release from the command line (same code path as the API):
 *
 *   npm run release -- <dataset> [--source gold|annotators|all] [--note "…"] [--by <name>]
 *
 * Data folder: SPANLAB_DATA (default ./datasets). Safe while the server runs: the
 * release is cut by the running server (through its control socket); with no server
 * up, the tool takes the data folder's lock for its run (see src/lib/server/control/client.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { RELEASE_SOURCES } from '../src/lib/server/release/releases';
import { runOnDataFolder } from '../src/lib/server/control/client';
import { dataRoot } from '../src/lib/server/config';
import { storeKind, whereData } from '../src/lib/server/store';
import { isDomainError } from '../src/lib/server/http/errors';
import type { ReleaseManifest, ReleaseSource } from '../src/lib/release/record';
import { CliExit, parseCli, runAsProgram, type CliIo } from './cli';

const USAGE = `usage: npm run release -- <dataset> [--source ${RELEASE_SOURCES.join('|')}] [--note "text"] [--by name]`;

export async function main(args: string[], io: CliIo): Promise<void> {
	const out = (line: string) => io.stdout.write(`${line}\n`);
	const err = (line: string) => io.stderr.write(`${line}\n`);
	const { values, positionals, usage } = parseCli(
		'release',
		USAGE,
		{
			source: { type: 'string', default: 'gold' },
			note: { type: 'string', default: '' },
			by: { type: 'string', default: `cli:${os.userInfo().username}` }
		},
		args,
		io
	);
	if (positionals.length !== 1) usage('give exactly one dataset');
	const source = values.source as ReleaseSource;
	if (!RELEASE_SOURCES.includes(source)) usage(`unknown source "${values.source}"`);

	const slug = positionals[0];
	const started = performance.now();
	try {
		const { result } = await runOnDataFolder(
			{ command: 'release', slug, source, note: values.note!, by: values.by! },
			{ tool: 'npm run release', onWait: (message) => err(`release: ${message}`) }
		);
		const m = result as ReleaseManifest;
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const file = storeKind === 'file' ? path.join(dataRoot(), slug, 'releases', `${m.name}.jsonl`) : `${whereData()} (release ${m.name} of "${slug}")`;
		out(`released ${slug} ${m.name} (${source}): ${m.records} records, ${m.spans} spans in ${seconds} s`);
		out(`  ${file}`);
		out(`  sha256 ${m.sha256}`);
		const counts = Object.entries(m.span_counts).map(([label, n]) => `${label} ${n}`);
		if (counts.length) out(`  spans: ${counts.join(', ')}`);
		if (m.changes) {
			const r = m.changes.records;
			out(`  since ${m.parent}: +${r.added} −${r.removed} ~${r.changed} records`);
		}
		if (m.unrepresentable) {
			const u = m.unrepresentable;
			const why = `${u.conll_reasons.crossing} crossing, ${u.conll_reasons.off_token_boundary} off word boundaries, ${u.conll_reasons.no_token} on whitespace, ${u.conll_reasons.too_deep ?? 0} too deep`;
			out(`  CoNLL (${u.conll_columns} tag columns) leaves out ${u.conll} spans (${why}); JSONL, doccano and Prodigy hold all`);
		}
		if (m.tokenizer) out(`  words: ${m.tokenizer.definition}, ICU ${m.tokenizer.icu ?? 'none'}, Unicode ${m.tokenizer.unicode ?? 'none'}`);
	} catch (e) {
		err(`release: ${isDomainError(e) ? e.message : (e as Error).stack}`);
		throw new CliExit(1);
	}
}

await runAsProgram(import.meta.url, main);
