import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagTemporal } from './tagger';
import { frenchTense } from './rules/fr';
import { detectLanguage, taggerLanguage } from './language';
import { countMatches, scores } from './evaluate';

const pick = (text: string, reference: string | null, lang?: 'fr' | 'en') =>
	tagTemporal(text, { reference, lang }).map(({ text, type, value, mod }) => (mod ? [text, type, value, mod] : [text, type, value]));

describe('French temporal expressions (worked examples)', () => {
	it('the sample article, published Monday 6 May 2024', () => {
		const text = fs.readFileSync(path.resolve('datasets/samples/fr-glilot-2024-05-04.txt'), 'utf8');
		const found = tagTemporal(text, { reference: '2024-05-06' });
		const byText = (t: string) => found.filter((e) => e.text === t).map((e) => e.value);
		expect(byText('samedi 4 mai 2024')).toEqual(['2024-05-04']);
		// «Israël a lancé son agression … le 7 octobre»: a past sentence, before the reference → the last 7 October
		expect(byText('le 7 octobre')).toEqual(['2023-10-07']);
		expect(byText('dimanche 5 mai')).toEqual(['2024-05-05']);
		// «Les discussions se sont déroulées samedi»: the Saturday before Monday 6 May
		expect(byText('samedi')).toEqual(['2024-05-04', '2024-05-04']);
		for (const e of found) expect(Array.from(text).slice(e.start, e.end).join('')).toBe(e.text);
	});

	it('days, months and years', () => {
		expect(pick('Il est arrivé le jeudi 7 octobre et repart le 27 mai 1998.', '1999-10-05')).toEqual([
			['le jeudi 7 octobre', 'DATE', '1999-10-07'],
			['le 27 mai 1998', 'DATE', '1998-05-27']
		]);
		expect(pick('Il a été élu en 1990, puis en avril 2001 et en octobre 98.', '1999-05-20')).toEqual([
			['1990', 'DATE', '1990'],
			['avril 2001', 'DATE', '2001-04'],
			['octobre 98', 'DATE', '1998-10']
		]);
		expect(pick('Le projet sera voté en juin prochain.', '1999-05-20')).toEqual([['juin prochain', 'DATE', '1999-06']]);
		expect(pick('Le contrat a été signé le 6 mai dernier.', '1999-05-20')).toEqual([['le 6 mai dernier', 'DATE', '1999-05-06']]);
		expect(pick('Dans les années 60, puis à la fin du XIXe siècle.', '1999-05-20')).toEqual([
			['les années 60', 'DATE', '196X'],
			['la fin du XIXe siècle', 'DATE', '18XX', 'END']
		]);
	});

	it('relative days and parts of the day', () => {
		expect(pick('Il a été hospitalisé hier soir, puis opéré hier en début d\'après-midi.', '1999-05-21')).toEqual([
			['hier soir', 'TIME', '1999-05-20TEV'],
			["hier en début d'après-midi", 'TIME', '1999-05-20TAF', 'START']
		]);
		expect(pick('Les Blazers jouent ce soir. Demain, la finale.', '1999-05-20')).toEqual([
			['ce soir', 'TIME', '1999-05-20TEV'],
			['Demain', 'DATE', '1999-05-21']
		]);
		// «Dimanche soir, à partir de 22 h»: the bare time takes the day just named
		expect(pick('Dimanche soir, à partir de 22 h, le bal a commencé.', '1999-05-24')).toEqual([
			['Dimanche soir', 'TIME', '1999-05-23TEV'],
			['22 h', 'TIME', '1999-05-23T22:00']
		]);
		expect(pick('Il a été blessé hier, vers 18 h.', '1999-05-21')).toEqual([
			['hier', 'DATE', '1999-05-20'],
			['18 h', 'TIME', '1999-05-20T18:00', 'APPROX']
		]);
		expect(pick('La réunion a eu lieu mercredi dernier; la suivante aura lieu mardi prochain.', '1999-07-26')).toEqual([
			['mercredi dernier', 'DATE', '1999-07-21'],
			['mardi prochain', 'DATE', '1999-07-27']
		]);
	});

	it('durations, with their modifiers, but not ages', () => {
		expect(pick('Il devance Irvine de 30,4 secondes après plus de vingt ans et environ une heure.', '1999-05-17')).toEqual([
			['30,4 secondes', 'DURATION', 'PT30.4S'],
			['plus de vingt ans', 'DURATION', 'P20Y', 'MORE_THAN'],
			['environ une heure', 'DURATION', 'PT1H', 'APPROX']
		]);
		expect(pick('Condamné à 10 ans de prison, depuis deux ans, en moins de deux mois, depuis plusieurs jours.', null)).toEqual([
			['10 ans', 'DURATION', 'P10Y'],
			['deux ans', 'DURATION', 'P2Y'],
			['moins de deux mois', 'DURATION', 'P2M', 'LESS_THAN'],
			['plusieurs jours', 'DURATION', 'PXD']
		]);
		expect(pick('Un électricien allemand de 37 ans, agé de 54 ans; Johnny Kadda, 20 ans, est libre.', null)).toEqual([]);
		expect(pick('Un demi-siècle et vingt-cinq jours.', null)).toEqual([
			['Un demi-siècle', 'DURATION', 'P50Y'],
			['vingt-cinq jours', 'DURATION', 'P25D']
		]);
	});

	it('sets, and the present, past and future', () => {
		expect(pick('Ouvert tous les jeudis, chaque année et tous les ans.', '1999-05-20')).toEqual([
			['tous les jeudis', 'SET', 'XXXX-WXX-4'],
			['chaque année', 'SET', 'P1Y'],
			['tous les ans', 'SET', 'P1Y']
		]);
		expect(pick("Ils sont maintenant favoris; pour l'instant rien. Auparavant, il fallait attendre.", '1999-05-20')).toEqual([
			['maintenant', 'TIME', 'PRESENT_REF'],
			["pour l'instant", 'TIME', 'PRESENT_REF'],
			['Auparavant', 'TIME', 'PAST_REF']
		]);
		expect(pick('La liste a été publiée cette semaine; le budget de l\'an dernier et de cette année.', '1999-07-09')).toEqual([
			['cette semaine', 'DATE', '1999-W27'],
			["l'an dernier", 'DATE', '1998'],
			['cette année', 'DATE', '1999']
		]);
	});

	it('without a reference date, values stay underspecified', () => {
		expect(pick('Le 15 août, samedi, hier.', null, 'fr')).toEqual([
			['Le 15 août', 'DATE', 'XXXX-08-15'],
			['samedi', 'DATE', 'XXXX-XX-XX'],
			['hier', 'DATE', 'XXXX-XX-XX']
		]);
	});

	it('leaves look-alikes alone: the participle «été», «une seconde fois», «Vendredi Saint»', () => {
		expect(pick("Il a été élu une seconde fois, l'accord du Vendredi Saint.", '1999-05-20')).toEqual([]);
	});
});

