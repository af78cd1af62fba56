import path from 'node:path';

let resolved: { from: string; cwd: string; root: string } | null = null;

/**
 * Where runtime data lives. Default: the top-level `datasets/` folder of the checkout.
 * Every file path starts here, so the resolved path is kept until SPANLAB_DATA
 * or the working directory changes (tests switch folders).
 */
export function dataRoot(): string {
	const from = process.env.SPANLAB_DATA || 'datasets';
	const cwd = process.cwd();
	if (resolved?.from !== from || resolved.cwd !== cwd) resolved = { from, cwd, root: path.resolve(from) };
	return resolved.root;
}

/** Shipped sample articles (tracked in git), used to seed the demo dataset. */
export function samplesDir(): string {
	return path.resolve(process.env.SPANLAB_SAMPLES || path.join(process.cwd(), 'datasets', 'samples'));
}

export const limits = {
	/** JSON API bodies (annotation saves, settings) */
	jsonBodyBytes: Number(process.env.SPANLAB_MAX_JSON_BYTES || 5 * 1024 * 1024),
	/** one import (all files together) */
	importBytes: Number(process.env.SPANLAB_MAX_IMPORT_BYTES || 50 * 1024 * 1024),
	/** spans in one annotation set */
	spansPerSet: 20000,
	/** the spans of one set may cover this many characters in all (each keeps its text) */
	setTextChars: 5_000_000,
	sessionDays: Number(process.env.SPANLAB_SESSION_DAYS || 7),
	/** failed logins before a username is locked for 15 minutes */
	loginFailuresPerUser: Number(process.env.SPANLAB_LOGIN_FAILURES_PER_USER || 10),
	/** failed logins before an IP address is locked for 15 minutes (a team may share one address) */
	loginFailuresPerIp: Number(process.env.SPANLAB_LOGIN_FAILURES_PER_IP || 50)
};
