/** The dates source: the temporal tagger (../dates) as suggestions of the `date` label, with `value` and `type`. */
import { tagTemporal } from '../dates/tagger';
import type { SuggestionSource } from './types';

export const DATE_LABEL = 'date';

export const datesSource: SuggestionSource = {
	name: 'dates',
	suggest(document, context) {
		if (!context.labels.includes(DATE_LABEL)) return [];
		const found = context.temporal ?? tagTemporal(document.text, { lang: context.lang, reference: context.reference });
		return found.map((e) => ({ start: e.start, end: e.end, label: DATE_LABEL, attrs: { value: e.value, type: e.type }, score: 0.9 }));
	}
};