describe('English temporal expressions (worked examples, after the TimeML guidelines)', () => {
	it('dates, times and durations relative to Monday 6 May 2024', () => {
		expect(
			pick('On May 4, 2024, the council met for three hours; a 35-year-old man was arrested last night at 11:30 p.m. The vote is scheduled for next Tuesday.', '2024-05-06', 'en')
		).toEqual([
			['May 4, 2024', 'DATE', '2024-05-04'],
			['three hours', 'DURATION', 'PT3H'],
			['last night', 'TIME', '2024-05-05TNI'],
			['11:30 p.m.', 'TIME', '2024-05-05T23:30'],
			['next Tuesday', 'DATE', '2024-05-07']
		]);
		expect(pick('Sales rose 5% in 1999, and two years ago the firm was worth more; prices rose every year since the 1990s.', '2024-05-06', 'en')).toEqual([
			['1999', 'DATE', '1999'],
			['two years ago', 'DATE', '2022'],
			['every year', 'SET', 'P1Y'],
			['the 1990s', 'DATE', '199X']
		]);
		expect(pick('The company said on Saturday that earlier this month the first quarter was weak. It will take several weeks.', '2024-05-06', 'en')).toEqual([
			['Saturday', 'DATE', '2024-05-04'],
			['earlier this month', 'DATE', '2024-05', 'START'],
			['the first quarter', 'DATE', '2024-Q1'],
			['several weeks', 'DURATION', 'PXW']
		]);
		expect(pick('He may go. The summer of 1998, last spring, and currently.', '2024-05-06', 'en')).toEqual([
			['summer of 1998', 'DATE', '1998-SU'],
			['last spring', 'DATE', '2023-SP'],
			['currently', 'DATE', 'PRESENT_REF']
		]);
	});
});

describe('language and scoring', () => {
	it('tells French from English, and reads meta.lang', () => {
		expect(detectLanguage('Le chef du groupe a dénoncé dimanche les efforts de la médiation.')).toBe('fr');
		expect(detectLanguage('The head of the group said on Sunday that the talks were over.')).toBe('en');
		expect(taggerLanguage('fr-FR')).toBe('fr');
		expect(taggerLanguage('English')).toBe('en');
		expect(taggerLanguage('de')).toBeNull();
	});

	it('scores strict, relaxed and value matches as TempEval-3 does', () => {
		const gold = [
			{ start: 0, end: 10, value: '2024-05-04' },
			{ start: 20, end: 24, value: 'P2Y' },
			{ start: 40, end: 45, value: '1999' }
		];
		const system = [
			{ start: 0, end: 10, value: '2024-05-04' }, // strict, value
			{ start: 18, end: 24, value: 'P3Y' }, // relaxed only
			{ start: 60, end: 64, value: '2000' } // spurious
		];
		const c = countMatches(gold, system);
		expect(c).toMatchObject({ gold: 3, system: 3, strict: 1, relaxed: 2, value: 1 });
		const s = scores(c);
		expect(s.strict.f1).toBeCloseTo(1 / 3);
		expect(s.relaxed.f1).toBeCloseTo(2 / 3);
		expect(s.value.f1).toBeCloseTo(1 / 3);
	});

	it('stays linear on hostile text', () => {
		const t0 = performance.now();
		for (const text of ['le' + ' '.repeat(100_000) + 'x', 'two '.repeat(10_000) + 'years', 'plus de '.repeat(10_000), '1 '.repeat(30_000), 'mardi '.repeat(20_000), '« samedi '.repeat(10_000), '14 heures et '.repeat(10_000)]) {
			tagTemporal(text, { lang: 'fr' });
			tagTemporal(text, { lang: 'en' });
		}
		expect(performance.now() - t0).toBeLessThan(15_000);
	});
});

