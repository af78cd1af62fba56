import { inflateSync, unzipSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { reservedName } from '../../model/dict';
import { formatByteCount } from '../../text/size';

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

/** Where an entry's bytes are and what the central directory says about them. */
interface EntryLayout {
	compression: number;
	crc: number;
	compressedSize: number;
	size: number;
	/** start of the entry's (compressed) bytes: after its local header */
	dataStart: number;
}

const u16 = (d: Uint8Array, at: number) => d[at] | (d[at + 1] << 8);
const u32 = (d: Uint8Array, at: number) => (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;
const u64 = (d: Uint8Array, at: number) => u32(d, at) + u32(d, at + 4) * 2 ** 32;

/**
 * The central directory's entries, in archive order, read the way fflate's
 * `unzipSync` reads them (same end record, zip64 records and extra fields), so
 * the i-th layout is the i-th entry fflate's `filter` sees. fflate does not
 * pass on an entry's CRC nor check its sizes; this is what lets us.
 */
function entryLayouts(d: Uint8Array): EntryLayout[] {
	let end = d.length - 22;
	while (u32(d, end) !== 0x06054b50) {
		if (end <= 0 || d.length - end > 65558) throw new Error('no end of central directory');
		end--;
	}
	let count = u16(d, end + 8);
	let at = u32(d, end + 16);
	let zip64 = end >= 20 && u32(d, end - 20) === 0x07064b50;
	if (zip64) {
		const z = u32(d, end - 12);
		zip64 = u32(d, z) === 0x06064b50;
		if (zip64) {
			count = u32(d, z + 32);
			at = u32(d, z + 48);
		}
	}
	const layouts: EntryLayout[] = [];
	for (let i = 0; i < count; i++) {
		if (u32(d, at) !== 0x02014b50) throw new Error('corrupt central directory');
		const nameLength = u16(d, at + 28);
		const extraLength = u16(d, at + 30);
		let compressedSize = u32(d, at + 20);
		let size = u32(d, at + 24);
		let offset = u32(d, at + 42);
		const extraStart = at + 46 + nameLength;
		if (zip64 && (compressedSize === 0xffffffff || size === 0xffffffff || offset === 0xffffffff)) {
			for (let e = extraStart; e + 4 < extraStart + extraLength; e += 4 + u16(d, e + 2)) {
				if (u16(d, e) !== 1) continue;
				let field = e + 4;
				if (size === 0xffffffff) (size = u64(d, field)), (field += 8);
				if (compressedSize === 0xffffffff) (compressedSize = u64(d, field)), (field += 8);
				if (offset === 0xffffffff) offset = u64(d, field);
				break;
			}
		}
		layouts.push({
			compression: u16(d, at + 10),
			crc: u32(d, at + 16),
			compressedSize,
			size,
			dataStart: offset + 30 + u16(d, offset + 26) + u16(d, offset + 28)
		});
		at = extraStart + extraLength + u16(d, at + 32);
	}
	return layouts;
}

/** One entry's bytes, refused unless they are exactly what its header declares (size, then CRC-32). */
function extractEntry(d: Uint8Array, layout: EntryLayout): { data: Uint8Array } | { error: string } {
	const { compression, compressedSize, size, dataStart } = layout;
	if (dataStart + compressedSize > d.length) return { error: 'the entry runs past the end of the archive' };
	const raw = d.subarray(dataStart, dataStart + compressedSize);
	let data: Uint8Array;
	if (compression === 0) {
		data = raw;
	} else if (compression === 8) {
		// one byte more than declared: a stream that fills it holds more than its header says
		try {
			data = inflateSync(raw, { out: new Uint8Array(size + 1) });
		} catch (e) {
			return { error: `its compressed data is corrupt (${e instanceof Error ? e.message : String(e)})` };
		}
	} else {
		return { error: `unsupported compression method ${compression} (only stored and deflate)` };
	}
	if (data.length > size) {
		return { error: `its header declares ${formatByteCount(size)} but it holds more: the archive is damaged or forged` };
	}
	if (data.length < size) {
		return {
			error: `its header declares ${formatByteCount(size)} but it holds ${formatByteCount(data.length)}: the archive is damaged or truncated`
		};
	}
	if (crc32(data) !== layout.crc) return { error: 'its CRC-32 does not match its header: the archive is damaged' };
	return { data };
}

/**
 * Decompresses the listed entries, in archive order. An entry whose content is
 * not what its header declares (more or fewer bytes, another CRC-32) comes
 * back with an `error` instead of data. Output is bounded by the declared
 * sizes (+1 byte), which the caller has checked against its size limit.
 */
export function unzipEntries(
	data: Uint8Array,
	entries: ZipEntryInfo[]
): Array<{ entry: ZipEntryInfo; data: Uint8Array } | { entry: ZipEntryInfo; error: string }> {
	const wanted = new Map(entries.map((e) => [e.raw, e]));
	const layouts = entryLayouts(data);
	const found = new Map<ZipEntryInfo, EntryLayout>();
	let index = 0;
	// fflate names the entries (its name decoding); its i-th entry is layouts[i]
	unzipSync(data, {
		filter: (f) => {
			const entry = wanted.get(f.name);
			if (entry && layouts[index]) found.set(entry, layouts[index]);
			index++;
			return false;
		}
	});
	if (index !== layouts.length) throw new Error('the central directory could not be read consistently');
	return entries.map((entry) => {
		const layout = found.get(entry);
		if (!layout) return { entry, error: 'the entry could not be found in the archive' };
		// the size the caller checked against its limit is the one inflated into, never another
		if (layout.size !== entry.size) return { entry, error: 'the archive describes this entry in two different ways' };
		return { entry, ...extractEntry(data, layout) };
	});
}
