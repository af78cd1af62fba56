/**
 * The sample articles shipped with the checkout (config.samplesDir(): `datasets/samples/*.txt`),
 * read for the demo dataset: files of the checkout, whatever store keeps the data.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { samplesDir } from '../../config';

export interface SampleArticle {
	/** the file name without `.txt` */
	name: string;
	file: string;
	/** the text, a leading byte-order mark dropped */
	text: string;
}

/** The sample articles in file-name order; none when the folder is missing. */
export async function sampleArticles(): Promise<SampleArticle[]> {
	const dir = samplesDir();
	const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.txt')).sort();
	const articles: SampleArticle[] = [];
	for (const file of files) {
		let text = await fs.readFile(path.join(dir, file), 'utf8');
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		articles.push({ name: path.basename(file, '.txt'), file, text });
	}
	return articles;
}