describe('French expressions from the French TimeBank guidelines (worked examples)', () => {
	it('parts of the day, feasts, ordinal periods, sets', () => {
		expect(pick('Pendant la journée, puis le matin du 20 juin, il a travaillé.', '1999-06-25')).toEqual([
			['la journée', 'TIME', '1999-06-25TDT'],
			['le matin du 20 juin', 'TIME', '1999-06-20TMO']
		]);
		expect(pick('Il reviendra pour Noël et pour la Pentecôte 2000.', '1999-05-20')).toEqual([
			['Noël', 'DATE', '1999-12-25'],
			['la Pentecôte 2000', 'DATE', '2000-06-11']
		]);
		expect(pick('Les ventes du premier trimestre et du deuxième semestre 1999 ont baissé.', '1999-05-20')).toEqual([
			['premier trimestre', 'DATE', '1999-Q1'],
			['deuxième semestre 1999', 'DATE', '1999-H2']
		]);
		expect(pick('La cérémonie a lieu trois fois par an, certains jours, à 11 h du soir; elle a duré deux siècles.', '1999-05-20')).toEqual([
			['trois fois par an', 'SET', 'P1Y'],
			['certains jours', 'SET', 'P1D'],
			['11 h du soir', 'TIME', '1999-05-20T23:00'],
			['deux siècles', 'DURATION', 'P200Y']
		]);
	});

	it('a month specified by «de» + year is one expression; counted and coming periods; a quarter of an hour', () => {
		expect(pick('Le mois d’octobre de 1969, puis janvier de cette année et mars de l’année dernière.', '1999-05-19')).toEqual([
			['Le mois d’octobre de 1969', 'DATE', '1969-10'],
			['janvier de cette année', 'DATE', '1999-01'],
			['mars de l’année dernière', 'DATE', '1998-03']
		]);
		// «des» is «de» + «les»: the preposition stays out, as «au» of «au lendemain»
		expect(pick('Au cours des dernières années, puis les deux dernières semaines et les trois prochains mois.', '1999-05-19')).toEqual([
			['dernières années', 'DURATION', 'PXY'],
			['les deux dernières semaines', 'DURATION', 'P2W'],
			['les trois prochains mois', 'DURATION', 'P3M']
		]);
		expect(pick('Dans les années à venir, il attendra un quart d’heure.', '1999-05-19')).toEqual([
			['les années à venir', 'DURATION', 'PXY'],
			['un quart d’heure', 'DURATION', 'PT15M']
		]);
	});

	it('sports reports: a round of the championship is one day long, a minute of the match a time of its day', () => {
		expect(pick('Battu samedi 11 septembre lors de la quatrième journée, l’OM avait marqué à la première minute.', '1999-09-13')).toEqual([
			['samedi 11 septembre', 'DATE', '1999-09-11'],
			['la quatrième journée', 'DURATION', 'P1D'],
			['la première minute', 'TIME', '1999-09-11TXX:XX']
		]);
	});

	it('«d’ici» + a year starts now, as «d’ici le 30 juin»; a planned event is ahead whatever its auxiliary', () => {
		expect(pick('L’accord sera signé d’ici 2002.', '1999-05-19')).toEqual([
			['ici', 'DATE', '1999-05-19'],
			['2002', 'DATE', '2002']
		]);
		// Wednesday 26 May 1999: «est fixé» is no past, the Saturday is the coming one
		expect(pick('Rendez-vous est fixé à tous samedi à 8 h dans la cour.', '1999-05-26')).toEqual([
			['samedi', 'DATE', '1999-05-29'],
			['8 h', 'TIME', '1999-05-29T08:00']
		]);
	});
});

