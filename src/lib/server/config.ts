import path from 'node:path';

/** Where runtime data lives. Default: the top-level `datasets/` folder of the checkout. */
export function dataRoot(): string {
	return path.resolve(process.env.SPANLAB_DATA || 'datasets');
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
	sessionDays: Number(process.env.SPANLAB_SESSION_DAYS || 7),
	/** failed logins before a username is locked for 15 minutes */
	loginFailuresPerUser: Number(process.env.SPANLAB_LOGIN_FAILURES_PER_USER || 10),
	/** failed logins before an IP address is locked for 15 minutes (a team may share one address) */
	loginFailuresPerIp: Number(process.env.SPANLAB_LOGIN_FAILURES_PER_IP || 50)
};
