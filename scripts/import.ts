/**
 * Import files into a dataset from the command line (same code path as the API):
 *
 *   npm run import -- <dataset> <files…> [--label-map FROM:TO,…] [--add-labels] [--by <name>]
 *
 * Files: .txt, .jsonl/.ndjson (spanlab, doccano or Prodigy spans), .html, .zip of those;
 * read as streams. All or nothing: on any problem nothing is imported, the problems are
 * listed and the exit code is 1. Data folder: SPANLAB_DATA (default ./datasets).
 * The size limit is SPANLAB_MAX_IMPORT_BYTES (default 50 MB), as for the server.
 * Safe while the server runs: the files are sent to the running server's control
 * socket and imported there; with no server up, the tool takes the data folder's
 * lock for its run (see src/lib/server/control/client.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportProgress, ImportSummary } from '../src/lib/server/import/importer';
import { isDomainError } from '../src/lib/server/http/errors';
import { runOnDataFolder } from '../src/lib/server/control/client';
import { describeImportAssignment } from '../src/lib/import/importApi';
import { CliExit, parseCli, runAsProgram, type CliIo } from './cli';

const USAGE = 'usage: npm run import -- <dataset> <files…> [--label-map FROM:TO,…] [--add-labels] [--by name]';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function main(args: string[], io: CliIo): Promise<void> {
	const out = (line: string) => io.stdout.write(`${line}\n`);
	const err = (line: string) => io.stderr.write(`${line}\n`);
	const { values, positionals, usage } = parseCli(
		'import',
		USAGE,
		{
			'label-map': { type: 'string' },
			'add-labels': { type: 'boolean', default: false },
			by: { type: 'string', default: `cli:${os.userInfo().username}` }
		},
		args,
		io
	);
	if (positionals.length < 2) usage('give a dataset and at least one file');
	const [slug, ...paths] = positionals;

	const sizes: number[] = [];
	for (const p of paths) {
		const stat = fs.statSync(p, { throwIfNoEntry: false });
		if (!stat) usage(`no such file: ${p}`);
		else if (!stat.isFile()) usage(`not a file: ${p}`);
		else sizes.push(stat.size);
	}
	const files = paths.map((p) => ({ name: path.basename(p), path: p }));

	const tty = io.stderr.isTTY;
	let lastPhase = '';
	function showProgress(p: ImportProgress) {
		const mb = (p.bytes / (1024 * 1024)).toFixed(1);
		const line =
			p.phase === 'validating'
				? `checking… ${p.documents} documents in ${p.files} files (${mb} MB)`
				: p.phase === 'importing'
					? `importing… ${p.done} / ${p.total} documents`
					: p.phase === 'annotations'
						? `saving pre-annotations… ${p.done} / ${p.total} documents`
						: '';
		if (tty) io.stderr.write(`\r\x1b[K${line}`);
		else if (p.phase !== lastPhase && line) io.stderr.write(`${line}\n`);
		lastPhase = p.phase;
	}

	const started = performance.now();
	try {
		const { result } = await runOnDataFolder(
			{
				command: 'import',
				slug,
				by: values.by!,
				labelMap: values['label-map'],
				addLabels: values['add-labels'],
				files: files.map((f, i) => ({ name: f.name, size: sizes[i] }))
			},
			{ tool: 'npm run import', files, onProgress: showProgress, onWait: (message) => err(`import: ${message}`) }
		);
		const summary = result as ImportSummary;
		if (tty) io.stderr.write('\r\x1b[K');
		if (summary.errors.length) {
			const n = summary.errors.length;
			err(`import: nothing was imported into ${slug}; ${n} problem${n === 1 ? '' : 's'}:`);
			for (const e of summary.errors) {
				const where = e.file ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
				err(`  ${where}${e.message}`);
			}
			throw new CliExit(1);
		}
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		out(`imported ${summary.imported} / duplicates ${summary.duplicates} (${slug}, ${seconds} s)`);
		if (summary.assignment) out(`  ${describeImportAssignment(summary.assignment)}.`);
		if (summary.labelsAdded.length) out(`  labels added: ${summary.labelsAdded.join(', ')}`);
		for (const s of summary.preAnnotations) {
			out(`  pre-annotations ${s.source} (annotator ${s.annotator}): ${plural(s.spans, 'span')} in ${plural(s.documents, 'document')}`);
		}
	} catch (e) {
		if (e instanceof CliExit) throw e;
		if (tty) io.stderr.write('\r\x1b[K');
		err(`import: ${isDomainError(e) ? e.message : (e as Error).stack}`);
		throw new CliExit(1);
	}
}

await runAsProgram(import.meta.url, main);
