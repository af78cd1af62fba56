/** Where characters of the article are on screen, so tests can select text with the real mouse. */
import type { Page } from '@playwright/test';

/** Viewport box of one character of the article: character `index` of the `occurrence`-th match of `needle`. */
export async function charBox(page: Page, needle: string, index: number, occurrence = 0) {
	return page.evaluate(
		([needle, index, occurrence]) => {
			// the editor, or the server-rendered article while the editor is not there yet
			const root = document.querySelector('.article-text.static') ?? document.querySelector('.ProseMirror')!;
			const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
			const nodes: Text[] = [];
			const starts: number[] = [];
			let text = '';
			while (walker.nextNode()) {
				const node = walker.currentNode as Text;
				starts.push(text.length);
				nodes.push(node);
				text += node.data;
			}
			let at = -1;
			for (let k = 0; k <= occurrence; k++) {
				at = text.indexOf(needle, at + 1);
				if (at < 0) throw new Error(`"${needle}" not found in the article`);
			}
			const pos = at + index;
			let i = starts.length - 1;
			while (starts[i] > pos) i--;
			const range = document.createRange();
			range.setStart(nodes[i], pos - starts[i]);
			range.setEnd(nodes[i], pos - starts[i] + 1);
			const r = range.getBoundingClientRect();
			return { left: r.left, right: r.right, y: (r.top + r.bottom) / 2, x: (r.left + r.right) / 2 };
		},
		[needle, index, occurrence] as const
	);
}
