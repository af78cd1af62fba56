/**
 * Domain errors. Domain functions throw these; one place (`toErrorResponse`)
 * maps them to HTTP statuses and the `{ "error": "…" }` JSON body.
 */
export class DomainError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
	}
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
	new DomainError(400, message, details);
export const unauthorized = (message = 'not logged in') => new DomainError(401, message);
export const forbidden = (message = 'not allowed') => new DomainError(403, message);
export const notFound = (message = 'not found') => new DomainError(404, message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
	new DomainError(409, message, details);
export const tooLarge = (message: string) => new DomainError(413, message);
export const unsupportedMediaType = (message: string) => new DomainError(415, message);
export const tooManyRequests = (message: string) => new DomainError(429, message);

export function isDomainError(e: unknown): e is DomainError {
	return e instanceof DomainError;
}
