/** The pure parts of migrate-store: the comparison and its table, the progress lines, the reading of --from / --to. */
import { describe, expect, it } from 'vitest';
import { compare, formatTable, type Fingerprint } from './verify';
import { counter } from './progress';
import { describeUrl, parseEndpoint, TransferError } from './index';

const print = (entries: Array<[string, string, string?]>): Fingerprint =>
	new Map(entries.map(([what, digest, problem]) => [what, { shown: `shown ${digest}`, digest, ...(problem ? { problem } : {}) }]));

describe('compare', () => {
	it('is ok line by line where the digests are equal, MISMATCH where they differ or one side lacks the line', () => {
		const rows = compare(
			print([['users', 'a'], ['news: documents', 'b'], ['news: release v0001', 'c']]),
			print([['users', 'a'], ['news: documents', 'B'], ['news: release v0002', 'd']])
		);
		expect(rows.map((r) => [r.what, r.ok])).toEqual([
			['users', true],
			['news: documents', false],
			['news: release v0001', false],
			['news: release v0002', false]
		]);
		expect(rows[2]).toMatchObject({ source: 'shown c', target: '—' });
		expect(rows[3]).toMatchObject({ source: '—', target: 'shown d' });
	});

	it('a release whose bytes are not its manifest is a mismatch even when both sides agree', () => {
		const bad = print([['news: release v0001', 'x', 'its bytes hash to 1…, its manifest says 2…']]);
		const [row] = compare(bad, bad);
		expect(row.ok).toBe(false);
		expect(formatTable([row])).toMatch(/MISMATCH \(its bytes hash to 1…, its manifest says 2…\)$/);
	});

	it('prints one aligned line per row under a header', () => {
		const table = formatTable(compare(print([['users', 'a'], ['news: documents', 'b']]), print([['users', 'a'], ['news: documents', 'c']])));
		expect(table.split('\n')).toEqual([
			'what             source   target',
			'users            shown a  shown a  ok',
			'news: documents  shown b  shown c  MISMATCH'
		]);
	});
});

describe('counter', () => {
	it('says how far it is at most once per interval, and always at the end', () => {
		const lines: string[] = [];
		let now = 0;
		const c = counter((l) => lines.push(l), 'news: documents copied', 5, 1000, () => now);
		c.tick();
		now = 999;
		c.tick();
		now = 1000;
		c.tick();
		c.tick();
		now = 2500;
		c.tick();
		c.done();
		expect(lines).toEqual(['news: documents copied 3/5', 'news: documents copied 5/5', 'news: documents copied 5/5']);
		expect(c.count).toBe(5);
	});
});

describe('--from / --to', () => {
	it('a postgres:// URL is a database, anything else without a scheme a folder', () => {
		expect(parseEndpoint('--to', 'postgres://u:p@db:5432/spanlab')).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/spanlab' });
		expect(parseEndpoint('--to', 'postgresql://db/x')).toMatchObject({ kind: 'postgres' });
		expect(parseEndpoint('--from', 'datasets/')).toMatchObject({ kind: 'folder', root: expect.stringMatching(/\/datasets$/) });
	});

	it('refuses what is neither, saying what was expected', () => {
		const refusal = (spec: string) => {
			try {
				parseEndpoint('--to', spec);
			} catch (e) {
				expect(e).toBeInstanceOf(TransferError);
				return (e as Error).message;
			}
			throw new Error(`"${spec}" was taken`);
		};
		expect(refusal('postgres://[oops')).toBe('--to: not a valid URL (expected postgres://user:password@host:port/database)');
		expect(refusal('postgres:///spanlab')).toMatch(/names no host/);
		expect(refusal('https://example.com/db')).toBe('--to: "https://" is not a store: give a data folder or a postgres:// URL');
		expect(refusal('  ')).toBe('--to: give a data folder or a postgres:// URL');
	});

	it('a URL in a message never shows its password', () => {
		expect(describeUrl('postgres://spanlab:s3cret@db.example:5433/prod')).toBe('postgres://spanlab@db.example:5433/prod');
		expect(describeUrl('postgres://db/x')).toBe('postgres://db/x');
		expect(describeUrl('nonsense')).toBe('the database');
	});
});

describe('forEachAtOnce', () => {
	it('runs at most `limit` at a time, all of them, and stops reading at the first failure, which it throws', async () => {
		const { forEachAtOnce } = await import('./copy');
		let running = 0;
		let most = 0;
		const done: number[] = [];
		async function* numbers(n: number, read: number[] = []) {
			for (let i = 0; i < n; i++) {
				read.push(i);
				yield i;
			}
		}
		const work = async (i: number) => {
			running++;
			most = Math.max(most, running);
			await new Promise((resolve) => setTimeout(resolve, (i % 3) * 2));
			running--;
			done.push(i);
		};
		await forEachAtOnce(numbers(20), 4, work);
		expect(most).toBe(4);
		expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);

		const read: number[] = [];
		await expect(
			forEachAtOnce(numbers(100, read), 2, async (i) => {
				if (i === 5) throw new Error('five');
				await work(i);
			})
		).rejects.toThrow('five');
		expect(read.length).toBeLessThan(10);
	});
});
