/**
 * Figure 4: importing N generated articles (~3,000 characters) as one NDJSON
 * file with `importFiles`, in a child process so its peak RSS is the import's.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeArticle } from './corpus';
import { runChild } from './lib';

export function ndjsonArticles(docs: number, chars: number): string {
	const lines: string[] = [];
	for (let n = 0; n < docs; n++) {
		const a = makeArticle(n, chars, 'imp');
		lines.push(JSON.stringify({ id: a.id, title: a.title, text: a.text, meta: { source: 'bench' } }));
	}
	return lines.join('\n') + '\n';
}

export interface ImportResult {
	ms: number;
	cpuMs: number;
	imported: number;
	bytes: number;
	/** the child before the import (Node, tsx, the modules) */
	startRssMb: number;
	maxRssMb: number;
}

export async function benchImport(opts: { docs: number; chars: number; dataRoot: string }): Promise<ImportResult> {
	const dataDir = path.join(opts.dataRoot, 'import');
	mkdirSync(dataDir, { recursive: true });
	const input = path.join(opts.dataRoot, 'import.jsonl');
	writeFileSync(input, ndjsonArticles(opts.docs, opts.chars));
	const result = await runChild<Omit<ImportResult, 'bytes'>>('bench/import-child.ts', [input], { SPANLAB_DATA: dataDir });
	if (result.imported !== opts.docs) throw new Error(`importFiles imported ${result.imported} of ${opts.docs}`);
	return { ...result, bytes: statSync(input).size };
}
