/**
 * Helpers for tests that talk to the real server: log in, create datasets and
 * documents through the public API (no back doors into the store).
 */
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password';
/**
 * The server of the running test's project (its `use.baseURL`: the file store's, or the api-postgres
 * project's on PostgreSQL; see playwright.config.ts). Only inside a test or hook: a module-level
 * constant could not know the project.
 */
export function baseURL(): string {
	const url = test.info().project.use.baseURL;
	if (!url) throw new Error('the Playwright project has no use.baseURL');
	return url;
}

/** A request context logged in as `username` (session cookie). */
export async function apiAs(username: string, password = PASSWORD): Promise<APIRequestContext> {
	const ctx = await playwrightRequest.newContext({ baseURL: baseURL() });
	const res = await ctx.post('/api/login', { data: { username, password } });
	expect(res.status(), `login as ${username}`).toBe(200);
	return ctx;
}

export async function anonymous(): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL: baseURL() });
}

/** Log the browser page in through the login form, as a person would. */
export async function loginUI(page: Page, username: string, password = PASSWORD): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

/**
 * Open `url` and wait until the page is hydrated (the root layout marks
 * `<html data-hydrated>`): a control changed before that may be reset by hydration.
 */
export async function gotoHydrated(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/**
 * A new account of this test's own (as `lead`, through the API), so a test never
 * shares a login with tests running beside it. Returns the username; its password is PASSWORD.
 */
let users = 0;
export async function newUser(prefix: string, role: 'lead' | 'annotator' = 'annotator'): Promise<string> {
	const lead = await apiAs('lead');
	const username = `${prefix.slice(0, 12)}-${process.pid.toString(36)}-${(++users).toString(36)}${Date.now().toString(36).slice(-5)}`;
	const res = await lead.post('/api/users', { data: { username, password: PASSWORD, role } });
	expect(res.status(), await res.text()).toBe(201);
	await lead.dispose();
	return username;
}

let counter = 0;
/** A unique slug for this test run and worker. */
export function uniqueSlug(prefix: string): string {
	counter++;
	return `${prefix}-${process.pid.toString(36)}-${counter}-${Date.now().toString(36)}`.toLowerCase();
}

export interface SeedDocument {
	id?: string;
	title?: string;
	text: string;
	meta?: Record<string, unknown>;
}

/**
 * As `lead`: create a dataset, import documents (NDJSON), add members as annotators.
 * Returns the slug.
 */
export async function seedDataset(opts: {
	slug?: string;
	title?: string;
	labels?: Array<{ name: string; key: string; color: string; description?: string }>;
	documents: SeedDocument[];
	annotators?: string[];
}): Promise<string> {
	const lead = await apiAs('lead');
	const slug = opts.slug ?? uniqueSlug('t');
	const created = await lead.post('/api/datasets', {
		data: { slug, title: opts.title ?? slug, ...(opts.labels ? { labels: opts.labels } : {}) }
	});
	expect(created.status(), await created.text()).toBe(201);
	const body = opts.documents.map((d) => JSON.stringify(d)).join('\n') + '\n';
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: body
	});
	expect(imported.status(), await imported.text()).toBe(200);
	for (const annotator of opts.annotators ?? ['ann1', 'ann2']) {
		const res = await lead.put(`/api/datasets/${slug}/members/${annotator}`, { data: { role: 'annotator' } });
		expect(res.status(), await res.text()).toBe(200);
	}
	await lead.dispose();
	return slug;
}
