/** CSV as RFC 4180 writes it: comma separated, CRLF line ends, fields quoted when they need it. */

export type CsvValue = string | number | null | undefined;

/** A field quoted (with inner quotes doubled) when it holds a comma, a quote or a line break, or starts/ends with a space. */
export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
	return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
	return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
