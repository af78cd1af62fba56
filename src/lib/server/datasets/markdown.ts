/** Guidelines are Markdown written by leads; rendered with raw HTML disabled so nothing they paste can run. */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

export function renderMarkdown(source: string): string {
	return md.render(source);
}
