/**
 * Reading the browser's text selection inside the article as ProseMirror
 * positions. The article view is read-only, so the selection is the native DOM
 * one; boundaries outside the article (a drag that ends in the side panel) are
 * clamped to the start or end of the document.
 */
import type { EditorView } from '@tiptap/pm/view';

export interface PosRange {
	/** where the selection started (may be after `head`) */
	anchor: number;
	head: number;
}

function boundaryToPos(view: EditorView, whole: Range, node: Node, offset: number): number {
	const where = whole.comparePoint(node, offset);
	if (where < 0) return 0;
	if (where > 0) return view.state.doc.content.size;
	try {
		return view.posAtDOM(node, offset);
	} catch {
		return 0;
	}
}

/** The non-empty DOM selection as positions in `view`, or null if there is none in the article. */
export function domSelectionInView(view: EditorView): PosRange | null {
	const doc = view.dom.ownerDocument;
	const sel = doc.getSelection();
	if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return null;
	if (!sel.getRangeAt(0).intersectsNode(view.dom)) return null;
	const whole = doc.createRange();
	whole.selectNodeContents(view.dom);
	const anchor = boundaryToPos(view, whole, sel.anchorNode, sel.anchorOffset);
	const head = boundaryToPos(view, whole, sel.focusNode, sel.focusOffset);
	return anchor === head ? null : { anchor, head };
}

export function clearDomSelection(view: EditorView): void {
	view.dom.ownerDocument.getSelection()?.removeAllRanges();
}
