/**
 * Errors on their way to HTTP: the domain's error classes (../../model/errors.ts,
 * re-exported here for server code), storage faults turned into them, and
 * `httpErrorOf`, the one mapping of anything thrown to a status and message.
 */
import { ZodError } from 'zod';
import { DomainError, InvalidError, StorageError, isDomainError } from '../../model/errors';

export {
	ConflictError,
	DomainError,
	ForbiddenError,
	InvalidError,
	NotFoundError,
	StorageError,
	TooLargeError,
	TooManyRequestsError,
	UnauthorizedError,
	UnsupportedMediaTypeError,
	badRequest,
	conflict,
	forbidden,
	isDomainError,
	notFound,
	tooLarge,
	tooManyRequests,
	unauthorized,
	unsupportedMediaType
} from '../../model/errors';

/**
 * File-system errors that mean the data folder cannot take a write right now,
 * and what the caller is told. Every write path (saves, sessions, imports,
 * releases, users, settings) fails through here: a write that fails this way
 * has left nothing behind (temp files are removed, logs cut back), so the
 * message says so, and the client may keep its work and send it again.
 * 507 Insufficient Storage: no room; 503 Service Unavailable: the server may
 * not write (read-only mount, permissions) — an administrator's fix, then retry.
 */
const STORAGE_FAULTS: Record<string, { status: 503 | 507; why: string; until: string }> = Object.assign(Object.create(null), {
	ENOSPC: { status: 507, why: "the server's disk is full", until: 'space is freed' },
	EDQUOT: { status: 507, why: "the server's disk quota is used up", until: 'space is freed' },
	EROFS: { status: 503, why: "the server's data folder is read-only", until: 'it is writable again' },
	EACCES: { status: 503, why: 'the server may not write to its data folder (permission denied)', until: 'that is fixed' },
	EPERM: { status: 503, why: 'the server may not write to its data folder (operation not permitted)', until: 'that is fixed' },
	EIO: { status: 503, why: "the server's disk reported an I/O error", until: 'the disk is repaired' }
});

/** The errno code of a Node file-system error (`code: 'ENOSPC'`), else null. */
function errnoCode(e: unknown): string | null {
	if (e === null || typeof e !== 'object') return null;
	const code = (e as { code?: unknown }).code;
	if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
	// lowdb and our readers wrap errors: look one level down
	const cause = (e as { cause?: unknown }).cause;
	return cause && cause !== e ? errnoCode(cause) : null;
}

/**
 * The answer for a file-system error that means "cannot write now" (see
 * STORAGE_FAULTS), else null. `outcome` is what the message starts with: the
 * default is true of every write that fails through here; a caller that had
 * already saved part of a change says what it had.
 */
export function storageFault(e: unknown, outcome = 'nothing was saved'): DomainError | null {
	if (isDomainError(e)) return null;
	const code = errnoCode(e);
	const fault = code === null ? undefined : STORAGE_FAULTS[code];
	if (!fault) return null;
	return new StorageError(fault.status, `${outcome}: ${fault.why} (${code}); try again once ${fault.until}`, { code });
}

/** A domain error as it is, a storage fault as its DomainError (507/503), anything else null (a 500). */
export function asDomainError(e: unknown): DomainError | null {
	return isDomainError(e) ? e : storageFault(e);
}

/** A zod error as the API says it: `path: message` per issue (at most 10), `; `-separated. */
export function formatZodError(e: ZodError): string {
	return e.issues
		.slice(0, 10)
		.map((issue) => {
			const where = issue.path.join('.');
			// messages that already name their field ("username: …") are not prefixed twice
			return where && !issue.message.startsWith(`${where}:`) ? `${where}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

/**
 * What anything thrown means in HTTP — the one mapping, for the API's JSON answers
 * and the pages' errors and form failures: a domain error as it is, a storage fault
 * as its StorageError (507/503), a zod error as a 400 naming the fields; null for
 * anything else (an internal error, 500).
 */
export function httpErrorOf(e: unknown): DomainError | null {
	const domain = asDomainError(e);
	if (domain) return domain;
	if (e instanceof ZodError) return new InvalidError(formatZodError(e));
	return null;
}
