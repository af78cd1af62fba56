/**
 * Calls `changed` whenever the article's text may have moved under what is drawn
 * over it (relation arrows, the attribute popover): the host resized (window,
 * density), a paragraph off screen got laid out at last (`content-visibility:
 * auto` gives it a placeholder height until then, so the text below it moves),
 * or a web font finished loading. Returns the function that stops watching.
 */
export function watchLayout(host: HTMLElement, changed: () => void): () => void {
	const resize = new ResizeObserver(() => changed());
	resize.observe(host);
	host.addEventListener('contentvisibilityautostatechange', changed, true);
	const fonts = host.ownerDocument.fonts;
	fonts?.addEventListener('loadingdone', changed);
	void fonts?.ready.then(changed);
	return () => {
		resize.disconnect();
		host.removeEventListener('contentvisibilityautostatechange', changed, true);
		fonts?.removeEventListener('loadingdone', changed);
	};
}