describe('French normalisation classes that the development part barely shows (worked examples, TIMEX3 values after the guidelines)', () => {
	it('a future sentence about a month already gone this year is about next year; a modal alone is no such cue', () => {
		// Thursday 14 November 2002
		expect(pick('Les travaux commenceront en janvier.', '2002-11-14')).toEqual([['janvier', 'DATE', '2003-01']]);
		expect(pick('En octobre, le chômage a reculé.', '2002-11-14')).toEqual([['octobre', 'DATE', '2002-10']]);
		expect(pick('Les résultats du recensement de mars, qui devraient être affinés, sont publiés.', '1999-07-07')).toEqual([['mars', 'DATE', '1999-03']]);
	});

	it('feast days written with a hyphen, and the two days of «les 12 et 13 décembre»', () => {
		expect(pick('Le défilé du 14-Juillet a été annulé, le 1er-Mai aussi.', '2002-11-14')).toEqual([
			['14-Juillet', 'DATE', '2002-07-14'],
			['le 1er-Mai', 'DATE', '2002-05-01']
		]);
		expect(pick('Les élections auront lieu les 12 et 13 décembre.', '2002-11-14')).toEqual([
			['12', 'DATE', '2002-12-12'],
			['13 décembre', 'DATE', '2002-12-13']
		]);
		// numbers that are no days stay untagged
		expect(pick('Il a acheté les 12 et 13 pommes.', '2002-11-14')).toEqual([]);
	});

	it('the start, middle or end of a season; every season; the period of the day last named («cette semaine-là»)', () => {
		expect(pick('Au début de l’été, puis à la fin de l’hiver prochain.', '2002-11-14')).toEqual([
			['début de l’été', 'DATE', '2002-SU', 'START'],
			['la fin de l’hiver prochain', 'DATE', '2003-WI', 'END']
		]);
		expect(pick('Le festival se déroule chaque été.', '2002-11-14')).toEqual([['chaque été', 'SET', 'XXXX-SU']]);
		expect(pick('Le 3 mars 1998, il est parti. Cette semaine-là, il a plu.', '2002-11-14')).toEqual([
			['Le 3 mars 1998', 'DATE', '1998-03-03'],
			['Cette semaine-là', 'DATE', '1998-W10']
		]);
	});

	it('clock times in words keep their minutes; a date with its part of the day is one expression', () => {
		expect(pick('Le train part à 14 heures 30, le car vers 8 heures et demie, le bus à 10 heures moins le quart.', '2002-11-14')).toEqual([
			['14 heures 30', 'TIME', '2002-11-14T14:30'],
			['8 heures et demie', 'TIME', '2002-11-14T08:30', 'APPROX'],
			['10 heures moins le quart', 'TIME', '2002-11-14T09:45']
		]);
		expect(pick('Rendez-vous à midi et demi.', '2002-11-14')).toEqual([['midi et demi', 'TIME', '2002-11-14T12:30']]);
		expect(pick('Le 31 décembre au soir, la fête battra son plein.', '2002-11-14')).toEqual([['Le 31 décembre au soir', 'TIME', '2002-12-31TEV']]);
	});

	it('an age is not a duration, even with «avoir» or «l’âge de»; «il y a 45 ans» is one', () => {
		expect(pick('Il a 45 ans. Elle avait 20 ans. Il est mort à l’âge de 80 ans.', '2002-11-14')).toEqual([]);
		expect(pick('Il y a 45 ans, le pont était construit.', '2002-11-14')).toEqual([['45 ans', 'DURATION', 'P45Y']]);
	});

	it('a participle right before a weekday sets its tense; «N heures de …» is a duration of something', () => {
		// Tuesday 3 February 2026: the main verb is a future-looking modal, the communiqué was published on Monday
		expect(pick('Le mouvement devrait être reconduit, d’après un communiqué publié lundi soir.', '2026-02-03')).toEqual([['lundi soir', 'TIME', '2026-02-02TEV']]);
		expect(pick('Il a annoncé la réunion prévue lundi.', '2026-02-03')).toEqual([['lundi', 'DATE', '2026-02-09']]);
		expect(pick('Les plannings imposeraient jusqu’à 11 heures d’amplitude; après deux heures de discussion, rien.', '2026-02-03')).toEqual([
			['11 heures', 'DURATION', 'PT11H'],
			['deux heures', 'DURATION', 'PT2H']
		]);
	});

	it('«aujourd’hui» as «nowadays» is the present (PRESENT_REF), as a day it is the reference', () => {
		expect(pick('Il a joué avec les plus grands. Aujourd’hui, il enseigne.', '1999-05-30')).toEqual([['Aujourd’hui', 'TIME', 'PRESENT_REF']]);
		expect(pick('La France d’aujourd’hui compte 60 millions d’habitants.', '1999-07-07')).toEqual([['aujourd’hui', 'TIME', 'PRESENT_REF']]);
		expect(pick('Les épreuves se dérouleront aujourd’hui et vendredi.', '1999-07-29')).toEqual([
			['aujourd’hui', 'DATE', '1999-07-29'],
			['vendredi', 'DATE', '1999-07-30']
		]);
		expect(pick('Aujourd’hui, les élèves reprennent le chemin de l’école.', '1999-09-06')).toEqual([['Aujourd’hui', 'DATE', '1999-09-06']]);
	});

	it('«l’année suivante», «l’année précédente» count from the last date named; a moveable feast follows the tense; «la fin de 2002»', () => {
		expect(pick('Le 5 mars 2001, il a signé. L’année suivante, il est parti.', '2002-11-14')).toEqual([
			['Le 5 mars 2001', 'DATE', '2001-03-05'],
			['L’année suivante', 'DATE', '2002']
		]);
		expect(pick('Il est parti en 1995. L’année précédente, il avait signé.', '2002-11-14')).toEqual([
			['1995', 'DATE', '1995'],
			['L’année précédente', 'DATE', '1994']
		]);
		// Easter 2003 is 20 April; in a November 2002 article the coming one is meant
		expect(pick('Les vacances de Pâques commenceront tôt.', '2002-11-14')).toEqual([['Pâques', 'DATE', '2003-04-20']]);
		expect(pick('À Pâques, il était parti.', '2002-11-14')).toEqual([['Pâques', 'DATE', '2002-03-31']]);
		expect(pick('À la fin de 2002, au début de 2003.', '2002-11-14')).toEqual([
			['la fin de 2002', 'DATE', '2002', 'END'],
			['début de 2003', 'DATE', '2003', 'START']
		]);
	});
});


describe('French: the start, middle or end of a named month or of this year keeps its determiner (worked examples)', () => {
	it('«le début du mois de décembre», «au début du mois de mars», «en ce début d’année»', () => {
		expect(pick('Le début du mois de décembre sera froid. Au début du mois de mars, il a signé.', '2002-11-14')).toEqual([
			['Le début du mois de décembre', 'DATE', '2002-12', 'START'],
			['début du mois de mars', 'DATE', '2002-03', 'START']
		]);
		expect(pick('Il est parti à la fin du mois d’août 2002.', '2002-11-14')).toEqual([['la fin du mois d’août 2002', 'DATE', '2002-08', 'END']]);
		expect(pick('À la mi-novembre, il a neigé.', '2002-11-20')).toEqual([['la mi-novembre', 'DATE', '2002-11', 'MID']]);
		expect(pick('En ce début d’année, puis cette fin d’année.', '2003-01-08')).toEqual([
			['ce début d’année', 'DATE', '2003', 'START'],
			['cette fin d’année', 'DATE', '2003', 'END']
		]);
	});
});

