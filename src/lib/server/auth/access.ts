/**
 * Who may see and do what. Every use case asks these functions; nothing is
 * enforced only by hiding things in the UI.
 *   - global leads: every dataset, everyone's work, management
 *   - dataset leads (member role "lead"): the same inside that dataset
 *   - annotators: datasets they belong to, documents of their queue, their own annotations only
 *
 * The convention: a route passes the caller (`locals.user`, `pageUser(event)`) and the
 * URL's names to one use case (`progressFor(user, slug)`, `setMemberAs(user, slug, …)`),
 * which checks here first. No route holds a DatasetAccess; functions that take one are
 * building blocks of use cases (and of tests). A request body goes in as a `Later`
 * reader, so it is read only once the caller passed (403 before 400); use cases that
 * tests also call with a plain value take either (`settle`).
 */
import type { SessionUser } from './auth';
import { forbidden, unauthorized } from '../http/errors';
import { getDataset, type DatasetRecord, checkSlug } from '../store';
import { GOLD, type Role } from '../../model/types';
import { own } from '../../model/dict';

/**
 * Input a use case reads once the caller passed its check: a route hands over
 * `() => readJson(request, schema)` (or a form's fields, parsed), so a caller who
 * may not is refused before a byte of the body is read or a field is judged, and
 * what the use case saw of the dataset (its version) is from before the body.
 */
export type Later<T> = () => T | Promise<T>;

/** The input itself, or what its reader gives (called only now, after the caller's check). */
export async function settle<T extends object>(input: T | Later<T>): Promise<T> {
	return typeof input === 'function' ? await (input as Later<T>)() : input;
}

export interface DatasetAccess {
	user: SessionUser;
	dataset: DatasetRecord;
	role: Role;
}

export function requireUser(user: SessionUser | null): SessionUser {
	if (!user) throw unauthorized();
	return user;
}

export function requireGlobalLead(user: SessionUser | null): SessionUser {
	const u = requireUser(user);
	if (u.role !== 'lead') throw forbidden('only leads may do this');
	return u;
}

export function roleIn(user: SessionUser, dataset: DatasetRecord): Role | null {
	if (user.role === 'lead') return 'lead';
	return own(dataset.members, user.username) ?? null;
}

export async function requireDataset(user: SessionUser | null, slug: string): Promise<DatasetAccess> {
	const u = requireUser(user);
	checkSlug(slug);
	if (u.role !== 'lead') {
		// non-members get 403 whether or not the dataset exists: no probing for names
		const dataset = await getDataset(slug).catch(() => null);
		const role = dataset ? roleIn(u, dataset) : null;
		if (!dataset || !role) throw forbidden('you are not a member of this dataset');
		return { user: u, dataset, role };
	}
	const dataset = await getDataset(slug);
	return { user: u, dataset, role: 'lead' };
}

export async function requireDatasetLead(user: SessionUser | null, slug: string): Promise<DatasetAccess> {
	const access = await requireDataset(user, slug);
	if (access.role !== 'lead') throw forbidden('only leads of this dataset may do this');
	return access;
}

/** Documents in the caller's queue; null = all documents. */
export function queueOf(access: DatasetAccess): Set<string> | null {
	if (access.role === 'lead' || access.dataset.assignments === null) return null;
	const mine = new Set<string>();
	for (const [docId, annotators] of Object.entries(access.dataset.assignments)) {
		if (annotators.includes(access.user.username)) mine.add(docId);
	}
	return mine;
}

export function requireDocumentInQueue(access: DatasetAccess, docId: string): void {
	const queue = queueOf(access);
	if (queue && !queue.has(docId)) throw forbidden('this document is not assigned to you');
}

/** Resolve `me` and check the caller may read (or write) that annotator's set. */
export function resolveAnnotator(access: DatasetAccess, param: string, mode: 'read' | 'write'): string {
	const name = param === 'me' ? access.user.username : param;
	if (access.role === 'lead') {
		// leads read everyone's work; they write their own and the gold set only
		if (mode === 'write' && name !== access.user.username && name !== GOLD) {
			throw forbidden("leads adjudicate into gold; they do not edit an annotator's work");
		}
		return name;
	}
	if (name !== access.user.username) throw forbidden("annotation is blind: you may only see your own annotations");
	return name;
}
