/** The annotation view's flag and comments for the open document (see $lib/notes); every change is saved by the autosaver. */
import type { Comment, CommentInput, DocumentFlag, FlagReason } from '$lib/model/notes';
import type { SpanInput } from '$lib/model/types';

export class DocumentNotes {
	flag = $state.raw<DocumentFlag | null>(null);
	/** saved comments keep their id; new ones get one from the server at the next save */
	comments = $state.raw<Array<CommentInput & Partial<Pick<Comment, 'by' | 'at' | 'replyTo'>>>>([]);

	constructor(
		flag: DocumentFlag | null,
		comments: Comment[],
		private readonly changed: () => void
	) {
		this.flag = flag;
		this.comments = comments;
	}

	setFlag(reason: FlagReason, note: string): void {
		this.flag = { reason, note: note.trim() };
		this.changed();
	}

	clearFlag(): void {
		if (!this.flag) return;
		this.flag = null;
		this.changed();
	}

	addComment(text: string, span: SpanInput | null): void {
		const trimmed = text.trim();
		if (!trimmed) return;
		// the client names a new comment, so saves before and after the server has seen it agree (COMMENT_ID)
		const id = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
		this.comments = [...this.comments, { id, text: trimmed, ...(span ? { span: { start: span.start, end: span.end, label: span.label } } : {}) }];
		this.changed();
	}

	removeComment(index: number): void {
		this.comments = this.comments.filter((_, i) => i !== index);
		this.changed();
	}

	/** A reply the server has saved (POST …/comments): shown at once; later saves send it back unchanged. */
	addSavedReply(reply: Comment): void {
		this.comments = [...this.comments, reply];
	}

	/** After a save the server has ids for the new comments: take its version. */
	replaceFromServer(flag: DocumentFlag | null | undefined, comments: Comment[] | undefined): void {
		this.flag = flag ?? null;
		this.comments = comments ?? [];
	}

	/** What the autosaver sends with the spans. */
	forSave = (): { flag: DocumentFlag | null; comments: CommentInput[] } => ({
		flag: this.flag,
		comments: this.comments.map((c) => ({ ...(c.id ? { id: c.id } : {}), text: c.text, ...(c.span ? { span: c.span } : {}) }))
	});
}
