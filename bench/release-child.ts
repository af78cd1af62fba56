/**
 * Child process for figure 5 (its peak RSS is that work's alone).
 *   release   cutRelease(slug, …) from src/lib/server/release/releases.ts
 *   baseline  the floor: JSON.stringify the same records (built beforehand,
 *             not timed) and write them to one file with an fsync
 * Both first open the dataset (document index and set summaries, which a
 * running server has built already) and report that time apart as openMs.
 *
 *   SPANLAB_DATA=… node --import tsx bench/release-child.ts release|baseline <slug> <outDir>
 */
import fs from 'node:fs';
import path from 'node:path';
import { iterateWork } from '../src/lib/server/store';
import { buildRecord, type ReleaseRecord } from '../src/lib/release/record';
import { cutRelease } from '../src/lib/server/release/releases';
import { GOLD } from '../src/lib/model/types';
import { openDataset } from './open';

const [mode, slug, outDir] = process.argv.slice(2);
const startRssMb = process.resourceUsage().maxRSS / 1024;
const peak = () => process.resourceUsage().maxRSS / 1024;
// what the peak RSS is made of: the JS heap, and buffers outside it (sampled, so a lower bound)
const memory = { heapMb: 0, externalMb: 0 };
const sampler = setInterval(() => {
	const m = process.memoryUsage();
	memory.heapMb = Math.max(memory.heapMb, m.heapUsed / 2 ** 20);
	memory.externalMb = Math.max(memory.externalMb, m.external / 2 ** 20);
}, 20);
sampler.unref();

const { openMs } = await openDataset(slug);
globalThis.gc?.();
const opened = { openRssMb: process.memoryUsage().rss / 2 ** 20, openHeapMb: process.memoryUsage().heapUsed / 2 ** 20 };

if (mode === 'release') {
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	const manifest = await cutRelease(slug, { source: 'annotators', note: 'bench', createdBy: 'lead' });
	const ms = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	console.log(JSON.stringify({ ms, cpuMs, openMs, records: manifest.records, spans: manifest.spans, maxRssMb: peak(), startRssMb, peakHeapMb: memory.heapMb, peakExternalMb: memory.externalMb, ...opened }));
} else if (mode === 'baseline') {
	const records: ReleaseRecord[] = [];
	const tRead = performance.now();
	for await (const { document, sets } of iterateWork(slug, { annotator: (a) => a !== GOLD })) {
		for (const set of sets) {
			records.push(
				buildRecord({
					dataset: slug,
					version: 1,
					doc_id: document.id,
					title: document.title,
					text: document.text,
					text_sha256: document.sha256,
					meta: document.meta,
					annotator: set.annotator,
					status: set.status,
					revision: set.revision,
					updated_at: set.updated_at,
					spans: set.spans
				})
			);
		}
	}
	const readMs = performance.now() - tRead;
	const file = path.join(outDir, 'baseline.jsonl');
	const t0 = performance.now();
	const fd = fs.openSync(file, 'w');
	let bytes = 0;
	let stringifyMs = 0;
	let chunk: string[] = [];
	const flush = () => {
		const buf = Buffer.from(chunk.join(''));
		fs.writeSync(fd, buf);
		bytes += buf.byteLength;
		chunk = [];
	};
	for (const record of records) {
		const s0 = performance.now();
		chunk.push(JSON.stringify(record) + '\n');
		stringifyMs += performance.now() - s0;
		if (chunk.length === 256) flush();
	}
	flush();
	const f0 = performance.now();
	fs.fsyncSync(fd);
	const fsyncMs = performance.now() - f0;
	fs.closeSync(fd);
	const ms = performance.now() - t0;
	fs.rmSync(file);
	console.log(JSON.stringify({ ms, stringifyMs, fsyncMs, openMs, readAndBuildMs: readMs, records: records.length, bytes, maxRssMb: peak(), startRssMb }));
} else {
	throw new Error(`unknown mode ${mode}`);
}
