/** `npm run evaluate`: the table of a run against a release, the paired comparison, and usage errors. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDocuments, createDataset, resetDatasetCache, resetAnnotationCache, uploadRun } from '../src/lib/server/store';
import { saveSet } from '../src/lib/server/annotate/saveSet';
import { cutRelease } from '../src/lib/server/release/releases';

let data: string;
afterAll(() => fs.rmSync(data, { recursive: true, force: true }));
const run = (...args: string[]) =>
	new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/evaluate.ts', ...args], { env: { ...process.env, SPANLAB_DATA: data } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});

async function* body(lines: unknown[]) {
	yield Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

beforeAll(async () => {
	data = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-evalcli-'));
	process.env.SPANLAB_DATA = data;
	resetDatasetCache();
	resetAnnotationCache();
	const text = 'The mayor said taxes rise.';
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await addDocuments('news', [{ id: 'd1', title: 'D1', text, meta: {}, sha256: createHash('sha256').update(text).digest('hex') }]);
	const doc = { id: 'd1', text };
	await saveSet('news', doc, 'gold', 'lead', ['claim', 'attribution', 'framing', 'date'], {
		baseRevision: 0,
		status: 'done',
		spans: [
			{ start: 0, end: 9, label: 'attribution' },
			{ start: 15, end: 26, label: 'claim' }
		]
	});
	await cutRelease('news', { source: 'gold', createdBy: 'lead' });
	const opts = { by: 'lead', maxBytes: 1 << 20 };
	await uploadRun('news', 'v1', body([{ doc_id: 'd1', spans: [{ start: 15, end: 25, label: 'claim' }] }]), opts);
	await uploadRun('news', 'v2', body([{ doc_id: 'd1', spans: [{ start: 15, end: 26, label: 'claim' }, { start: 0, end: 9, label: 'attribution' }] }]), opts);
}, 60_000);

describe('npm run evaluate', () => {
	it('prints the table against a release, with the comparison', async () => {
		const r = await run('news', 'v1', '--against', 'v0001', '--compare', 'v2', '--resamples', '100');
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/news: run v1 \(sha256 [0-9a-f]{16}…\) against v0001 gold/);
		expect(r.stdout).toContain('100 bootstrap resamples, seed 2013');
		// claim exact: tp 0 → P 0, R 0, F1 0; overlap: 100
		expect(r.stdout).toMatch(/claim\s+│\s+0\.0\s+0\.0\s+0\.0/);
		expect(r.stdout).toMatch(/v2 − v1/);
		expect(r.stdout).toMatch(/\(micro\)\s+│ \+100\.0/);
	}, 60_000);

	it('--csv and --json', async () => {
		const csv = await run('news', 'v1', '--against', 'v0001', '--csv', '--resamples', '10');
		expect(csv.stdout.split('\r\n')[0]).toMatch(/^run,slice_by,slice,label,mode/);
		const json = await run('news', 'v1', '--against', 'v0001', '--json', '--resamples', '10');
		expect(JSON.parse(json.stdout)).toMatchObject({ run: 'v1', against: 'v0001', bootstrap: { resamples: 10 } });
	}, 60_000);

	it('usage errors exit 2; a missing run exits 1 with the reason', async () => {
		const [none, both, missing] = await Promise.all([run('news'), run('news', 'v1', '--json', '--csv'), run('news', 'nope', '--against', 'v0001')]);
		expect(none.status).toBe(2);
		expect(none.stderr).toContain('evaluate: give a dataset and a run');
		expect(both.status).toBe(2);
		expect(missing.status).toBe(1);
		expect(missing.stderr).toContain('no prediction run "nope"');
	}, 60_000);
});
