/** Hold the editor's script back, to look at the server-rendered article alone. */
import type { Page } from '@playwright/test';

/** The script chunk holding ProseMirror waits until `release()`; `heldBack` counts the chunks held. */
export async function holdEditor(page: Page) {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	const state = { heldBack: 0, release: () => release() };
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		const response = await route.fetch();
		const body = await response.text();
		if (body.includes('ProseMirror-hideselection')) {
			state.heldBack++;
			await held;
		}
		await route.fulfill({ response, body });
	});
	return state;
}
