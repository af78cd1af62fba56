import { describe, expect, it } from 'vitest';
import { formatByteCount, formatBytes } from './size';

describe('formatBytes', () => {
	it('bytes, KB and MB with one decimal', () => {
		expect([formatBytes(900), formatBytes(1536), formatBytes(2 * 1024 * 1024 + 1)]).toEqual(['900 bytes', '1.5 KB', '2.0 MB']);
		expect([formatBytes(1023), formatBytes(1024), formatBytes(50 * 1024 * 1024)]).toEqual(['1023 bytes', '1.0 KB', '50.0 MB']);
	});

	it('whole megabytes without a decimal when asked (size limits in messages)', () => {
		const whole = { wholeMegabytes: true };
		expect([formatBytes(50 * 1024 * 1024, whole), formatBytes(2000, whole), formatBytes(1.5 * 1024 * 1024, whole)]).toEqual(['50 MB', '2.0 KB', '1.5 MB']);
	});
});

describe('formatByteCount', () => {
	it('is exact, singular for one', () => {
		expect([formatByteCount(1), formatByteCount(0), formatByteCount(5000)]).toEqual(['1 byte', '0 bytes', '5000 bytes']);
	});
});
