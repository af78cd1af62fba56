import type { ParamMatcher } from '@sveltejs/kit';
import { isDocumentId } from '$lib/model/ids';

/** `[id=docid]`: a document id; anything else matches no route (404) before any code runs. */
export const match: ParamMatcher = (param) => isDocumentId(param);
