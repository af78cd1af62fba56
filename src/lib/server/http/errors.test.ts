import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asDomainError, badRequest, storageFault } from './errors';
import { errorResponse } from './http';
import { DurableJSONFile, writeFileDurable, appendLineDurable, makeDirs } from '../store/file/durable';
import { TEMP_MARKER } from '../store';

/** An error shaped as Node's fs raises it (code, errno, syscall, path). */
const fsError = (code: string, errno: number) =>
	Object.assign(new Error(`${code}: failed, open '/data/x.json'`), { code, errno, syscall: 'open', path: '/data/x.json' });

describe('storageFault', () => {
	it('maps a full disk to 507 and a disk that may not be written to 503, saying nothing was saved', () => {
		const cases: Array<[string, number, number, string]> = [
			['ENOSPC', -28, 507, "nothing was saved: the server's disk is full (ENOSPC); try again once space is freed"],
			['EDQUOT', -122, 507, "nothing was saved: the server's disk quota is used up (EDQUOT); try again once space is freed"],
			['EROFS', -30, 503, "nothing was saved: the server's data folder is read-only (EROFS); try again once it is writable again"],
			['EACCES', -13, 503, 'nothing was saved: the server may not write to its data folder (permission denied) (EACCES); try again once that is fixed'],
			['EPERM', -1, 503, 'nothing was saved: the server may not write to its data folder (operation not permitted) (EPERM); try again once that is fixed'],
			['EIO', -5, 503, "nothing was saved: the server's disk reported an I/O error (EIO); try again once the disk is repaired"]
		];
		for (const [code, errno, status, message] of cases) {
			const fault = storageFault(fsError(code, errno));
			expect(fault?.status, code).toBe(status);
			expect(fault?.message).toBe(message);
			expect(fault?.details).toEqual({ code });
		}
	});

	it('leaves other errors alone: not found, domain errors, non-errors, prototype names as codes', () => {
		expect(storageFault(fsError('ENOENT', -2))).toBe(null);
		expect(storageFault(fsError('EEXIST', -17))).toBe(null);
		expect(storageFault(badRequest('no'))).toBe(null);
		expect(storageFault(new Error('plain'))).toBe(null);
		for (const v of [null, undefined, 'ENOSPC', 28, {}]) expect(storageFault(v)).toBe(null);
		for (const code of ['constructor', 'toString', '__proto__', 'ECONSTRUCTOR', 'hasOwnProperty']) {
			expect(storageFault(Object.assign(new Error('x'), { code })), code).toBe(null);
		}
	});

	it('finds the code through a wrapping error (cause), as our readers wrap them', () => {
		const wrapped = new Error('cannot read /data/x.json: …', { cause: fsError('EIO', -5) });
		expect(storageFault(wrapped)?.status).toBe(503);
	});

	it('asDomainError passes domain errors through and converts storage faults', () => {
		const refused = badRequest('bad');
		expect(asDomainError(refused)).toBe(refused);
		expect(asDomainError(fsError('ENOSPC', -28))?.status).toBe(507);
		expect(asDomainError(new TypeError('bug'))).toBe(null);
	});

	it('a real ENOSPC (writing /dev/full) becomes a 507 response with the message and code', async () => {
		const error = await fsp.writeFile('/dev/full', 'x').then(
			() => null,
			(e: unknown) => e
		);
		expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
		const res = errorResponse(error);
		expect(res.status).toBe(507);
		expect(await res.json()).toEqual({
			error: "nothing was saved: the server's disk is full (ENOSPC); try again once space is freed",
			code: 'ENOSPC'
		});
		expect(errorResponse(new TypeError('bug')).status).toBe(500);
	});
});

describe('durable writes that fail leave nothing behind', () => {
	it('a rename that fails leaves no temp file, a failed append no file; a read error keeps its code as the cause', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-faults-'));
		try {
			fs.writeFileSync(path.join(dir, 'state.json'), '{"a":1}\n');
			// the rename over a directory fails after the temp file is written and fsynced
			fs.mkdirSync(path.join(dir, 'taken.json'));
			await expect(writeFileDurable(path.join(dir, 'taken.json'), '{}')).rejects.toMatchObject({ code: 'EISDIR' });
			expect(fs.readdirSync(dir).filter((f) => f.startsWith(TEMP_MARKER))).toEqual([]);
			// a log append that fails (here: the log is a directory) leaves the folder as it was
			await expect(appendLineDurable(path.join(dir, 'taken.json'), '{}')).rejects.toMatchObject({ code: 'EISDIR' });
			expect(fs.readdirSync(dir).sort()).toEqual(['state.json', 'taken.json']);
			const read = new DurableJSONFile(path.join(dir, 'taken.json')).read();
			await expect(read).rejects.toMatchObject({ cause: { code: 'EISDIR' } });
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('makeDirs', () => {
	it('creates missing folders and returns the first it made, like mkdir -p', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-dirs-'));
		try {
			expect(await makeDirs(path.join(dir, 'a', 'b'))).toBe(path.join(dir, 'a'));
			expect(await makeDirs(path.join(dir, 'a', 'b'))).toBe(undefined);
			// under a file: the real cause (ENOTDIR), not the ENOENT recursive mkdir gives
			fs.writeFileSync(path.join(dir, 'file'), '');
			await expect(makeDirs(path.join(dir, 'file', 'x', 'y'))).rejects.toMatchObject({ code: 'ENOTDIR' });
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