describe('French: a preposition gives a weekday its direction (Thursday 14 November 2002)', () => {
	it('«depuis lundi» is behind; «dès lundi» in the present of a timetable is ahead', () => {
		expect(pick('Les bus circulent dès lundi.', '2002-11-14')).toEqual([['lundi', 'DATE', '2002-11-18']]);
		expect(pick('La route est coupée depuis samedi.', '2002-11-14')).toEqual([['samedi', 'DATE', '2002-11-09']]);
		expect(pick('Les bus circulent depuis lundi.', '2002-11-14')).toEqual([['lundi', 'DATE', '2002-11-11']]);
	});
});

describe('French: anchored periods and parts of the day after «en» (worked examples)', () => {
	it('«la même année», «le même jour» are those of the date last named; «en soirée» that day’s evening', () => {
		expect(pick('Il a été élu en 1995. La même année, il a divorcé.', '2002-11-14')).toEqual([
			['1995', 'DATE', '1995'],
			['La même année', 'DATE', '1995']
		]);
		expect(pick('Le 3 mars 1998, il est parti. Le même jour, il a plu.', '2002-11-14')).toEqual([
			['Le 3 mars 1998', 'DATE', '1998-03-03'],
			['Le même jour', 'DATE', '1998-03-03']
		]);
		expect(pick('Hier, il a plu. En matinée, le ciel était gris; en soirée, il a neigé.', '2002-11-14')).toEqual([
			['Hier', 'DATE', '2002-11-13'],
			['matinée', 'TIME', '2002-11-13TMO'],
			['soirée', 'TIME', '2002-11-13TEV']
		]);
	});
});

describe('French: the guide’s clock times and durations in words (FR-TimeBank annotation guide, value tables)', () => {
	it('«trois heures et demie de l’après-midi» is T15:30, «deux heures moins dix» T01:50; «deux heures trente» PT2H30M, «deux heures et demie» PT2.5H', () => {
		expect(pick('La cérémonie a commencé à trois heures et demie de l’après-midi.', '2009-07-31')).toEqual([['trois heures et demie de l’après-midi', 'TIME', '2009-07-31T15:30']]);
		expect(pick('Il est parti à deux heures moins dix, rentré à deux heures du matin.', '2009-07-31')).toEqual([
			['deux heures moins dix', 'TIME', '2009-07-31T01:50'],
			['deux heures du matin', 'TIME', '2009-07-31T02:00']
		]);
		expect(pick('La réunion a duré deux heures trente, la suivante deux heures et demie.', '2009-07-31')).toEqual([
			['deux heures trente', 'DURATION', 'PT2H30M'],
			['deux heures et demie', 'DURATION', 'PT2.5H']
		]);
		// a fraction stays a fraction of its unit, as in the guide
		expect(pick('Il a passé un an et demi en prison.', '2009-07-31')).toEqual([['un an et demi', 'DURATION', 'P1.5Y']]);
		// «à 20 heures» alone is still a clock time, «deux heures de discussion» a duration
		expect(pick('Il a été jugé à 20 heures, après deux heures de discussion.', '2009-07-31')).toEqual([
			['20 heures', 'TIME', '2009-07-31T20:00'],
			['deux heures', 'DURATION', 'PT2H']
		]);
	});
});

describe('French: explicit directions, two-day shifts, nights between two dates, measures after «être de» (worked examples)', () => {
	it('«le 8 décembre dernier» is behind even three weeks before it comes round again; «prochains» after two days', () => {
		// Thursday 14 November 2002
		expect(pick('Le 8 décembre dernier, il a gagné.', '2002-11-14')).toEqual([['Le 8 décembre dernier', 'DATE', '2001-12-08']]);
		expect(pick('Les 14 et 15 décembre prochains, le marché ouvrira.', '2002-11-14')).toEqual([
			['14', 'DATE', '2002-12-14'],
			['15 décembre prochains', 'DATE', '2002-12-15']
		]);
	});

	it('«l’avant-veille», «le surlendemain»; «la nuit du 14 au 15 juillet»; «le bail est de neuf ans»', () => {
		expect(pick('Le 3 mars 2002, il a signé; l’avant-veille, il hésitait.', '2002-11-14')).toEqual([
			['Le 3 mars 2002', 'DATE', '2002-03-03'],
			['l’avant-veille', 'DATE', '2002-03-01']
		]);
		expect(pick('Le 3 mars 2002, il a signé; le surlendemain, il partait.', '2002-11-14')).toEqual([
			['Le 3 mars 2002', 'DATE', '2002-03-03'],
			['surlendemain', 'DATE', '2002-03-05']
		]);
		expect(pick('Dans la nuit du 14 au 15 juillet, des voitures ont brûlé.', '2002-11-14')).toEqual([['la nuit du 14 au 15 juillet', 'TIME', '2002-07-14TNI']]);
		expect(pick('Le bail est de neuf ans.', '2002-11-14')).toEqual([['neuf ans', 'DURATION', 'P9Y']]);
		expect(pick('Le semestre dernier, les ventes ont baissé; au siècle dernier, la ville était petite; cette décennie sera décisive.', '2002-11-14')).toEqual([
			['Le semestre dernier', 'DATE', '2002-H1'],
			['siècle dernier', 'DATE', '19XX'],
			['cette décennie', 'DATE', '200X']
		]);
		expect(pick('Noël dernier, il a neigé; la Toussaint prochaine, il ira au cimetière.', '2002-11-14')).toEqual([
			['Noël dernier', 'DATE', '2001-12-25'],
			['la Toussaint prochaine', 'DATE', '2003-11-01']
		]);
		// an age stays out: «un électricien de 37 ans.»
		expect(pick('Il a croisé un électricien de 37 ans.', '2002-11-14')).toEqual([]);
		expect(pick('Un garçon de 12 ans était blessé; une fillette de 8 ans, originaire de Metz, a disparu.', '2002-11-14')).toEqual([]);
		expect(pick('Un contrat de 3 ans a été signé.', '2002-11-14')).toEqual([['3 ans', 'DURATION', 'P3Y']]);
		// «les six premiers mois», as «les deux dernières semaines», a duration (the English «the first nine months»)
		expect(pick('Les six premiers mois de l’année ont été bons.', '2002-11-14')).toEqual([['Les six premiers mois', 'DURATION', 'P6M']]);
	});
});

