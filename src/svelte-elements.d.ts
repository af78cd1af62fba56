// HTML's `blocking` attribute (`blocking="render"`, Chromium 105+), not in Svelte's element types yet:
// FirstArrows.svelte holds the first paint for the script that draws the relation arrows.
declare module 'svelte/elements' {
	export interface HTMLScriptAttributes {
		blocking?: 'render' | null;
	}
}

export {};
