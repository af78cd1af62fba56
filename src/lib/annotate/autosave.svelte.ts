/**
 * Autosave: every change is saved ~400 ms after the last one, with at most one
 * request in flight. A request always carries the latest spans and, as its
 * base, the last revision the server acknowledged. A stale base (409) means
 * another tab or window saved first: the server's version is taken, and the
 * local one is kept in `conflict` so nothing is lost silently. Network and
 * server errors — a full (507) or read-only (503) disk among them, whose
 * message says nothing was saved — keep the changes and retry with backoff.
 */
import type { Span, SpanInput, Status } from '$lib/model/types';
import type { ActivityTimer } from './activity';
import type { Comment, CommentInput, DocumentFlag } from '$lib/model/notes';
import { sameAttrs } from '$lib/model/attributes';
import { spanId } from '$lib/model/spans';
import { relationId } from '$lib/model/relations';
import type { Dismissal } from './suggestions';
import type { Relation } from '$lib/model/types';

export type SaveState = 'saved' | 'saving' | 'dirty' | 'error' | 'conflict';

/** An annotation set as the API returns it. */
export interface ServerSet {
	revision: number;
	status: Status;
	spans: Span[];
	/** links between its spans (span ids); absent: none */
	relations?: Relation[];
	/** the gold set's rejections (absent on other sets) */
	rejected?: Span[];
	/** the gold set's rejected relation candidates, by key (absent on other sets) */
	rejectedRelations?: string[];
	flag?: DocumentFlag | null;
	comments?: Comment[];
	/** the suggestions this annotator rejected (./suggestions.ts) */
	dismissed?: Dismissal[];
}

export interface Conflict {
	/** the revision that was loaded instead */
	revision: number;
	/** local spans the loaded version does not have */
	lost: Span[];
	/** the whole local version, for "Re-apply my version" */
	mine: Span[];
	/** the local relations (span ids of `mine`), re-applied with it */
	myRelations: Relation[];
	/** local relations the loaded version does not have */
	lostRelations: Relation[];
	myStatus: Status;
	/** the local rejected suggestions, put back with "Re-apply my version" */
	myDismissed?: Dismissal[];
}

export interface AutosaveOptions {
	/** the PUT endpoint of the set */
	url: string;
	revision: number;
	status: Status;
	spans: () => Span[];
	/** the relations between those spans (by span id), sent as indexes into the same request's spans */
	relations?: () => ReadonlyArray<Pick<Relation, 'from' | 'to' | 'label'>>;
	/** the gold set only: the rejections, saved with the spans in the same request */
	rejected?: () => SpanInput[];
	/** the gold set only: the rejected relation candidates (keys, see $lib/reviewRelations relationKey), saved with them */
	rejectedRelations?: () => string[];
	/** the document's flag and the comments, saved with the spans (see $lib/notes) */
	notes?: () => { flag: DocumentFlag | null; comments: CommentInput[] };
	/** the suggestions rejected (the whole list), saved with the spans */
	dismissed?: () => Dismissal[];
	activity: ActivityTimer;
	/** the server's version must replace the local spans */
	onConflict: (current: ServerSet) => void;
}

const DEBOUNCE_MS = 400;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** fetch keepalive bodies are limited to 64 KiB */
const KEEPALIVE_MAX_BYTES = 60_000;

export class Autosaver {
	state = $state<SaveState>('saved');
	error = $state<string | null>(null);
	revision = $state(0);
	/** the status as the user set it (shown at once, saved in the background) */
	status = $state<Status>('not_started');
	conflict = $state.raw<Conflict | null>(null);
	/** a failed save will be tried again (see `retryNow`) */
	retrying = $state(false);
	/**
	 * The server answered 401: the session ended (expired, or logged out in
	 * another tab). The changes are kept and not retried until `loggedIn()`,
	 * after the page's login dialog signed the person in again.
	 */
	loggedOut = $state(false);

	#options: AutosaveOptions;
	/** counters: changes made / acknowledged; status changes made / acknowledged */
	#changes = 0;
	#saved = 0;
	#statusChange = 0;
	#statusSaved = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#inFlight: Promise<void> | null = null;
	#retryMs = RETRY_FIRST_MS;
	#stopped = false;

	constructor(options: AutosaveOptions) {
		this.#options = options;
		this.revision = options.revision;
		this.status = options.status;
	}

	/** True while some change has not been acknowledged by the server. */
	get hasUnsaved(): boolean {
		return this.#changes > this.#saved;
	}