describe('French: «ce week-end», «ce dimanche» by the tense (Monday 18 November 2002)', () => {
	it('a Monday paper’s «ce week-end» in the past is the one just gone, in the future the coming one', () => {
		expect(pick('Ce week-end, le club a gagné.', '2002-11-18')).toEqual([['Ce week-end', 'DATE', '2002-W46-WE']]);
		// the plural is a habit: every such day
		expect(pick('Le marché se tient les samedis et dimanches.', '2002-11-18')).toEqual([
			['les samedis', 'SET', 'XXXX-WXX-6'],
			['dimanches', 'SET', 'XXXX-WXX-7']
		]);
		expect(pick('Ce week-end, le club jouera à Metz.', '2002-11-18')).toEqual([['Ce week-end', 'DATE', '2002-W47-WE']]);
		// «ce dimanche» said on a Monday: the coming one in a future sentence, yesterday in the present
		expect(pick('Ce dimanche, le club jouera à Metz.', '2002-11-18')).toEqual([['Ce dimanche', 'DATE', '2002-11-24']]);
		expect(pick('Ce dimanche, le club joue à Metz.', '2002-11-18')).toEqual([['Ce dimanche', 'DATE', '2002-11-17']]);
		expect(pick('Ce dimanche, le club jouera à Metz.', '2002-11-17')).toEqual([['Ce dimanche', 'DATE', '2002-11-17']]);
	});
});

describe('French: reported speech and the verb right before a weekday (Thursday 14 November 2002)', () => {
	it('a quote keeps its own tense; a future, a future-in-the-past or a passive future right before the weekday sets it', () => {
		expect(pick('« Nous jouerons samedi contre Metz », a déclaré l’entraîneur.', '2002-11-14')).toEqual([['samedi', 'DATE', '2002-11-16']]);
		expect(pick('« Nous avons perdu samedi », a reconnu l’entraîneur, qui jouera mardi.', '2002-11-14')).toEqual([
			['samedi', 'DATE', '2002-11-09'],
			['mardi', 'DATE', '2002-11-19']
		]);
		expect(pick('L’entraîneur a déclaré que l’équipe jouerait samedi.', '2002-11-14')).toEqual([['samedi', 'DATE', '2002-11-16']]);
		expect(pick('Il sera jugé lundi.', '2002-11-14')).toEqual([['lundi', 'DATE', '2002-11-18']]);
		expect(pick('Il a été jugé lundi.', '2002-11-14')).toEqual([['lundi', 'DATE', '2002-11-11']]);
		// and before a day of a month
		expect(pick('La décision a été annoncée hier, le procès s’ouvrira le 3 février.', '2002-11-14')).toEqual([
			['hier', 'DATE', '2002-11-13'],
			['le 3 février', 'DATE', '2003-02-03']
		]);
		expect(pick('Le rapport publié le 3 octobre sera discuté demain.', '2002-11-14')).toEqual([
			['le 3 octobre', 'DATE', '2002-10-03'],
			['demain', 'DATE', '2002-11-15']
		]);
	});
});

