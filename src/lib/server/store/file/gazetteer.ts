/**
 * A dataset's gazetteer: the entries a lead imported into the lexicon source
 * (TSV `text<TAB>label`, parsed by $lib/suggest/lexicon).
 *
 *   <data>/<slug>/gazetteer.json   { entries: [{text, label}], uploaded_at, uploaded_by, file? }
 *
 * Written durably in one piece (a new upload replaces the old one whole).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { datasetDir } from './paths';
import { stableJson, writeFileDurable } from './durable';
import type { Gazetteer } from '../../../model/gazetteer';

export type { Gazetteer };


export const gazetteerFile = (slug: string) => path.join(datasetDir(slug), 'gazetteer.json');

/** The gazetteer and a stamp that changes when the file does; none: null. */
export async function readGazetteer(slug: string): Promise<{ gazetteer: Gazetteer; stamp: string } | null> {
	const file = gazetteerFile(slug);
	try {
		const s = await fs.stat(file);
		const gazetteer = JSON.parse(await fs.readFile(file, 'utf8')) as Gazetteer;
		return { gazetteer, stamp: `${s.ino}:${s.size}:${s.mtimeMs}` };
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}

export async function writeGazetteer(slug: string, gazetteer: Gazetteer): Promise<void> {
	await writeFileDurable(gazetteerFile(slug), stableJson(gazetteer));
}

export async function removeGazetteer(slug: string): Promise<void> {
	await fs.rm(gazetteerFile(slug), { force: true });
}
