/**
 * The file store's search index alone (store/file/wordIndex.ts), on bench/corpus.ts
 * articles held in memory (no files): its heap after a full GC on both sides, its
 * indexing time, and two phrase checks. MiniSearch (the engine before) for comparison:
 *   node --expose-gc --import tsx bench/search-index.ts [docs] [words|minisearch]
 * Figure 20's search notes in bench/README.md quote it.
 */
import { makeArticle } from './corpus';
import { foldedWords } from '../src/lib/text/fold';
import { WordIndex } from '../src/lib/server/store/file/wordIndex';

const N = Number(process.argv[2] ?? 10_000);
const engine = process.argv[3] ?? 'words';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
gc();
const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers; // typed arrays live outside the heap
const before = used();
const cpu0 = process.cpuUsage();
let keep: unknown;
if (engine === 'minisearch') {
	const { default: MiniSearch } = await import('minisearch');
	const mini = new MiniSearch({ fields: ['title', 'text'], tokenize: (t: string) => foldedWords(t), processTerm: (t: string) => t });
	for (let n = 0; n < N; n++) {
		const a = makeArticle(n, 3000, 'doc');
		mini.add({ id: a.id, title: a.title, text: a.text });
	}
	keep = mini;
} else {
	const ix = new WordIndex();
	for (let n = 0; n < N; n++) {
		const a = makeArticle(n, 3000, 'doc');
		ix.add(a.id, foldedWords(a.title), foldedWords(a.text));
	}
	ix.compact(); // as the store does after a build
	keep = ix;
	for (const phrase of ['selon le maire', 'le conseil vote le budget']) {
		const t = performance.now();
		const candidates = ix.candidates([], [phrase]);
		const hits = candidates.filter((doc) => ix.holdsPhrase(doc, phrase.split(' ')));
		console.log(`"${phrase}": ${candidates.length} candidates, ${hits.length} hits, ${Math.round(performance.now() - t)} ms`);
	}
}
const cpuMs = process.cpuUsage(cpu0).user / 1000;
gc();
console.log(`${engine}, ${N} docs: CPU ${Math.round(cpuMs)} ms (with generating the articles), heap + array buffers +${Math.round((used() - before) / 2 ** 20)} MB`, keep ? '' : '');