describe('French sentence tense (what weekdays and months are resolved by)', () => {
	it('a future ending is a verb, not a name or a noun that ends the same way', () => {
		expect(frenchTense('La fête se déroulera dimanche')).toBe('future');
		expect(frenchTense('LA FÊTE SE DÉROULERA DIMANCHE')).toBe('future');
		expect(frenchTense('Le concert a lieu samedi à l’Opéra')).toBe('present');
		expect(frenchTense('Alexandra chante samedi avec Laura')).toBe('present');
		expect(frenchTense('Une caméra filme la place')).toBe('present');
		// «a lieu» is the present of an announcement, not a compound past; «a eu lieu» is one
		expect(frenchTense('La réunion a lieu jeudi')).toBe('present');
		expect(frenchTense('Il a du mal à suivre depuis lundi')).toBe('present');
		expect(frenchTense('La réunion a bien eu lieu jeudi')).toBe('past');
		expect(frenchTense('Il est parti mardi')).toBe('past');
		expect(frenchTense('Il fait partie du jury samedi')).toBe('present');
		expect(frenchTense('Il faisait froid samedi')).toBe('past');
		// a reported future is the event's tense, a stray future-looking word is not
		expect(frenchTense('Le maire a annoncé que les travaux commenceront en janvier')).toBe('future');
		expect(frenchTense('Le maire a annoncé le prochain budget')).toBe('past');
	});

	it('«être» in the present makes a past only with a verb of motion or state change, or a pronominal verb; else it is a passive in the present', () => {
		expect(frenchTense('Il est mort samedi')).toBe('past');
		expect(frenchTense('Elle est née à Metz')).toBe('past');
		expect(frenchTense('Ils sont revenus de Lyon')).toBe('past');
		expect(frenchTense('Elle s’est rendue à la préfecture')).toBe('past');
		expect(frenchTense('Les deux hommes se sont rencontrés')).toBe('past');
		expect(frenchTense('Il est accusé d’avoir volé une voiture')).toBe('past');
		expect(frenchTense('Les inscriptions sont ouvertes')).toBe('present');
		expect(frenchTense('Le verdict est attendu')).toBe('present');
		expect(frenchTense('L’exposition est ouverte au public')).toBe('present');
	});

	it('a limit in the present is ahead; «attendu», «prévu» right before a weekday set it ahead (Wednesday 12 March 2003)', () => {
		expect(pick('Les inscriptions sont ouvertes jusqu’au 30 avril.', '2003-03-12')).toEqual([['30 avril', 'DATE', '2003-04-30']]);
		expect(pick('Jusqu’à dimanche, l’exposition est ouverte.', '2003-03-12')).toEqual([['dimanche', 'DATE', '2003-03-16']]);
		expect(pick('Le verdict est attendu jeudi.', '2003-03-12')).toEqual([['jeudi', 'DATE', '2003-03-13']]);
		expect(pick('Le ministre est attendu mardi à Nancy.', '2003-03-12')).toEqual([['mardi', 'DATE', '2003-03-18']]);
		// a participle of the past right before the day still puts it behind
		expect(pick('L’accident survenu dimanche a fait deux blessés.', '2003-03-12')).toEqual([['dimanche', 'DATE', '2003-03-09']]);
		expect(pick('Il est mort samedi à l’hôpital.', '2003-03-12')).toEqual([['samedi', 'DATE', '2003-03-08']]);
	});
});

describe('English: the same normalisation classes (worked examples after the TimeML guidelines)', () => {
	it('a future sentence about a month gone this year is next year’s; every season is a SET', () => {
		expect(pick('The plant will close in January.', '2002-11-14', 'en')).toEqual([['January', 'DATE', '2003-01']]);
		expect(pick('The plant closed in January.', '2002-11-14', 'en')).toEqual([['January', 'DATE', '2002-01']]);
		expect(pick('The festival is held every summer.', '2002-11-14', 'en')).toEqual([['every summer', 'SET', 'XXXX-SU']]);
	});

	it('a clock time followed by its day is one TIME; «on weekends» is a SET', () => {
		// Thursday 14 November 2002
		expect(pick('He was arrested at 2 a.m. Sunday and released at 3:30 p.m. yesterday.', '2002-11-14', 'en')).toEqual([
			['2 a.m. Sunday', 'TIME', '2002-11-10T02:00'],
			['3:30 p.m. yesterday', 'TIME', '2002-11-13T15:30']
		]);
		expect(pick('The store is open on weekends.', '2002-11-14', 'en')).toEqual([['weekends', 'SET', 'XXXX-WXX-WE']]);
	});
});

