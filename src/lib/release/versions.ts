/** Release version numbers and their names ("v0001"), as files, URLs and the CLI write them. */

/** 1 -> "v0001", 12345 -> "v12345". */
export function versionName(n: number): string {
	if (!Number.isInteger(n) || n < 1) throw new RangeError(`release version must be an integer >= 1, got ${n}`);
	return 'v' + String(n).padStart(4, '0');
}

/** "v0001" -> 1; null for anything that versionName would not produce. */
export function parseVersionName(name: string): number | null {
	const m = /^v(\d{4,})$/.exec(name);
	if (!m) return null;
	const n = Number(m[1]);
	return n >= 1 && Number.isSafeInteger(n) && versionName(n) === name ? n : null;
}

/**
 * A version as people write it in URLs and on the command line: "3" or "v0003"
 * (what versionName gives). Returns null for anything else (0, "v3", "3.0", "-1").
 */
export function parseVersionRef(ref: string): number | null {
	if (/^[0-9]+$/.test(ref)) {
		const n = Number(ref);
		return n >= 1 && Number.isSafeInteger(n) ? n : null;
	}
	return parseVersionName(ref);
}
