/**
 * Everything the annotation view keeps for one open document: its spans (with
 * undo), their autosave and the active-time counter, wired together.
 */
import type { Label, Role, Status } from '$lib/model/types';
import { packedSpanCount, unpackSpansJson } from '$lib/model/spans';
import { SpanStore } from './spanStore.svelte';
import { Autosaver } from './autosave.svelte';
import { ActivityTimer } from './activity';
import type { Density } from './density';
import type { Comment, DocumentFlag } from '$lib/model/notes';
import type { PunctuationRule } from '$lib/annotate/punctuationSnap';
import { DocumentNotes } from './notes.svelte';
import type { Dismissal } from './suggestions';
import type { RelationType } from '$lib/model/types';
import { unpackRelations } from './relationEdits';

/** The annotation page's load data (built by $lib/server/annotate/annotationPage.ts). */
export interface AnnotatePageData {
	dataset: { slug: string; title: string; labels: Label[]; role: Role; punctuation?: PunctuationRule; relationTypes?: RelationType[] };
	guidelinesHtml: string;
	document: { id: string; title: string; text: string };
	/**
	 * the spans as `packSpansJson` writes them (JSON text): ids and texts are rebuilt
	 * here from the text. One string: devalue took 170-660 ms of the server's event
	 * loop for 20,000 spans as arrays (60,000 numbers).
	 */
	annotations: {
		revision: number;
		status: Status;
		spans: string;
		/** the relations as JSON text of [from span id, to span id, label] triples (`packRelations`); absent: none */
		relations?: string;
		flag?: DocumentFlag | null;
		comments?: Comment[];
		/** the suggestions this annotator rejected (./suggestions.ts) */
		dismissed?: Dismissal[];
	};
	nav: { previous: string | null; next: string | null; position: number; total: number; done: number };
	/** the user's text density (a cookie of theirs; see ./density) */
	density?: Density;
	/** who is annotating, for the density cookie's name */
	username?: string;
}

export interface OpenDocument {
	notes: DocumentNotes;
	store: SpanStore;
	saver: Autosaver;
	activity: ActivityTimer;
}

export function documentHref(slug: string, id: string): string {
	return `/datasets/${encodeURIComponent(slug)}/documents/${encodeURIComponent(id)}`;
}

/** how many spans the page's set holds (without unpacking them) */
export function spanCountOf(data: AnnotatePageData): number {
	return packedSpanCount(data.annotations.spans);
}

export function openDocument(data: AnnotatePageData): OpenDocument {
	const activity = new ActivityTimer();
	const spans = unpackSpansJson(data.document.text, data.annotations.spans);
	const store: SpanStore = new SpanStore(data.document.text, spans, () => saver.changed(), unpackRelations(data.annotations.relations));
	store.dismissed = data.annotations.dismissed ?? [];
	store.punctuation = data.dataset.punctuation ?? 'keep';
	store.relationTypes = data.dataset.relationTypes ?? [];
	const notes = new DocumentNotes(data.annotations.flag ?? null, data.annotations.comments ?? [], () => saver.changed());
	const saver: Autosaver = new Autosaver({
		url: `/api${documentHref(data.dataset.slug, data.document.id)}/annotations/me`,
		revision: data.annotations.revision,
		status: data.annotations.status,
		spans: () => store.spans,
		relations: () => store.relations,
		notes: notes.forSave,
		dismissed: () => store.dismissed,
		activity,
		onConflict: (current) => {
			store.replaceFromServer(current.spans, current.relations ?? [], current.dismissed ?? []);
			notes.replaceFromServer(current.flag, current.comments);
		}
	});
	return { notes, store, saver, activity };
}