	/** The spans changed: save soon. */
	changed(): void {
		this.#changes++;
		this.state = 'dirty';
		this.#schedule(DEBOUNCE_MS);
	}

	setStatus(status: Status): void {
		this.status = status;
		this.#statusChange = ++this.#changes;
		this.state = 'dirty';
		this.#schedule(0);
	}

	/** Save now and wait; true when everything is saved. */
	async flush(): Promise<boolean> {
		for (let attempt = 0; attempt < 3 && (this.#inFlight || this.hasUnsaved); attempt++) {
			clearTimeout(this.#timer);
			await (this.#inFlight ?? this.#run());
		}
		return !this.hasUnsaved;
	}

	/** After a conflict: the local version to put back on top of the latest revision. */
	takeConflict(): Conflict | null {
		const c = this.conflict;
		this.dismissConflict();
		return c;
	}

	dismissConflict(): void {
		this.conflict = null;
		if (this.state === 'conflict') this.state = 'saved';
	}

	/**
	 * The page is going away: send what is unsaved plus the active time, without
	 * waiting (keepalive lets the request outlive the page when it is small).
	 */
	leave(): void {
		clearTimeout(this.#timer);
		if (this.#stopped || this.#inFlight) return;
		if (!this.hasUnsaved && this.#options.activity.pending < 1) return;
		// nothing but reading time to record: a small body without the spans, which stay as they are
		const body = this.#body(undefined, undefined, this.hasUnsaved);
		this.#stopped = true;
		fetch(this.#options.url, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body,
			keepalive: body.length < KEEPALIVE_MAX_BYTES
		}).catch(() => {});
	}

	/**
	 * Try a failed save again now, and start the backoff over (the "Retry now"
	 * button, the browser coming back online, the tab shown again).
	 */
	retryNow(): void {
		if (!this.retrying || this.#inFlight) return;
		this.#retryMs = RETRY_FIRST_MS;
		this.#schedule(0);
	}

	/** Retries at once when the browser comes back online or the tab is shown again; returns the undo. */
	watch(win: Window): () => void {
		const retry = () => {
			if (win.document.visibilityState === 'visible') this.retryNow();
		};
		win.addEventListener('online', retry);
		win.document.addEventListener('visibilitychange', retry);
		return () => {
			win.removeEventListener('online', retry);
			win.document.removeEventListener('visibilitychange', retry);
		};
	}

	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
	}

	/** Signed in again (the login dialog): save what is pending at once. */
	loggedIn(): void {
		if (!this.loggedOut) return;
		this.loggedOut = false;
		this.#retryMs = RETRY_FIRST_MS;
		if (this.hasUnsaved) this.#schedule(0);
		else if (this.state === 'error') {
			this.state = 'saved';
			this.error = null;
			this.retrying = false;
		}
	}

	#schedule(ms: number): void {
		clearTimeout(this.#timer);
		if (!this.#stopped) this.#timer = setTimeout(() => void this.#run(), ms);
	}

	#run(): Promise<void> {
		if (this.#inFlight) return this.#inFlight;
		// logged out: nothing would be accepted; the changes wait for `loggedIn()`
		if (!this.hasUnsaved || this.#stopped || this.loggedOut) return Promise.resolve();
		this.#inFlight = this.#send().finally(() => {
			this.#inFlight = null;
			if (this.hasUnsaved && this.state === 'dirty') this.#schedule(0);
		});
		return this.#inFlight;
	}

	#body(sendStatus = this.#statusChange > this.#statusSaved, activeSeconds = this.#options.activity.take(), withSpans = true): string {
		const plain = (spans: Array<SpanInput & { attrs?: Span['attrs']; source?: string }>) =>
			spans.map(({ start, end, label, attrs, source }) => ({ start, end, label, ...(attrs ? { attrs } : {}), ...(source ? { source } : {}) }));
		const spans = withSpans ? this.#options.spans() : [];
		return JSON.stringify({
			baseRevision: this.revision,
			...(withSpans ? { spans: plain(spans) } : {}),
			...(withSpans && this.#options.relations ? { relations: relationsByIndex(spans, this.#options.relations()) } : {}),
			...(withSpans && this.#options.rejected ? { rejected: plain(this.#options.rejected()) } : {}),
			...(withSpans && this.#options.rejectedRelations ? { rejectedRelations: this.#options.rejectedRelations() } : {}),
			...(withSpans && this.#options.notes ? this.#options.notes() : {}),
			...(withSpans && this.#options.dismissed ? { dismissed: this.#options.dismissed() } : {}),
			...(sendStatus ? { status: this.status } : {}),
			...(activeSeconds > 0 ? { activeSeconds } : {})
		});
	}

	async #send(): Promise<void> {
		const upTo = this.#changes;
		const statusUpTo = this.#statusChange;
		const sendStatus = statusUpTo > this.#statusSaved;
		const activeSeconds = this.#options.activity.take();
		this.state = 'saving';
		let res: Response;
		let body: { revision?: number; status?: Status; error?: string; current?: ServerSet };
		try {
			res = await fetch(this.#options.url, {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: this.#body(sendStatus, activeSeconds)
			});
			body = await res.json().catch(() => ({}));
		} catch {
			this.#options.activity.giveBack(activeSeconds);
			this.#failed('the server cannot be reached', true);
			return;
		}
		if (res.ok && typeof body.revision === 'number') {
			this.revision = body.revision;
			this.#saved = Math.max(this.#saved, upTo);
			if (sendStatus) this.#statusSaved = statusUpTo;
			if (this.#statusChange <= this.#statusSaved && body.status) this.status = body.status;
			this.#retryMs = RETRY_FIRST_MS;
			this.retrying = false;
			this.error = null;
			this.state = this.hasUnsaved ? 'dirty' : 'saved';
			return;
		}
		if (res.status === 409 && body.current) {
			this.#conflicted(body.current);
			return;
		}
		this.#options.activity.giveBack(activeSeconds);
		if (res.status === 401) {
			// retrying cannot help until the person logs in again: the page offers a login dialog, then `loggedIn()`
			this.loggedOut = true;
			this.#failed('you are logged out: log in to save', false);
			return;
		}
		// A request the server refuses as invalid will not get better by retrying.
		const retry = res.status >= 500 || res.status === 408 || res.status === 429;
		this.#failed(body.error ?? `HTTP ${res.status}`, retry);
	}

	#conflicted(current: ServerSet): void {
		const mine = this.#options.spans();
		const theirs = new Map(current.spans.map((s) => [s.id, s]));
		const myRelations: Relation[] = (this.#options.relations?.() ?? []).map((r) => ({ id: ('id' in r && typeof r.id === 'string' ? r.id : null) ?? relationId(r.from, r.to, r.label), from: r.from, to: r.to, label: r.label }));
		const theirRelations = new Set((current.relations ?? []).map((r) => r.id));
		this.conflict = {
			myRelations,
			lostRelations: myRelations.filter((r) => !theirRelations.has(r.id)),
			revision: current.revision,
			// a span they have with other attribute values is lost too: its values are
			lost: mine.filter((s) => !theirs.has(s.id) || !sameAttrs(theirs.get(s.id)!.attrs, s.attrs)),
			mine,
			myStatus: this.status,
			...(this.#options.dismissed ? { myDismissed: this.#options.dismissed() } : {})
		};
		this.revision = current.revision;
		this.status = current.status;
		// The loaded version is now the local one; nothing of it is unsaved.
		this.#saved = this.#changes;
		this.#statusSaved = this.#statusChange;
		this.error = null;
		this.retrying = false;
		this.#options.onConflict(current);
		this.state = 'conflict';
	}

	#failed(message: string, retry: boolean): void {
		this.state = 'error';
		this.retrying = retry;
		if (retry) {
			this.error = `${message} — your changes are kept here, retrying in ${Math.round(this.#retryMs / 1000)} s`;
			this.#schedule(this.#retryMs);
			this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
		} else {
			this.error = message;
		}
	}
}

/**
 * The save's form of relations: `from`/`to` are indexes into the same request's
 * `spans` (docs/api.md). An end that is no span sent here (a span without its id,
 * or one gone) is sent as the id it names, so the server refuses the save with a
 * message naming it rather than the relation being dropped without a word.
 */
export function relationsByIndex(
	spans: ReadonlyArray<SpanInput & { id?: string }>,
	relations: ReadonlyArray<Pick<Relation, 'from' | 'to' | 'label'>>
): Array<{ from: number | string; to: number | string; label: string }> {
	const index = new Map<string, number>();
	spans.forEach((s, i) => index.set(s.id ?? spanId(s), i));
	return relations.map((r) => ({ from: index.get(r.from) ?? r.from, to: index.get(r.to) ?? r.to, label: r.label }));
}
