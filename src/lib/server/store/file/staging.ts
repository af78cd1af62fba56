/**
 * Import staging on disk: `<data>/<slug>/.tmp-<pid>…import-<random>.ndjson`, a temp
 * name with this process's tag, so no sweep takes it while this process lives and
 * the next start does after a crash (durable.ts removeTempFiles).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { tempPathFor } from './durable';
import { datasetDir } from './paths';
import { splitLines } from '../../import/bytes';
import type { ImportStagingRepository, StagingArea } from '../types';

/** Lines appended to a file, waiting when the stream's buffer is full (memory stays flat). */
export class FileStagingArea implements StagingArea {
	private readonly out: fs.WriteStream;
	private failed: Error | null = null;
	private finished = false;
	constructor(readonly id: string) {
		this.out = fs.createWriteStream(id, { flags: 'wx' });
		this.out.on('error', (e) => (this.failed = e));
	}
	async append(line: string): Promise<void> {
		if (this.failed) throw this.failed;
		if (this.finished) throw new Error('staging: appended after finish');
		if (!this.out.write(line + '\n')) await once(this.out, 'drain');
	}
	async finish(): Promise<void> {
		if (this.failed) throw this.failed;
		if (this.finished) return;
		this.finished = true;
		this.out.end();
		await once(this.out, 'finish');
		const handle = await fsp.open(this.id, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	}
	async *lines(): AsyncIterable<string> {
		const decoder = new TextDecoder('utf-8', { fatal: true });
		for await (const line of splitLines(fs.createReadStream(this.id, { highWaterMark: 1 << 20 }))) {
			if (line.length > 0) yield decoder.decode(line);
		}
	}
	async remove(): Promise<void> {
		this.out.destroy();
		await fsp.rm(this.id, { force: true });
	}
}

export const fileStaging: ImportStagingRepository = {
	async create(slug) {
		return new FileStagingArea(tempPathFor(path.join(datasetDir(slug), `import-${randomBytes(6).toString('hex')}.ndjson`)));
	}
};
