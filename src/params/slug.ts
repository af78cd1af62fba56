import type { ParamMatcher } from '@sveltejs/kit';
import { isSlug } from '$lib/model/ids';

/** `[slug=slug]`: a dataset slug; anything else matches no route (404) before any code runs. */
export const match: ParamMatcher = (param) => isSlug(param);
