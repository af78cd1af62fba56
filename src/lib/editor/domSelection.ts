/**
 * Reading the browser's text selection inside the article as ProseMirror
 * positions. The article view is read-only, so the selection is the native DOM
 * one; boundaries outside the article (a drag that ends in the side panel) are
 * clamped to the start or end of the document.
 */
import type { EditorView } from '@tiptap/pm/view';
import { TextSelection } from '@tiptap/pm/state';
import type { DocLayout } from '$lib/text/offsets';

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

/**
 * Clears the text selection, in the DOM and in the editor's state: ProseMirror
 * writes its state's selection back into the DOM after every update while the
 * DOM selection is in the article (a click there puts a caret in it), so a
 * stale range in the state would come back with the next redraw.
 */
export function clearDomSelection(view: EditorView): void {
	view.dom.ownerDocument.getSelection()?.removeAllRanges();
	collapseStateSelection(view);
}

/** Collapses the editor state's selection where it starts, if it is a range (no redraw: only the selection changes). */
export function collapseStateSelection(view: EditorView): void {
	const { selection } = view.state;
	if (!selection.empty) view.dispatch(view.state.tr.setSelection(TextSelection.near(selection.$from)));
}

/**
 * The same for the static article (`staticArticleHtml`: one <p> per line of
 * `layout`, nothing but the text inside), as UTF-16 offsets into the text.
 * It is what the page shows until the editor has mounted; a selection made
 * there is read, tagged and handed over to the editor like any other.
 */
export function domSelectionInStatic(root: HTMLElement, layout: DocLayout): { anchor: number; head: number } | null {
	const doc = root.ownerDocument;
	const sel = doc.getSelection();
	if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return null;
	if (!sel.getRangeAt(0).intersectsNode(root)) return null;
	const whole = doc.createRange();
	whole.selectNodeContents(root);
	const toOffset = (node: Node, offset: number): number => {
		const where = whole.comparePoint(node, offset);
		if (where < 0) return 0;
		if (where > 0) return layout.text.length;
		// the root holds the <p>s and possibly comments (hydration markers): count elements only
		if (node === root) {
			let index = 0;
			for (let k = 0; k < offset; k++) if (root.childNodes[k]?.nodeType === Node.ELEMENT_NODE) index++;
			return index < layout.lines.length ? layout.lines[index].start : layout.text.length;
		}
		let p: Node | null = node;
		while (p && p.parentNode !== root) p = p.parentNode;
		const line = p ? layout.lines[Array.prototype.indexOf.call(root.children, p)] : undefined;
		if (!p || !line) return 0;
		const before = doc.createRange();
		before.setStart(p, 0);
		before.setEnd(node, offset);
		return Math.min(line.start + before.toString().length, line.end);
	};
	const anchor = toOffset(sel.anchorNode, sel.anchorOffset);
	const head = toOffset(sel.focusNode, sel.focusOffset);
	return anchor === head ? null : { anchor, head };
}

/** Selects UTF-16 `[start, end)` of the text in the editor (where a selection made in the static article continues). */
export function selectInView(view: EditorView, layout: DocLayout, start: number, end: number): void {
	const a = view.domAtPos(layout.utf16ToPos(start, 'start'));
	const b = view.domAtPos(layout.utf16ToPos(end, 'end'));
	view.dom.ownerDocument.getSelection()?.setBaseAndExtent(a.node, a.offset, b.node, b.offset);
}

/** The DOM point of UTF-16 offset `utf16` in the static article (an offset in a line break goes to the end of its line). */
function staticPoint(root: HTMLElement, layout: DocLayout, utf16: number): { node: Node; offset: number } {
	const { lines } = layout;
	let lo = 0;
	let hi = lines.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (lines[mid].start <= utf16) lo = mid;
		else hi = mid - 1;
	}
	const p = root.children[lo];
	let rest = Math.min(utf16, lines[lo].end) - lines[lo].start;
	const walker = root.ownerDocument.createTreeWalker(p, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const node = walker.currentNode as Text;
		if (rest <= node.length) return { node, offset: rest };
		rest -= node.length;
	}
	return { node: p, offset: p.childNodes.length };
}

/** Selects UTF-16 `[start, end)` of the text in the static article. */
export function selectInStatic(root: HTMLElement, layout: DocLayout, start: number, end: number): void {
	const a = staticPoint(root, layout, start);
	const b = staticPoint(root, layout, end);
	root.ownerDocument.getSelection()?.setBaseAndExtent(a.node, a.offset, b.node, b.offset);
}

/** Scrolls the window so the current selection is in view (centred when it was off screen). */
export function revealDomSelection(doc: Document): void {
	const sel = doc.getSelection();
	if (!sel || sel.rangeCount === 0) return;
	const rect = sel.getRangeAt(0).getBoundingClientRect();
	const view = doc.defaultView;
	if (!view || (rect.top >= 0 && rect.bottom <= view.innerHeight)) return;
	view.scrollBy({ top: rect.top - view.innerHeight / 2, behavior: 'smooth' });
}
