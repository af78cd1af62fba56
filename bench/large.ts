/**
 * Figure 20 (issue #20): a large dataset on the file store — 100,000 articles ×
 * 3 annotators × 30 spans (1,000 in the short form) written by
 * bench/large-generate.ts, then measured by fresh child processes, as a server
 * after a restart: the open, a page of the document list, a phrase search, the
 * save ratio against a 100-document dataset (bench/large-child.ts), and the
 * agreement over the whole dataset (bench/agreement-child.ts, as figure 6).
 *
 * `store` names the backend; only `file` is here. The children use the
 * configured store (SPANLAB_STORE): bench/large-postgres.ts writes the same
 * dataset into a database and runs them with its URL.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round, runChild, type Figure } from './lib';
import type { LargePlan } from './large-generate';

export interface LargeOptions {
	docs: number;
	store: 'file';
	password: string;
	rounds: number;
	saves: number;
}

const k = (n: number) => n.toLocaleString('en-US');

export async function benchLarge(o: LargeOptions, details: Record<string, unknown>): Promise<Figure[]> {
	if (o.store !== 'file') throw new Error(`figure 20 on the ${o.store} store is not built yet`);
	// 100,000 articles with their sets are ~2.5 GB of small files: on tmpfs (RAM), written without fsyncs
	const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
	const root = mkdtempSync(path.join(base, 'spanlab-large-'));
	const env = { SPANLAB_DATA: root };
	const group = `(${o.store} store)`;
	try {
		const plan: LargePlan = {
			password: o.password,
			datasets: [
				{ slug: 'large', docs: o.docs },
				{ slug: 'small', docs: 100 }
			],
			annotators: ['ann1', 'ann2', 'ann3'],
			spans: 30,
			articleChars: 3000
		};
		const made = await runChild<{ timings: Record<string, number>; indexBytes: number }>('bench/large-generate.ts', [JSON.stringify(plan)], env);
		const n = Math.floor(o.docs * 0.42);
		const r = await runChild<Record<string, number | string>>(
			'bench/large-child.ts',
			[JSON.stringify({ large: 'large', small: 'small', rounds: o.rounds, saves: o.saves, articleChars: 3000, phrase: `dépêche ${n}: le conseil vote`, commonPhrase: 'selon le maire' })],
			env
		);
		const agreement = await runChild<{ ms: number; cpuMs: number; openMs: number; documents: number; alpha: number | null; maxRssMb: number }>('bench/agreement-child.ts', ['large'], env);
		details.large = { generate: made, measure: r, agreement };
		if (r.documents !== o.docs || r.openedFrom !== 'snapshot') throw new Error(`the large dataset opened with ${r.documents} documents from ${r.openedFrom}`);
		if (agreement.documents !== o.docs) throw new Error(`agreement used ${agreement.documents} of ${o.docs} documents`);
		const num = (key: string) => r[key] as number;
		const name = `${k(o.docs)} docs × 3 annotators × 30 spans`;
		return [
			{
				id: '20',
				name: `open after a restart ${group}: ${name} (headers + summaries)`,
				value: round(num('openMs')),
				unit: 'ms',
				target: { op: '<', value: 1000 },
				note: `CPU ${round(num('openCpuMs'))} ms; from the index (${k(Math.round(made.indexBytes / 1024))} KiB), ${k(num('sets'))} set summaries; heap ${Math.round(num('heapAfterOpenMb'))} MB after; the next process (agreement) opened it in ${round(agreement.openMs)} ms`
			},
			{
				id: '20',
				name: `document list page as a lead ${group} (queryDocumentsFor, median)`,
				value: round(num('pageMs')),
				unit: 'ms',
				target: { op: '<', value: 100 },
				note: `sorted by title, filtered by status, page 3: ${round(num('sortedPageMs'))} ms`
			},
			{
				id: '20',
				name: `search a phrase ${group} ("${`dépêche ${n}: le conseil vote`}", median)`,
				value: round(num('phraseMs')),
				unit: 'ms',
				target: { op: '<', value: 200 },
				note: `${num('phraseHits')} hit; the list page with it ${round(num('listSearchMs'))} ms; a phrase of words every document holds ("selon le maire"): ${round(num('commonPhraseMs'))} ms, ${num('commonPhraseHits')} hits (the candidates of its word pairs, checked on the index's word sequences: no file read)`
			},
			{
				id: '20',
				name: `search index first build ${group}, ${k(o.docs)} docs`,
				value: round(num('searchBuildMs') / 1000, 1),
				unit: 's',
				note: `heap +${Math.round(num('searchHeapMb'))} MB; peak RSS of the process ${Math.round(num('maxRssMb'))} MB` + (r.searchFileMb === undefined ? '' : `; its file ${Math.round(num('searchFileMb'))} MB, loaded by the first search after a restart in ${round(num('searchLoadMs'))} ms`)
			},
			{
				id: '20',
				name: `save median ratio ${k(o.docs)}/100 docs ${group}`,
				value: round(num('saveLargeMs') / num('saveSmallMs'), 2),
				unit: '',
				target: { op: '<=', value: 1.5 },
				note: `${round(num('saveLargeMs'))} ms vs ${round(num('saveSmallMs'))} ms, ${o.saves} saves each of 30 spans (saveSet, in process, tmpfs)`
			},
			{
				id: '20',
				name: `agreement ${name} ${group}`,
				value: round(agreement.ms / 1000, 2),
				unit: 's',
				target: { op: '<', value: 20 },
				note: `CPU ${round(agreement.cpuMs / 1000, 1)} s; peak RSS ${Math.round(agreement.maxRssMb)} MB; alpha ${agreement.alpha === null ? '—' : round(agreement.alpha, 3)}; open ${round(agreement.openMs)} ms`
			},
			{
				id: '20',
				name: `generate the dataset (files + index, no fsync) ${group}`,
				value: round(made.timings.large / 1000, 1),
				unit: 's',
				note: 'setup, not a target'
			}
		];
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}
