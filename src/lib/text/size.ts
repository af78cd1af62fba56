/** Sizes in bytes as people read them, on the import page and in the server's messages. */

const KB = 1024;
const MB = 1024 * 1024;

/**
 * 1536 → "1.5 KB", 2097153 → "2.0 MB", 900 → "900 bytes". With `wholeMegabytes`,
 * an exact number of megabytes loses its decimal (52428800 → "50 MB"), as the
 * size limits are written in messages.
 */
export function formatBytes(n: number, { wholeMegabytes = false }: { wholeMegabytes?: boolean } = {}): string {
	if (wholeMegabytes && n >= MB && n % MB === 0) return `${n / MB} MB`;
	if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
	if (n >= KB) return `${(n / KB).toFixed(1)} KB`;
	return `${n} bytes`;
}

/** 1 → "1 byte", 1234 → "1234 bytes": an exact count, where a rounded size would hide the difference. */
export function formatByteCount(n: number): string {
	return `${n} byte${n === 1 ? '' : 's'}`;
}
