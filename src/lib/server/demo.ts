/**
 * First start on an empty data folder: demo accounts (lead, ann1, ann2) and the
 * `demo-news` dataset built from the shipped samples. Passwords come from
 * SPANLAB_DEMO_PASSWORD or are generated and printed once — never a fixed default.
 */
import { randomBytes } from 'node:crypto';
import { createUser } from './auth/auth';
import { hasAnyUser, addDocuments, createDataset, listDocumentHeaders, sampleArticles, updateDataset } from './store';
import { sha256Hex } from './sha256';

export const DEMO_DATASET = 'demo-news';

function titleOf(text: string, fileName: string): string {
	const first = text.split(/\r\n|\n|\r/).find((line) => line.trim() !== '');
	return (first ?? fileName).trim().slice(0, 200);
}

export async function seedDemo(): Promise<{ created: boolean; password?: string }> {
	if (process.env.SPANLAB_NO_DEMO === '1' || (await hasAnyUser())) return { created: false };
	const fromEnv = process.env.SPANLAB_DEMO_PASSWORD;
	const password = fromEnv || randomBytes(9).toString('base64url');
	await createUser({ username: 'lead', password, role: 'lead' });
	await createUser({ username: 'ann1', password, role: 'annotator' });
	await createUser({ username: 'ann2', password, role: 'annotator' });

	await createDataset({
		slug: DEMO_DATASET,
		title: 'Demo: news articles',
		description: 'Short French and English news articles to try spanlab on.',
		guidelines: DEMO_GUIDELINES,
		createdBy: 'lead'
	});
	const docs = (await sampleArticles()).map(({ name, file, text }) => ({
		id: name,
		title: titleOf(text, file),
		text,
		meta: { source_file: file },
		sha256: sha256Hex(text)
	}));
	await addDocuments(DEMO_DATASET, docs);
	const ids = (await listDocumentHeaders(DEMO_DATASET)).map((d) => d.id);
	await updateDataset(DEMO_DATASET, (d) => {
		d.members = { ann1: 'annotator', ann2: 'annotator', lead: 'lead' };
		d.assignments = Object.fromEntries(ids.map((id) => [id, ['ann1', 'ann2']]));
	});
	const line = '─'.repeat(60);
	console.log(
		`\n${line}\nspanlab demo ready: dataset "${DEMO_DATASET}" (${ids.length} articles)\n` +
			`accounts: lead (lead), ann1 and ann2 (annotators)\n` +
			(fromEnv ? 'password: from SPANLAB_DEMO_PASSWORD\n' : `password for all three: ${password}\n(shown once; set SPANLAB_DEMO_PASSWORD to choose it)\n`) +
			`${line}\n`
	);
	return { created: true, password };
}

const DEMO_GUIDELINES = `# Annotation guidelines (demo)

Select the **shortest span** that carries the meaning; the selection snaps to whole words (hold **Alt** for exact characters).

- **claim** (key 1): a statement presented as fact that someone could check. Tag the clause, not the whole sentence.
- **attribution** (key 2): who says it — the source and the reporting verb (*a déclaré le groupe*, *said the mayor*).
- **framing** (key 3): loaded wording that frames actors or events (*entité usurpatrice*, *audacious*).
- **date** (key 4): dates and times, including relative ones (*samedi*, *last week*).

Spans may overlap: a date inside a claim is tagged twice.
`;
