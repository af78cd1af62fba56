/**
 * The domain's errors, one class per kind of refusal. Domain functions (pure ones
 * in lib/, and lib/server) throw them; one place maps them to HTTP
 * (src/lib/server/http/errors.ts `httpErrorOf`, used by the API's `errorResponse`
 * and the pages' `guarded`/`formAction`). Each kind carries its HTTP status so that
 * the mapping is the class, not a table that could drift; `details` are extra
 * fields of the API's `{ "error": "…" }` body.
 */
export class DomainError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
		this.name = new.target.name;
	}
}

/** 400: the input is wrong (a bad body, field, file or label); the message names what. */
export class InvalidError extends DomainError {
	constructor(message: string, details?: Record<string, unknown>) {
		super(400, message, details);
	}
}

/** 401: nobody is logged in (or the token is wrong). */
export class UnauthorizedError extends DomainError {
	constructor(message = 'not logged in') {
		super(401, message);
	}
}

/** 403: logged in, but not allowed to do this. */
export class ForbiddenError extends DomainError {
	constructor(message = 'not allowed') {
		super(403, message);
	}
}

/** 404: no such thing (or one the caller may not know of). */
export class NotFoundError extends DomainError {
	constructor(message = 'not found') {
		super(404, message);
	}
}

/** 409: the state has moved on (a stale revision, a name taken, a step out of order). */
export class ConflictError extends DomainError {
	constructor(message: string, details?: Record<string, unknown>) {
		super(409, message, details);
	}
}

/** 413: over a size limit. */
export class TooLargeError extends DomainError {
	constructor(message: string) {
		super(413, message);
	}
}

/** 415: a body of a type this route does not read. */
export class UnsupportedMediaTypeError extends DomainError {
	constructor(message: string) {
		super(415, message);
	}
}

/** 429: too many attempts; try again later. */
export class TooManyRequestsError extends DomainError {
	constructor(message: string) {
		super(429, message);
	}
}

/** 507 (no room) or 503 (may not write): the data folder cannot take a write now; nothing was saved. */
export class StorageError extends DomainError {
	constructor(status: 503 | 507, message: string, details?: Record<string, unknown>) {
		super(status, message, details);
	}
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new InvalidError(message, details);
export const unauthorized = (message?: string) => new UnauthorizedError(message);
export const forbidden = (message?: string) => new ForbiddenError(message);
export const notFound = (message?: string) => new NotFoundError(message);
export const conflict = (message: string, details?: Record<string, unknown>) => new ConflictError(message, details);
export const tooLarge = (message: string) => new TooLargeError(message);
export const unsupportedMediaType = (message: string) => new UnsupportedMediaTypeError(message);
export const tooManyRequests = (message: string) => new TooManyRequestsError(message);

export function isDomainError(e: unknown): e is DomainError {
	return e instanceof DomainError;
}
