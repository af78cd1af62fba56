/**
 * Everything the annotation view keeps for one open document: its spans (with
 * undo), their autosave and the active-time counter, wired together.
 */
import type { Label, Role, Status } from '$lib/types';
import { unpackSpans, type PackedSpans } from '$lib/spans';
import { SpanStore } from './spanStore.svelte';
import { Autosaver } from './autosave.svelte';
import { ActivityTimer } from './activity';
import type { Density } from './density';

/** The annotation page's load data (see the route's +page.server.ts). */
export interface AnnotatePageData {
	dataset: { slug: string; title: string; labels: Label[]; role: Role };
	guidelinesHtml: string;
	document: { id: string; title: string; text: string };
	/** the spans packed (`packSpans`): ids and texts are rebuilt here from the text */
	annotations: { revision: number; status: Status; spans: PackedSpans };
	nav: { previous: string | null; next: string | null; position: number; total: number; done: number };
	/** the user's text density (a cookie of theirs; see ./density) */
	density?: Density;
	/** who is annotating, for the density cookie's name */
	username?: string;
}

export interface AnnotationSession {
	store: SpanStore;
	saver: Autosaver;
	activity: ActivityTimer;
}

export function documentHref(slug: string, id: string): string {
	return `/datasets/${encodeURIComponent(slug)}/documents/${encodeURIComponent(id)}`;
}

export function openSession(data: AnnotatePageData): AnnotationSession {
	const activity = new ActivityTimer();
	const store: SpanStore = new SpanStore(data.document.text, unpackSpans(data.document.text, data.annotations.spans), () => saver.changed());
	const saver: Autosaver = new Autosaver({
		url: `/api${documentHref(data.dataset.slug, data.document.id)}/annotations/me`,
		revision: data.annotations.revision,
		status: data.annotations.status,
		spans: () => store.spans,
		activity,
		onConflict: (current) => store.replaceFromServer(current.spans)
	});
	return { store, saver, activity };
}
