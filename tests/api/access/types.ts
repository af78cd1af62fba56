/**
 * The access-control table: who gets which status from which route.
 *
 * Every `tests/api/access/*.routes.ts` file exports `cases: AccessCase[]`; the
 * table is their union (tests/api/access.spec.ts runs it). To cover a new route,
 * add a `<area>.routes.ts` file next to `core.routes.ts` — no need to edit it or
 * the spec. The spec fails while a route under src/routes has no case.
 *
 * Route keys, as derived from the file system:
 *   "GET /api/datasets/[slug]"              a method exported by a +server.ts
 *   "PAGE /datasets/[slug]/settings"        a page (GET, redirects not followed)
 *   "ACTION /datasets/[slug]/settings"      its form actions (POST ?/name), when +page.server.ts exports `actions`
 */
import type { APIRequestContext } from '@playwright/test';

export type Caller = 'anonymous' | 'outsider' | 'annotator' | 'lead';
export const CALLERS: Caller[] = ['anonymous', 'outsider', 'annotator', 'lead'];

export interface Fixture {
	/** a dataset whose member annotator is `users.annotator`; left as set up (read-only cases) */
	slug: string;
	/** a dataset with the same members, for cases that change things */
	scratch: string;
	/** a dataset `users.outsider` annotates (and `users.annotator` does not belong to) */
	otherSlug: string;
	/** a document of `slug` and `scratch` in the annotator's queue */
	docId: string;
	/** a document of `slug` that is not in the annotator's queue */
	hiddenDocId: string;
	users: { outsider: string; annotator: string; lead: string };
	/** an account cases may change (role, membership); stays active with `password` */
	spare: string;
	password: string;
	/** the lead's API, for preparing state */
	leadApi: APIRequestContext;
	/** the server the table runs against (the access spec's, or a spec's own server), for logging in other users */
	baseURL: string;
	unique(prefix: string): string;
}

type Maybe<T> = T | Promise<T>;

export interface AccessCase {
	/** "METHOD /route/[param]", "PAGE /route" or "ACTION /route" (see above) */
	route: string;
	/** what this case checks, when a route has several */
	title?: string;
	/** the concrete URL; `api` is the caller's own request context, for preparing per-caller state */
	path: (f: Fixture, caller: Caller, api: APIRequestContext) => Maybe<string>;
	/** JSON body (or a string body sent with `contentType`) */
	body?: (f: Fixture, caller: Caller, api: APIRequestContext) => Maybe<unknown>;
	contentType?: string;
	/** form fields for ACTION cases (repeat a name for several values) */
	form?: (f: Fixture, caller: Caller, api: APIRequestContext) => Maybe<Array<[string, string]>>;
	/** run the request on a new session of the caller (logout must not end the shared one) */
	freshSession?: boolean;
	expect: Record<Caller, number>;
	/** for 303 answers: where they must point (anonymous → /login is always checked) */
	location?: Partial<Record<Caller, RegExp>>;
}

/** The common shapes of expectations. */
export const allow = {
	/** anyone, logged in or not */
	everyone: (status = 200) => ({ anonymous: status, outsider: status, annotator: status, lead: status }),
	/** any logged-in user */
	users: (status = 200) => ({ anonymous: 401, outsider: status, annotator: status, lead: status }),
	/** members of the dataset (annotator and lead) */
	members: (status = 200) => ({ anonymous: 401, outsider: 403, annotator: status, lead: status }),
	/** leads only */
	leads: (status = 200) => ({ anonymous: 401, outsider: 403, annotator: 403, lead: status }),
	/** pages: anonymous callers are sent to /login */
	pageUsers: (status = 200) => ({ anonymous: 303, outsider: status, annotator: status, lead: status }),
	pageMembers: (status = 200) => ({ anonymous: 303, outsider: 403, annotator: status, lead: status }),
	pageLeads: (status = 200) => ({ anonymous: 303, outsider: 403, annotator: 403, lead: status })
} satisfies Record<string, (status?: number) => Record<Caller, number>>;
