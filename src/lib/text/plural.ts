/** Small wording helpers shared by pages and server messages. */

/** "1 word", "2 words", "1,250 words" (English digit grouping); `many` for irregular plurals. */
export function plural(n: number, word: string, many = `${word}s`): string {
	return `${n.toLocaleString('en')} ${n === 1 ? word : many}`;
}
