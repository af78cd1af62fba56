/**
 * How much text the annotation view fits on a screen: `comfortable` (large
 * type, airy lines) or `compact` (for a long day of annotation). Kept per user
 * in their account (`PUT /api/me/preferences`, so it follows them to another
 * browser) and in a cookie of its own (one per username, so people sharing a
 * browser keep their own), used while the account has none saved. The server
 * reads them so the first paint already has it.
 */
export type Density = 'comfortable' | 'compact';

export const DENSITIES: readonly Density[] = ['comfortable', 'compact'];

/** Usernames are [a-z0-9._-], all valid in a cookie name. */
export function densityCookie(username: string): string {
	return `spanlab_density_${username}`;
}

export function parseDensity(value: string | undefined | null): Density {
	return value === 'compact' ? 'compact' : 'comfortable';
}

/** The Set-Cookie string the page writes (a year; not httpOnly: the page sets it; Lax like the session). */
export function densityCookieString(username: string, density: Density): string {
	return `${densityCookie(username)}=${density}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
