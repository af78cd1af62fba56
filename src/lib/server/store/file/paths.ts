/**
 * Every path under the data root is built here, from names that passed the
 * checks of ../names.ts, so no request can address a file outside its dataset.
 */
import path from 'node:path';
import { dataRoot } from '../../config';
import { checkAnnotator, checkDocId, checkSlug } from '../names';

export * from '../names';

export const datasetDir = (slug: string) => path.join(dataRoot(), checkSlug(slug));
export const datasetFile = (slug: string) => path.join(datasetDir(slug), 'dataset.json');
export const documentsDir = (slug: string) => path.join(datasetDir(slug), 'documents');
export const documentFile = (slug: string, id: string) => path.join(documentsDir(slug), `${checkDocId(id)}.json`);
export const annotationsDir = (slug: string, id: string) =>
	path.join(datasetDir(slug), 'annotations', checkDocId(id));
export const annotationFile = (slug: string, id: string, annotator: string) =>
	path.join(annotationsDir(slug, id), `${checkAnnotator(annotator)}.json`);
export const revisionLogFile = (slug: string, id: string, annotator: string) =>
	path.join(annotationsDir(slug, id), `${checkAnnotator(annotator)}.revisions.jsonl`);
export const releasesDir = (slug: string) => path.join(datasetDir(slug), 'releases');
