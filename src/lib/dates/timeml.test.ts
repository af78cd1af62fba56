import { describe, expect, it } from 'vitest';
import { parseTimeml, TimemlError } from './timeml';

const DOC = `<?xml version='1.0' encoding='UTF-8'?>
<TimeML>
<DOCID>1999-05-17-0121</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t1" type="DATE" value="1999-05-17" /></DCT>
<TITLE>Un titre &amp; demi</TITLE>
<TEXT>
Il <EVENT eid="e1">devance</EVENT> Irvine de <TIMEX3 tid="t3" type="DURATION" value="PT30.4S">30,4 secondes</TIMEX3> 😀 &lt;ok&gt;, <TIMEX3 tid="t4" type="DATE" value="1999-05-16" anchorTimeID="t1">hier</TIMEX3>.<!-- a comment --><![CDATA[ <raw> ]]>
</TEXT>
</TimeML>`;

describe('TimeML documents', () => {
	it('gives the text of <TEXT> without tags, entities decoded, and its TIMEX3s in code points', () => {
		const d = parseTimeml(DOC);
		expect(d.docId).toBe('1999-05-17-0121');
		expect(d.title).toBe('Un titre & demi');
		expect(d.dct).toBe('1999-05-17');
		expect(d.text).toBe('\nIl devance Irvine de 30,4 secondes 😀 <ok>, hier. <raw> \n');
		const cps = Array.from(d.text);
		expect(d.timexes).toEqual([
			{ start: 22, end: 35, text: '30,4 secondes', tid: 't3', type: 'DURATION', value: 'PT30.4S', mod: null },
			{ start: 44, end: 48, text: 'hier', tid: 't4', type: 'DATE', value: '1999-05-16', mod: null }
		]);
		for (const t of d.timexes) expect(cps.slice(t.start, t.end).join('')).toBe(t.text);
	});

	it('refuses what is not TimeML, or nests too deep, with a reason', () => {
		expect(() => parseTimeml('<html><body>hi</body></html>')).toThrow(TimemlError);
		expect(() => parseTimeml('<TimeML><TEXT>never closed')).toThrow(/never closed/);
		expect(() => parseTimeml(`<TimeML><TEXT>${'<s>'.repeat(40)}x${'</s>'.repeat(40)}</TEXT></TimeML>`)).toThrow(/deeper than 32/);
		expect(() => parseTimeml('<TimeML><TEXT>a</b></TEXT></TimeML>')).toThrow(/closes nothing/);
	});

	it('reads a large file in linear time', () => {
		const body = '<TIMEX3 type="DATE" value="1999">1999</TIMEX3> et '.repeat(20_000);
		const t0 = performance.now();
		const d = parseTimeml(`<TimeML><TEXT>${body}</TEXT></TimeML>`);
		expect(d.timexes).toHaveLength(20_000);
		expect(d.timexes[19_999].start).toBe(19_999 * 8);
		expect(performance.now() - t0).toBeLessThan(5_000);
	});
});
