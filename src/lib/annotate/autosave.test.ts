import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Span } from '$lib/model/types';
import { Autosaver, type AutosaveOptions } from './autosave.svelte';
import { ActivityTimer } from './activity';

const span = (start: number, label = 'claim'): Span => ({ id: `s${start}${label}`, start, end: start + 1, label, text: 'x' });

interface Call {
	baseRevision: number;
	spans: unknown[];
	status?: string;
	activeSeconds?: number;
}

/** A fake server: answers each PUT when `respond` is called, records the bodies. */
function fakeServer() {
	const calls: Call[] = [];
	const pending: Array<(r: Response) => void> = [];
	const fetch = vi.fn((_url: string, init: RequestInit) => {
		calls.push(JSON.parse(init.body as string));
		return new Promise<Response>((resolve) => pending.push(resolve));
	});
	const respond = async (status: number, body: unknown) => {
		pending.shift()!(new Response(JSON.stringify(body), { status }));
		await vi.advanceTimersByTimeAsync(0);
	};
	return { calls, fetch, respond, get waiting() { return pending.length; } };
}

describe('Autosaver', () => {
	let spans: Span[];
	let server: ReturnType<typeof fakeServer>;
	let conflicts: unknown[];
	const make = (over: Partial<AutosaveOptions> = {}) =>
		new Autosaver({
			url: '/api/x',
			revision: 3,
			status: 'in_progress',
			spans: () => spans,
			activity: new ActivityTimer(),
			onConflict: (c) => {
				conflicts.push(c);
				spans = c.spans;
			},
			...over
		});

	beforeEach(() => {
		vi.useFakeTimers();
		spans = [];
		conflicts = [];
		server = fakeServer();
		vi.stubGlobal('fetch', server.fetch);
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('on leaving, sends reading time alone without the spans, and unsaved changes with them', async () => {
		spans = [span(1), span(5)];
		const activity = new ActivityTimer();
		activity.giveBack(42);
		make({ activity }).leave();
		expect(server.calls).toEqual([{ baseRevision: 3, activeSeconds: 42 }]);

		const saver = make();
		saver.changed();
		saver.leave();
		expect(server.calls[1]).toEqual({ baseRevision: 3, spans: [{ start: 1, end: 2, label: 'claim' }, { start: 5, end: 6, label: 'claim' }] });
		make().leave(); // nothing to send
		expect(server.calls).toHaveLength(2);
	});

	it('debounces changes into one request with the latest spans and the acknowledged revision', async () => {
		const saver = make();
		spans = [span(1)];
		saver.changed();
		spans = [span(1), span(2)];
		saver.changed();
		expect(saver.state).toBe('dirty');
		await vi.advanceTimersByTimeAsync(399);
		expect(server.calls).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(saver.state).toBe('saving');
		expect(server.calls).toEqual([{ baseRevision: 3, spans: [{ start: 1, end: 2, label: 'claim' }, { start: 2, end: 3, label: 'claim' }] }]);
		await server.respond(200, { revision: 4, status: 'in_progress' });
		expect(saver.state).toBe('saved');
		expect(saver.revision).toBe(4);
	});

	it('sends the gold set’s rejections with the spans when it has them, and nothing of the kind otherwise', async () => {
		let rejected = [{ start: 7, end: 9, label: 'date' }];
		const gold = make({ rejected: () => rejected });
		spans = [span(1)];
		gold.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[0]).toEqual({ baseRevision: 3, spans: [{ start: 1, end: 2, label: 'claim' }], rejected: [{ start: 7, end: 9, label: 'date' }] });
		await server.respond(200, { revision: 4, status: 'in_progress' });
		rejected = [];
		gold.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[1]).toMatchObject({ baseRevision: 4, rejected: [] });
		await server.respond(200, { revision: 5, status: 'in_progress' });

		const mine = make();
		mine.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[2]).not.toHaveProperty('rejected');
	});

	it('keeps one request in flight and sends what changed meanwhile on top of the new revision', async () => {
		const saver = make();
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		spans = [span(1), span(5)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(1000);
		expect(server.waiting).toBe(1);
		await server.respond(200, { revision: 4, status: 'in_progress' });
		expect(saver.state).toBe('saving');
		expect(server.calls[1]).toMatchObject({ baseRevision: 4, spans: [{ start: 1 }, { start: 5 }] });
		await server.respond(200, { revision: 5, status: 'in_progress' });
		expect(saver.state).toBe('saved');
		expect(saver.hasUnsaved).toBe(false);
	});

	it('on 409 takes the server version and keeps the local one as the conflict', async () => {
		const saver = make();
		spans = [span(7, 'date')];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		const theirs = [span(1)];
		await server.respond(409, { error: 'stale', current: { revision: 6, status: 'done', spans: theirs } });
		expect(saver.state).toBe('conflict');
		expect(saver.revision).toBe(6);
		expect(saver.status).toBe('done');
		expect(saver.conflict).toMatchObject({ revision: 6, lost: [{ start: 7, label: 'date' }], myStatus: 'in_progress' });
		expect(spans).toEqual(theirs);
		expect(saver.hasUnsaved).toBe(false);
	});

	it('sends attrs with the spans that have them; on 409 a span whose values differ counts as lost', async () => {
		const saver = make();
		const dated = { ...span(7, 'date'), attrs: { type: 'DATE', value: '2024-05-04' } };
		spans = [span(1), dated];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[0]).toEqual({
			baseRevision: 3,
			spans: [{ start: 1, end: 2, label: 'claim' }, { start: 7, end: 8, label: 'date', attrs: { type: 'DATE', value: '2024-05-04' } }]
		});
		const theirs = [span(1), { ...span(7, 'date'), attrs: { value: '2024' } }];
		await server.respond(409, { error: 'stale', current: { revision: 6, status: 'in_progress', spans: theirs } });
		expect(saver.conflict!.lost).toEqual([dated]);
	});

	it('sends relations as indexes into the same request’s spans; on 409 the ones the server lacks count as lost', async () => {
		const claim = span(1);
		const attribution = span(7, 'attribution');
		const link = { id: 'r1', from: attribution.id, to: claim.id, label: 'source-of' };
		let relations = [link];
		const saver = make({ relations: () => relations });
		spans = [claim, attribution];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[0]).toMatchObject({ relations: [{ from: 1, to: 0, label: 'source-of' }] });
		await server.respond(409, { error: 'stale', current: { revision: 6, status: 'in_progress', spans: [claim, attribution], relations: [] } });
		expect(saver.conflict).toMatchObject({ lost: [], myRelations: [link], lostRelations: [link] });
		relations = [];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[1]).toMatchObject({ baseRevision: 6, relations: [] });
	});

	it('retries network failures with backoff and stays dirty meanwhile', async () => {
		const saver = make();
		server.fetch.mockImplementationOnce(() => Promise.reject(new TypeError('Failed to fetch')));
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(saver.state).toBe('error');
		expect(saver.error).toContain('retrying in 1 s');
		expect(saver.hasUnsaved).toBe(true);
		await vi.advanceTimersByTimeAsync(1000);
		expect(server.waiting).toBe(1);
		await server.respond(200, { revision: 4, status: 'in_progress' });
		expect(saver.state).toBe('saved');
	});

	it('retries at once when asked (Retry now, back online), and starts the backoff over', async () => {
		const saver = make();
		server.fetch.mockImplementation(() => Promise.reject(new TypeError('Failed to fetch')));
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400); // fails: next try in 1 s
		await vi.advanceTimersByTimeAsync(1000); // fails: next in 2 s
		await vi.advanceTimersByTimeAsync(2000); // fails: next in 4 s
		expect(server.fetch).toHaveBeenCalledTimes(3);
		expect(saver.error).toContain('retrying in 4 s');
		expect(saver.retrying).toBe(true);
		saver.retryNow();
		await vi.advanceTimersByTimeAsync(0);
		expect(server.fetch).toHaveBeenCalledTimes(4);
		expect(saver.error).toContain('retrying in 1 s'); // the backoff started over
		server.fetch.mockReset();
		server.fetch.mockImplementation((_url: string, init: RequestInit) => {
			server.calls.push(JSON.parse(init.body as string));
			return Promise.resolve(new Response(JSON.stringify({ revision: 4, status: 'in_progress' }), { status: 200 }));
		});
		saver.retryNow();
		await vi.advanceTimersByTimeAsync(0);
		expect(saver.state).toBe('saved');
		expect(saver.retrying).toBe(false);
		saver.retryNow(); // nothing to retry: no request
		await vi.advanceTimersByTimeAsync(0);
		expect(server.fetch).toHaveBeenCalledTimes(1);
	});

	it('a full or read-only disk (507, 503): shows the server’s message, keeps the changes and sends them again', async () => {
		const saver = make();
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		const full = "nothing was saved: the server's disk is full (ENOSPC); try again once space is freed";
		await server.respond(507, { error: full, code: 'ENOSPC' });
		expect(saver.state).toBe('error');
		expect(saver.error).toBe(`${full} — your changes are kept here, retrying in 1 s`);
		expect(saver.hasUnsaved).toBe(true);
		spans = [span(1), span(7)]; // work goes on meanwhile
		saver.changed();
		await vi.advanceTimersByTimeAsync(1000);
		const readOnly = "nothing was saved: the server's data folder is read-only (EROFS); try again once it is writable again";
		await server.respond(503, { error: readOnly, code: 'EROFS' });
		expect(saver.error).toBe(`${readOnly} — your changes are kept here, retrying in 2 s`);
		await vi.advanceTimersByTimeAsync(2000);
		await server.respond(200, { revision: 4, status: 'in_progress' });
		expect(saver.state).toBe('saved');
		expect(saver.hasUnsaved).toBe(false);
		// every attempt carried all the work, on the last acknowledged revision
		expect(server.calls.map((c) => [c.baseRevision, c.spans.length])).toEqual([[3, 1], [3, 2], [3, 2]]);
	});

	it('a 401 keeps the changes and waits, without retrying, until the person logged in again; then saves them', async () => {
		const saver = make();
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		await server.respond(401, { error: 'not logged in' });
		expect(saver.loggedOut).toBe(true);
		expect(saver.state).toBe('error');
		expect(saver.error).toBe('you are logged out: log in to save');
		expect(saver.retrying).toBe(false);
		expect(saver.hasUnsaved).toBe(true);
		// more work meanwhile is kept too, and nothing is sent while logged out
		spans = [span(1), span(5)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(server.fetch).toHaveBeenCalledTimes(1);
		saver.loggedIn();
		expect(saver.loggedOut).toBe(false);
		await vi.advanceTimersByTimeAsync(0);
		expect(server.fetch).toHaveBeenCalledTimes(2);
		expect(server.calls[1]).toMatchObject({ baseRevision: 3, spans: [{ start: 1 }, { start: 5 }] });
		await server.respond(200, { revision: 4, status: 'in_progress' });
		expect(saver.state).toBe('saved');
		expect(saver.error).toBeNull();
		expect(saver.hasUnsaved).toBe(false);
	});

	it('does not retry a request the server refused as invalid', async () => {
		const saver = make();
		spans = [span(1)];
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		await server.respond(400, { error: 'span 0: unknown label "x"' });
		expect(saver.state).toBe('error');
		expect(saver.error).toBe('span 0: unknown label "x"');
		expect(saver.retrying).toBe(false);
		await vi.advanceTimersByTimeAsync(60_000);
		expect(server.fetch).toHaveBeenCalledTimes(1);
	});

	it('sends a status change at once, and only until it is acknowledged', async () => {
		const saver = make();
		saver.setStatus('done');
		expect(saver.status).toBe('done');
		await vi.advanceTimersByTimeAsync(0);
		expect(server.calls[0]).toMatchObject({ status: 'done' });
		await server.respond(200, { revision: 4, status: 'done' });
		saver.changed();
		await vi.advanceTimersByTimeAsync(400);
		expect(server.calls[1].status).toBeUndefined();
	});
});
