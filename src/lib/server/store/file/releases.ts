/**
 * Releases on disk (the seam's ReleaseRepository, src/lib/server/store/types.ts):
 *
 *   <data>/<slug>/releases/v0001.jsonl           the records, one per line
 *   <data>/<slug>/releases/v0001.manifest.json   who, when, what, hashes, changes against the parent
 *
 * A release exists once its manifest exists. Both files are written to fsynced temp
 * files and published with link(), the JSONL first and the manifest last, so a crash
 * never leaves a half-written file under a release name and an existing file is never
 * replaced: a clash is a 409. Two processes (server and CLI) racing for a version are
 * kept apart by link().
 *
 * Before the JSONL is published, the manifest is written as `v0001.pending.json`: a
 * publish interrupted after that point (kill -9, a full disk) is finished from it, or
 * rolled back, by `recoverReleases` — at the next start and before every cut — so it
 * never blocks the next release. A JSONL without a manifest and without a pending
 * manifest is not provably ours (put there by hand): it is left alone, and a draft of
 * that version is a 409.
 *
 * What goes into a release (sources, records, counts) is decided in
 * src/lib/server/release/releases.ts; this module only keeps the bytes.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { conflict, notFound, storageFault } from '../../http/errors';
import { createFileDurable, fsyncDir, makeDirs, publishFileDurable, stableJson, tempPathFor } from './durable';
import { withLock } from './mutex';
import { checkSlug, releasesDir, SLUG_RE } from './paths';
import { dataRoot } from '../../config';
import { splitLines } from '../../import/bytes';
import { sha256Stream } from '../../sha256';
import { parseVersionName, versionName, type ReleaseManifest, type ReleaseRecord } from '../../../release/record';
import type { ReleaseDraft, ReleaseRecovery, ReleaseRepository } from '../types';

const MANIFEST_SUFFIX = '.manifest.json';
const PENDING_SUFFIX = '.pending.json';
const jsonlPath = (slug: string, version: number) => path.join(releasesDir(slug), `${versionName(version)}.jsonl`);
const manifestPath = (slug: string, version: number) =>
	path.join(releasesDir(slug), `${versionName(version)}${MANIFEST_SUFFIX}`);
const pendingPath = (slug: string, version: number) =>
	path.join(releasesDir(slug), `${versionName(version)}${PENDING_SUFFIX}`);

function isMissing(e: unknown): boolean {
	return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
	try {
		await fsp.access(file);
		return true;
	} catch (e) {
		if (isMissing(e)) return false;
		throw e;
	}
}

/** Versions with a manifest (= complete releases), ascending. */
export async function releasedVersions(slug: string): Promise<number[]> {
	let names: string[];
	try {
		names = await fsp.readdir(releasesDir(slug));
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const versions: number[] = [];
	for (const name of names) {
		if (!name.endsWith(MANIFEST_SUFFIX)) continue;
		const version = parseVersionName(name.slice(0, -MANIFEST_SUFFIX.length));
		if (version !== null) versions.push(version);
	}
	return versions.sort((a, b) => a - b);
}

async function readManifest(slug: string, version: number): Promise<ReleaseManifest> {
	try {
		return JSON.parse(await fsp.readFile(manifestPath(slug, version), 'utf8')) as ReleaseManifest;
	} catch (e) {
		if (isMissing(e)) throw notFound(`dataset "${slug}" has no release ${versionName(version)}`);
		throw e;
	}
}

function sameRelease(a: ReleaseManifest, b: ReleaseManifest): boolean {
	return stableJson(a) === stableJson(b);
}

/**
 * Finishes or rolls back the publishes of `slug` that were interrupted after writing
 * their pending manifest (see the top of this file):
 *   manifest there           → it had finished: the pending file goes
 *   JSONL there, same sha256 → finished: the manifest is published from the pending one
 *   otherwise                → rolled back: the pending file goes (a JSONL that does
 *                              not match it is not ours, and stays)
 * Callers hold `releases:${slug}` (or run before the server takes requests).
 */
export async function recoverReleases(slug: string): Promise<ReleaseRecovery[]> {
	let names: string[];
	try {
		names = await fsp.readdir(releasesDir(slug));
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const done: ReleaseRecovery[] = [];
	for (const name of names.sort()) {
		if (!name.endsWith(PENDING_SUFFIX)) continue;
		const version = parseVersionName(name.slice(0, -PENDING_SUFFIX.length));
		if (version === null) continue;
		const pending = pendingPath(slug, version);
		let manifest: ReleaseManifest | null = null;
		try {
			manifest = JSON.parse(await fsp.readFile(pending, 'utf8')) as ReleaseManifest;
		} catch (e) {
			if (isMissing(e)) continue; // finished by another process meanwhile
			if (!(e instanceof SyntaxError)) throw e;
		}
		let outcome: ReleaseRecovery['outcome'];
		if (await exists(manifestPath(slug, version))) {
			outcome = 'cleaned up';
		} else if (
			manifest &&
			(await exists(jsonlPath(slug, version))) &&
			(await sha256Stream(fs.createReadStream(jsonlPath(slug, version), { highWaterMark: 1 << 20 }))) === manifest.sha256
		) {
			const published = await createFileDurable(manifestPath(slug, version), stableJson(manifest));
			outcome = published ? 'finished' : 'cleaned up';
		} else {
			outcome = 'rolled back';
		}
		await fsp.rm(pending, { force: true });
		done.push({ version, outcome });
	}
	if (done.length > 0) await fsyncDir(releasesDir(slug));
	return done;
}

/** `recoverReleases` for every dataset in the data folder, at start (before any request). */
export async function recoverAllReleases(): Promise<Array<ReleaseRecovery & { slug: string }>> {
	let entries: fs.Dirent[];
	try {
		entries = await fsp.readdir(dataRoot(), { withFileTypes: true });
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const all: Array<ReleaseRecovery & { slug: string }> = [];
	for (const entry of entries) {
		if (!entry.isDirectory() || !SLUG_RE.test(entry.name)) continue;
		try {
			for (const r of await withLock(`releases:${entry.name}`, () => recoverReleases(entry.name))) all.push({ slug: entry.name, ...r });
		} catch (e) {
			// a read-only or full disk must not keep the server from starting (and serving reads): the next cut tries again
			const fault = storageFault(e, `an interrupted release of "${entry.name}" is left as it is for now`);
			if (!fault) throw e;
			console.error(`spanlab: ${fault.message}`);
		}
	}
	return all;
}

/** Every release's manifest, newest first. */
export async function listReleases(slug: string): Promise<ReleaseManifest[]> {
	checkSlug(slug);
	const versions = await releasedVersions(slug);
	const manifests: ReleaseManifest[] = [];
	for (const v of versions.reverse()) manifests.push(await readManifest(slug, v));
	return manifests;
}

export async function getReleaseManifest(slug: string, version: number): Promise<ReleaseManifest> {
	checkSlug(slug);
	return readManifest(slug, version);
}

/** A release file's records, parsed one line at a time. */
export async function* readReleaseRecords(file: string): AsyncGenerator<ReleaseRecord> {
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	for await (const line of splitLines(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
		if (line.length > 0) yield JSON.parse(decoder.decode(line)) as ReleaseRecord;
	}
}

/** The JSONL of a published release; notFound when its manifest or its file is missing. */
async function publishedFile(slug: string, version: number): Promise<string> {
	const manifest = await getReleaseManifest(slug, version);
	const file = jsonlPath(slug, version);
	if (!(await exists(file))) throw notFound(`the file of release ${manifest.name} is missing on the server`);
	return file;
}

class FileDraft implements ReleaseDraft {
	private handle: fsp.FileHandle | null = null;
	published = false;
	constructor(
		readonly slug: string,
		readonly version: number,
		readonly temp: string,
		private readonly createdDir: boolean
	) {}
	async open(): Promise<void> {
		this.handle = await fsp.open(this.temp, 'wx');
	}
	async write(bytes: Uint8Array): Promise<void> {
		if (!this.handle) throw new Error('release draft: written after finish');
		await this.handle.writeFile(bytes);
	}
	async finish(): Promise<void> {
		if (!this.handle) return;
		const handle = this.handle;
		this.handle = null;
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	}
	records(): AsyncIterable<ReleaseRecord> {
		return readReleaseRecords(this.temp);
	}
	async discard(): Promise<void> {
		if (this.handle) await this.handle.close().catch(() => {});
		this.handle = null;
		await fsp.rm(this.temp, { force: true });
		// created by this draft: removed again, so a refused release leaves the data folder as it was
		// (fails, as it should, once a release is in it)
		if (this.createdDir) await fsp.rmdir(releasesDir(this.slug)).catch(() => {});
	}
}

/** A draft of release `version`; a conflict if anything of that version is on disk already. */
async function draftRelease(slug: string, version: number): Promise<ReleaseDraft> {
	checkSlug(slug);
	const createdDir = await makeDirs(releasesDir(slug));
	const target = jsonlPath(slug, version);
	if ((await exists(target)) || (await exists(manifestPath(slug, version)))) {
		if (createdDir) await fsp.rmdir(releasesDir(slug)).catch(() => {});
		throw clash(slug, version);
	}
	const draft = new FileDraft(slug, version, tempPathFor(target), createdDir !== undefined);
	await draft.open();
	return draft;
}

function clash(slug: string, version: number): Error {
	const name = versionName(version);
	return conflict(
		`release ${name} of "${slug}" already exists on disk (${name}.jsonl without a manifest: left by an ` +
			`interrupted release or put there by hand); releases are never overwritten — move the file away to continue`,
		{ version }
	);
}

/**
 * Publishes a finished draft: pending manifest, JSONL (from the fsynced temp file),
 * manifest, then the pending manifest goes. A failure anywhere (a full disk, a clash)
 * undoes what this call published, so the release is all there or not at all; a kill
 * midway is finished or undone by `recoverReleases`.
 */
async function publishRelease(slug: string, draft: ReleaseDraft, manifest: ReleaseManifest): Promise<void> {
	if (!(draft instanceof FileDraft) || draft.slug !== slug || draft.version !== manifest.version) {
		throw new Error('publish: not a draft of this release');
	}
	const version = manifest.version;
	await draft.finish();
	const pending = pendingPath(slug, version);
	const target = jsonlPath(slug, version);
	if (!(await createFileDurable(pending, stableJson(manifest)))) {
		throw conflict(`release ${manifest.name} of "${slug}" is being cut by another process right now; try again`, { version });
	}
	let published = false;
	try {
		if (!(await publishFileDurable(draft.temp, target))) throw clash(slug, version);
		published = true;
		if (!(await createFileDurable(manifestPath(slug, version), stableJson(manifest)))) {
			// finished for us (another process ran recoverReleases on our pending manifest)?
			const existing = await readManifest(slug, version).catch(() => null);
			if (existing && sameRelease(existing, manifest)) return;
			throw conflict(`release ${manifest.name} of "${slug}" was created by someone else meanwhile; try again`, { version });
		}
		draft.published = true;
	} catch (e) {
		if (published) await fsp.rm(target, { force: true }).catch(() => {}); // ours, published a moment ago
		throw e;
	} finally {
		await fsp.rm(pending, { force: true }).catch(() => {});
	}
}

export const fileReleases: ReleaseRepository = {
	list: listReleases,
	versions: (slug) => releasedVersions(checkSlug(slug)),
	manifest: getReleaseManifest,
	async records(slug, version) {
		return readReleaseRecords(await publishedFile(slug, version));
	},
	async bytes(slug, version) {
		const handle = await fsp.open(await publishedFile(slug, version), 'r');
		const { size } = await handle.stat();
		return { size, body: Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array> };
	},
	draft: draftRelease,
	publish: publishRelease,
	exclusive: (slug, fn) => withLock(`releases:${checkSlug(slug)}`, fn),
	recover: recoverReleases,
	recoverAll: recoverAllReleases
};