describe('French: the nth weekday of a month or season, an hour with its part of the day, «écoulé» (worked examples; Tuesday 12 August 2003)', () => {
	it('«le premier dimanche de juillet», «le dernier dimanche d’octobre», «le dernier week-end de juin», «le premier dimanche du printemps»', () => {
		expect(pick('Le premier dimanche de juillet, la fête a lieu.', '2003-08-12')).toEqual([['Le premier dimanche de juillet', 'DATE', '2003-07-06']]);
		// a future sentence: October 2003 is still to come; 26 October 2003 is its last Sunday
		expect(pick('La fête aura lieu le dernier dimanche d’octobre.', '2003-08-12')).toEqual([['le dernier dimanche d’octobre', 'DATE', '2003-10-26']]);
		// Saturday 28 – Sunday 29 June 2003: ISO week 26
		expect(pick('Le dernier week-end de juin, le festival a commencé.', '2003-08-12')).toEqual([['Le dernier week-end de juin', 'DATE', '2003-W26-WE']]);
		// spring 2004 begins on Saturday 20 March: its first Sunday is the 21st (the development part's «l'an prochain … le premier dimanche du printemps»)
		expect(pick('Il sera renouvelé l’an prochain, soit le premier dimanche du printemps.', '2003-08-12')).toEqual([
			['l’an prochain', 'DATE', '2004'],
			['le premier dimanche du printemps', 'DATE', '2004-03-21']
		]);
		expect(pick('Le premier lundi de mars 2004, il partira.', '2003-08-12')).toEqual([['Le premier lundi de mars 2004', 'DATE', '2004-03-01']]);
		// «du mois»: the reference's month (12 August 2003 is its second Tuesday); the contracted «au» stays out
		expect(pick('Le conseil s’est réuni au deuxième mardi du mois.', '2003-08-12')).toEqual([['deuxième mardi du mois', 'DATE', '2003-08-12']]);
		// a fifth Monday February 2003 does not have: not that expression (the weekday and the month on their own)
		expect(pick('Le cinquième lundi de février 2003.', '2003-08-12').map((e) => e[0])).toEqual(['lundi', 'février 2003']);
	});

	it('«3 heures du matin» is a clock time even without «à»; «trois heures» alone stays a duration', () => {
		expect(pick('Il était 3 heures du matin.', '2003-08-12')).toEqual([['3 heures du matin', 'TIME', '2003-08-12T03:00']]);
		expect(pick('Vers cinq heures de l’après-midi, il est sorti.', '2003-08-12')).toEqual([['cinq heures de l’après-midi', 'TIME', '2003-08-12T17:00', 'APPROX']]);
		expect(pick('Il était deux heures de la nuit.', '2003-08-12')).toEqual([['deux heures de la nuit', 'TIME', '2003-08-12T02:00']]);
		expect(pick('Il est resté trois heures sans manger.', '2003-08-12')).toEqual([['trois heures', 'DURATION', 'PT3H']]);
	});

	it('«la semaine écoulée», «le mois écoulé», «l’année écoulée» are the last ones; «le troisième trimestre de l’année 2002»; «le week-end des 15 et 16 mars»', () => {
		expect(pick('Au cours de la semaine écoulée, les cours ont baissé.', '2003-08-12')).toEqual([['la semaine écoulée', 'DATE', '2003-W32']]);
		expect(pick('Le mois écoulé a été marqué par la grève.', '2003-08-12')).toEqual([['Le mois écoulé', 'DATE', '2003-07']]);
		expect(pick('L’année écoulée a été riche.', '2003-08-12')).toEqual([['L’année écoulée', 'DATE', '2002']]);
		expect(pick('Le troisième trimestre de l’année 2002 a été bon.', '2003-08-12')).toEqual([['Le troisième trimestre de l’année 2002', 'DATE', '2002-Q3']]);
		expect(pick('Le week-end des 15 et 16 mars, la foire aura lieu.', '2003-03-12')).toEqual([
			['15', 'DATE', '2003-03-15'],
			['16 mars', 'DATE', '2003-03-16']
		]);
	});

	it('an hour after «à partir de», «aux alentours de», or both ends of «entre … heures et … heures» is a clock time (Wednesday 12 March 2003)', () => {
		expect(pick('À partir de 14 heures, la circulation sera coupée.', '2003-03-12')).toEqual([['14 heures', 'TIME', '2003-03-12T14:00']]);
		expect(pick('Aux alentours de 15 heures, le cortège s’est ébranlé.', '2003-03-12')).toEqual([['15 heures', 'TIME', '2003-03-12T15:00', 'APPROX']]);
		expect(pick('Les bureaux ouvrent entre 8 heures et 10 heures.', '2003-03-12')).toEqual([
			['8 heures', 'TIME', '2003-03-12T08:00'],
			['10 heures', 'TIME', '2003-03-12T10:00']
		]);
		// how long, not when: one unit for both ends, a length of something, a letter before «à»
		expect(pick('Il a attendu entre 8 et 10 heures.', '2003-03-12')).toEqual([
			['8', 'DURATION', 'PT8H'],
			['10 heures', 'DURATION', 'PT10H']
		]);
		expect(pick('Il a fallu à partir de là 14 heures de route.', '2003-03-12')).toEqual([['14 heures', 'DURATION', 'PT14H']]);
		expect(pick('Il a déjà 3 heures de retard.', '2003-03-12')).toEqual([['3 heures', 'DURATION', 'PT3H']]);
	});

	it('a future sentence naming a day of the week just gone keeps this year’s (Wednesday 12 March 2003)', () => {
		expect(pick('La semaine du 10 mars sera chargée.', '2003-03-12')).toEqual([['10 mars', 'DATE', '2003-03-10']]);
		expect(pick('Le 10 mars prochain, il partira.', '2003-03-12')).toEqual([['Le 10 mars prochain', 'DATE', '2004-03-10']]);
		expect(pick('Le 2 mars, il partira.', '2003-03-12')).toEqual([['Le 2 mars', 'DATE', '2004-03-02']]);
	});

	it('a day something is moved to or set for is ahead: «reportée à jeudi», «repoussée à lundi» (Wednesday 12 March 2003)', () => {
		expect(pick('La réunion de lundi a été reportée à jeudi.', '2003-03-12')).toEqual([
			['lundi', 'DATE', '2003-03-10'],
			['jeudi', 'DATE', '2003-03-13']
		]);
		expect(pick('Les syndicats ont obtenu que la négociation soit repoussée à lundi.', '2003-03-12')).toEqual([['lundi', 'DATE', '2003-03-17']]);
		// without it, the past sentence sends the weekday back
		expect(pick('Les pompiers sont intervenus jeudi.', '2003-03-12')).toEqual([['jeudi', 'DATE', '2003-03-06']]);
	});

	it('the end of «de lundi à vendredi» is the first such day from the start; «près d’un an»; «pendant 48 h» (Wednesday 12 March 2003)', () => {
		expect(pick('De lundi à vendredi, le musée sera fermé.', '2003-03-12')).toEqual([
			['lundi', 'DATE', '2003-03-17'],
			['vendredi', 'DATE', '2003-03-21']
		]);
		expect(pick('Depuis près d’un an, il dirige le club.', '2003-03-12')).toEqual([['près d’un an', 'DURATION', 'P1Y', 'APPROX']]);
		expect(pick('Il a été placé en garde à vue pendant 48 h.', '2003-03-12')).toEqual([['48 h', 'DURATION', 'PT48H']]);
		expect(pick('Un délai de 72 h a été fixé.', '2003-03-12')).toEqual([['72 h', 'DURATION', 'PT72H']]);
		// a clock time, not a length: «de 9 h à midi», «depuis 9 h»
		expect(pick('Le bureau est ouvert de 9 h à midi.', '2003-03-12').map((e) => e[1])).not.toContain('DURATION');
	});
});
