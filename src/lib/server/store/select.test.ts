/** SPANLAB_STORE: which backend a setting names, and what the log shows of a database URL. */
import { describe, expect, it } from 'vitest';
import { storeKind, storeKindOf, withoutPassword } from './index';

describe('SPANLAB_STORE', () => {
	it('is the file store when unset, empty or "file", PostgreSQL for a postgres:// or postgresql:// URL', () => {
		expect(storeKindOf(undefined)).toBe('file');
		expect(storeKindOf('')).toBe('file');
		expect(storeKindOf(' file ')).toBe('file');
		expect(storeKindOf('postgres://u:p@h:5432/db')).toBe('postgres');
		expect(storeKindOf('postgresql://u@h/db')).toBe('postgres');
		expect(storeKindOf('POSTGRES://u@h/db')).toBe('postgres');
		// the tests run on the file store
		expect(storeKind).toBe('file');
	});

	it('refuses anything else, naming the setting without its password', () => {
		expect(() => storeKindOf('./datasets')).toThrow(/SPANLAB_STORE is "\.\/datasets"/);
		expect(() => storeKindOf('mysql://root:hunter2@db/x')).toThrow(/either unset .* or a postgres:\/\//);
		expect(() => storeKindOf('mysql://root:hunter2@db/x')).not.toThrow(/hunter2/);
		expect(() => storeKindOf('postgre://root:hunter2@db/x')).toThrow(/"postgre:\/\/root@db\/x"/);
	});

	it('shows a database URL without its password', () => {
		expect(withoutPassword('postgres://spanlab:s3cr%40t@db.example:5432/spanlab')).toBe('postgres://spanlab@db.example:5432/spanlab');
		expect(withoutPassword('postgresql://db/spanlab?sslmode=require&password=x')).toBe('postgresql://db/spanlab');
		expect(withoutPassword('postgres://user:pw@[::1]:5433/d')).toBe('postgres://user@[::1]:5433/d');
		expect(withoutPassword('postgres://%zz:pw@h/d')).not.toContain('pw');
	});
});
