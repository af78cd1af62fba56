import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { enc, runImport, shown } from './test-helpers';

const tml = (id: string, body: string, dct = '1999-05-17') => `<?xml version='1.0' encoding='UTF-8'?>
<TimeML>
<DOCID>${id}</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t1" type="DATE" value="${dct}" /></DCT>
<TEXT>${body}</TEXT>
</TimeML>`;

describe('TimeML import', () => {
	it('a .tml file is a document: the <TEXT>, its creation time as meta.date, its DOCID as id, its TIMEX3s as date pre-annotations', async () => {
		const { docs, report } = await runImport([
			{ name: '1999-05-17-0121.tml', data: enc(tml('1999-05-17-0121', 'Il a gagné <TIMEX3 tid="t2" type="DATE" value="1999-05-16">hier</TIMEX3> en <TIMEX3 tid="t3" type="DURATION" value="PT30.4S">30,4 secondes</TIMEX3> 😀.')) }
		]);
		expect(shown(report)).toEqual([]);
		expect(docs).toHaveLength(1);
		const d = docs[0];
		expect(d).toMatchObject({ id: '1999-05-17-0121', title: '1999-05-17-0121', text: 'Il a gagné hier en 30,4 secondes 😀.', source: '1999-05-17-0121.tml' });
		expect(d.meta).toEqual({
			format: 'timeml',
			date: '1999-05-17',
			docid: '1999-05-17-0121',
			timex3: [
				{ type: 'DATE', value: '1999-05-16' },
				{ type: 'DURATION', value: 'PT30.4S' }
			]
		});
		// the TIMEX3 value and type are the span's attrs, offered where the dataset's date label takes them (importer.test.ts)
		expect(d.spans).toEqual([
			{ start: 11, end: 15, label: 'date', attrs: { type: 'DATE', value: '1999-05-16' }, attrsWhereDefined: true },
			{ start: 19, end: 32, label: 'date', attrs: { type: 'DURATION', value: 'PT30.4S' }, attrsWhereDefined: true }
		]);
		expect(report.labelsFound.get('date')).toBe(2);
	});

	it('in a zip too; a DOCID already taken falls back to an id from the file name; a file that is not TimeML is a problem naming it', async () => {
		const zip = zipSync({ 'a.tml': enc(tml('same', 'un')), 'b.tml': enc(tml('same', 'deux')) });
		const { docs, report } = await runImport([{ name: 'corpus.zip', data: zip }]);
		expect(shown(report)).toEqual([]);
		expect(docs.map((d) => d.id)).toEqual(['same', 'b']);
		const bad = await runImport([{ name: 'x.tml', data: enc('<html><body>no</body></html>') }]);
		expect(shown(bad.report)).toEqual([{ file: 'x.tml', message: 'not a TimeML document: no <TEXT> element: not a TimeML document' }]);
	});
});
