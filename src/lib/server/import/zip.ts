import { unzipSync } from 'fflate';
import { reservedName } from '../../dict';

export interface ZipEntryInfo {
	/** the entry's name as stored in the archive */
	raw: string;
	/** normalised relative path (forward slashes, no `.` segments) */
	path: string;
	/** declared uncompressed size */
	size: number;
}

export interface ZipListing {
	entries: ZipEntryInfo[];
	/** entry names refused (path tricks, duplicates) with the reason */
	rejected: { name: string; message: string }[];
	/** directories, __MACOSX/ and dotfiles: skipped silently */
	skipped: number;
}

/**
 * Classifies an entry name: null → skip silently (directory, __MACOSX/, dotfile or
 * dot-folder); `{error}` → refuse (absolute path, drive letter, `..` segment, NUL);
 * `{path}` → the normalised relative path.
 */
export function checkEntryName(raw: string): { path: string } | { error: string } | null {
	if (raw.endsWith('/') || raw.endsWith('\\')) return null;
	const name = raw.replace(/\\/g, '/');
	if (name.includes('\0')) return { error: 'entry name contains a NUL character' };
	if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
		return { error: 'absolute paths are not allowed in the archive' };
	const segments = name.split('/').filter((s) => s !== '' && s !== '.');
	if (segments.includes('..')) return { error: 'paths with ".." are not allowed in the archive' };
	if (segments.length === 0) return null;
	if (segments.some((s) => s === '__MACOSX' || s.startsWith('.'))) return null;
	return { path: segments.join('/') };
}

/** Lists an archive's entries without decompressing anything. Throws on a corrupt archive. */
export function listZip(data: Uint8Array): ZipListing {
	const listing: ZipListing = { entries: [], rejected: [], skipped: 0 };
	const seen = new Set<string>();
	unzipSync(data, {
		filter(f) {
			const r = checkEntryName(f.name);
			if (r === null) listing.skipped++;
			else if ('error' in r) listing.rejected.push({ name: f.name, message: r.error });
			// fflate returns the entries as an object keyed by name, where this one would be its prototype
			else if (reservedName(f.name) !== null) listing.rejected.push({ name: f.name, message: `entry name ${reservedName(f.name)}` });
			else if (seen.has(r.path)) listing.rejected.push({ name: f.name, message: 'duplicate entry name in the archive' });
			else {
				seen.add(r.path);
				listing.entries.push({ raw: f.name, path: r.path, size: f.originalSize });
			}
			return false;
		}
	});
	return listing;
}

/**
 * Decompresses the listed entries, in archive order. Output sizes are bounded by the
 * declared sizes (fflate inflates into a buffer of the declared size), which the caller
 * has checked against its size limit.
 */
export function unzipEntries(data: Uint8Array, entries: ZipEntryInfo[]): { entry: ZipEntryInfo; data: Uint8Array }[] {
	const wanted = new Set(entries.map((e) => e.raw));
	const files = unzipSync(data, { filter: (f) => wanted.has(f.name) });
	return entries.map((entry) => ({ entry, data: files[entry.raw] ?? new Uint8Array(0) }));
}
