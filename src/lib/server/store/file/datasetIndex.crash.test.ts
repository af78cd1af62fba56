/**
 * The dataset index after real `kill -9`s: a child process (indexCrashChild.ts)
 * saves and imports as fast as it can and is killed at a random moment; then the
 * index opened from disk must say what the files say (the same as an index
 * rebuilt from them) and hold every save the child had acknowledged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { addDocuments, createDataset, listDocumentHeaders, listDocumentMetas } from './datasets';
import { datasetSummaries, resetAnnotationCache } from './annotations';
import { indexDir, openIndex } from './datasetIndex';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';

let root: string;
beforeEach(async () => {
	root = freshDataFolder('spanlab-index-crash-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await addDocuments('news', Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, title: `T${i}`, text: `Le maire numéro ${i} a parlé mardi à Paris.`, meta: { i }, sha256: `sha-${i}` })));
	resetAnnotationCache(); // the child is the one writer from here
});
afterEach(() => removeDataFolder(root));

async function contents() {
	const sets = [...(await datasetSummaries('news'))].map(([doc, perDoc]) => [doc, [...perDoc.values()].sort((a, b) => (a.annotator < b.annotator ? -1 : 1))] as const);
	return {
		headers: structuredClone(await listDocumentHeaders('news')),
		metas: [...(await listDocumentMetas('news'))].sort(),
		sets: sets.sort((a, b) => (a[0] < b[0] ? -1 : 1))
	};
}

/** Runs the child until it has acknowledged `saves` saves and `ms` more have passed, then kill -9; its acknowledgements. */
async function runAndKill(round: number, saves: number, ms: number): Promise<{ acked: Map<string, number>; docs: string[] }> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'indexCrashChild.ts')], {
		env: { ...process.env, SPANLAB_DATA: root, ROUND: String(round) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const acked = new Map<string, number>();
	const docs: string[] = [];
	let out = '';
	let err = '';
	child.stderr.on('data', (d) => (err += d));
	await new Promise<void>((resolve, reject) => {
		let count = 0;
		child.stdout.on('data', (d) => {
			out += d;
			const lines = out.split('\n');
			out = lines.pop()!;
			for (const line of lines) {
				const [kind, a, b, c] = line.split(' ');
				if (kind === 'ack') acked.set(`${a}/${b}`, Number(c));
				if (kind === 'doc') docs.push(a);
				if (kind === 'ack' && ++count === saves) setTimeout(resolve, ms);
			}
		});
		child.on('exit', (code) => reject(new Error(`the child stopped by itself (${code}): ${err}`)));
	});
	child.removeAllListeners('exit');
	const exited = new Promise((resolve) => child.on('exit', resolve));
	child.kill('SIGKILL');
	await exited;
	return { acked, docs };
}

describe('after kill -9 in the middle of saves and imports', () => {
	it('the index from disk equals the index rebuilt from the files, and holds every acknowledged save (3 kills)', async () => {
		const acknowledged = new Map<string, number>();
		const added: string[] = [];
		for (let round = 0; round < 3; round++) {
			const { acked, docs } = await runAndKill(round, 40 + round * 20, 5 + round * 17);
			for (const [k, v] of acked) acknowledged.set(k, v);
			added.push(...docs);
			resetAnnotationCache();
			const fromDisk = await contents();
			expect((await openIndex('news')).rebuiltBecause).toBe(null);
			expect((await openIndex('news')).opened).toBe('snapshot');
			for (const [key, revision] of acknowledged) {
				const [doc, annotator] = key.split('/');
				const summary = fromDisk.sets.find(([d]) => d === doc)?.[1].find((s) => s.annotator === annotator);
				expect(summary?.revision, key).toBeGreaterThanOrEqual(revision);
			}
			for (const id of added) expect(fromDisk.headers.some((h) => h.id === id), id).toBe(true);
			// the files' word: a rebuild
			resetAnnotationCache();
			const saved = fs.mkdtempSync(path.join(root, '..', 'spanlab-index-kept-'));
			fs.renameSync(indexDir('news'), path.join(saved, 'index'));
			const rebuilt = await contents();
			expect((await openIndex('news')).opened).toBe('rebuilt');
			expect(fromDisk).toEqual(rebuilt);
			// the next round goes on from the index the crash left (put back), not from the rebuilt one
			resetAnnotationCache();
			fs.rmSync(indexDir('news'), { recursive: true });
			fs.renameSync(path.join(saved, 'index'), indexDir('news'));
			fs.rmSync(saved, { recursive: true });
		}
		expect(acknowledged.size).toBeGreaterThan(20);
	}, 120_000);
});
