// The files a council's office opens: each open-data table as .xlsx read back by a library that
// did not write it (read-excel-file), the results for the minutes as .docx unzipped and read as
// text; formula-looking text neutralised in the CSVs only; and who may frame the page.
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../server/publish/openData.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import {
  closeLastVoteAndSitting,
  CORRECTION_REASON,
  DEMO_SITTING,
  DEPUTIES,
  LATE_CORRECTION_REASON,
  lateCorrection,
  openingAndFirstVote,
  openLastVote,
  run,
  secretBallot,
  shortVoteThenCorrection,
  TRICKY_SUBJECT,
  voteWithoutMayor,
} from './publishedSitting.ts';

const FORMULA_ITEM = '=HYPERLINK("http://evil.example/","Відкрити")';
const FORMULA_SUBJECTS = ['+380 (щодо тарифу)', '@SUM(A1)', '-1 пункт', '=2+2'];

let t: TestServer;
const api = (path: string) => `${t.url}/api/sittings/${path}`;
const bytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
const records = (text: string) => parse<Record<string, string>>(text, { bom: true, columns: true, relax_quotes: false });

beforeAll(async () => {
  t = await startTestServer({ demo: true, embedOrigins: ['https://zt-rada.example.ua'] });
  await run(t, [...openingAndFirstVote(), ...shortVoteThenCorrection(), ...secretBallot(), ...voteWithoutMayor(), ...openLastVote()]);
  await run(t, [...closeLastVoteAndSitting(), ...lateCorrection()]);
  // A second sitting whose item and subjects look like spreadsheet formulas.
  await run(t, [
    {
      type: 'sitting.create',
      sitting: { id: 'formulas', bodyId: 'council', title: 'Сесія з формулами', room: 'plenary', scheduledAt: '2026-12-11T10:00:00+02:00', agenda: [{ id: 'f1', number: '1', title: FORMULA_ITEM }] },
    },
    { type: 'sitting.open', sittingId: 'formulas' },
    { type: 'attendance.set', sittingId: 'formulas', memberIds: DEPUTIES.slice(0, 30), present: true },
    ...FORMULA_SUBJECTS.flatMap((subject, i) => [
      { type: 'vote.open' as const, sittingId: 'formulas', voteId: `f${i}`, subject },
      { type: 'vote.close' as const, sittingId: 'formulas', voteId: `f${i}` },
    ]),
    { type: 'item.start', sittingId: 'formulas', itemId: 'f1' },
    { type: 'vote.open', sittingId: 'formulas', voteId: 'fi', subject: 'в цілому' },
    { type: 'vote.close', sittingId: 'formulas', voteId: 'fi' },
  ]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('.xlsx of the open-data tables', () => {
  it('has the CSV columns, numbers as numbers, times as dates in the council’s time, and a frozen header', async () => {
    const csv = records(await (await fetch(api(`${DEMO_SITTING}/motions.csv`))).text());
    const res = await fetch(api(`${DEMO_SITTING}/motions.xlsx`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${DEMO_SITTING}-motions.xlsx"`);
    const file = Buffer.from(await res.arrayBuffer());
    const [header, ...rows] = await readSheet(file);
    expect(header).toEqual(Object.keys(csv[0]!));
    expect(rows).toHaveLength(csv.length);
    rows.forEach((row, r) => {
      header!.forEach((column, c) => {
        const value = row[c];
        const text = csv[r]![String(column)]!;
        if (column === 'date') {
          // A date cell holding the wall-clock time the CSV writes with its offset.
          expect(value).toBeInstanceOf(Date);
          // (A spreadsheet's date is a fraction of a day: rounded to the second, as spreadsheets show it.)
          const seconds = Math.round((value as unknown as Date).getTime() / 1000) * 1000;
          expect(new Date(seconds).toISOString().slice(0, 19)).toBe(text.slice(0, 19));
        } else if (['votingFor', 'votingAgainst', 'votingAbstain', 'notVoting', 'absent'].includes(String(column))) {
          expect(value, String(column)).toBe(Number(text));
        } else {
          expect(value ?? '', String(column)).toBe(text);
        }
      });
    });
    const sheet = await (await JSZip.loadAsync(file)).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  });

  it('holds the same per-member rows as votings.csv', async () => {
    const csv = records(await (await fetch(api(`${DEMO_SITTING}/votings.csv`))).text());
    const [header, ...rows] = await readSheet(await bytes(api(`${DEMO_SITTING}/votings.xlsx`)));
    expect(header).toEqual(['motionUid', 'voterId', 'voterName', 'motionTitle', 'result']);
    expect(rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])))).toEqual(csv);
  });
});

describe('.docx of the results for the minutes', () => {
  let text: string;
  beforeAll(async () => {
    const res = await fetch(api(`${DEMO_SITTING}/minutes.docx`));
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = await (await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))).file('word/document.xml')!.async('string');
    // Paragraphs and cells on their own lines, markup dropped, entities decoded.
    text = xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  });
  const section = (from: string, to?: string) => text.slice(text.indexOf(from), to ? text.indexOf(to) : undefined);

  it('lists each vote with its subject, rule, required number, counts and result, in the page’s order', () => {
    const headings = [...text.matchAll(/^№ (\d)\. (.*)$/gm)].map((m) => [m[1], m[2]]);
    expect(headings).toEqual([
      ['1', 'Про затвердження порядку денного'],
      ['2', TRICKY_SUBJECT],
      ['3', 'Обрання секретаря ради'],
      ['4', 'Про перерву'],
      ['5', 'Про закриття пленарного засідання'],
    ]);
    const v2 = section(`№ 2. ${TRICKY_SUBJECT}`, '№ 3.');
    expect(v2).toContain("Питання порядку денного 7: Про другу чергу безбар'єрного маршруту проєкту «Рух без бар'єрів» (283/6)");
    expect(v2).toContain('Правило: Більшість від загального складу');
    expect(v2).toContain('Потрібно «за»: 22 із 43');
    expect(v2).toContain('За — 22, проти — 8, утрималися — 1, не голосували — 8, відсутні — 4.');
    expect(v2).toContain('Результат: Прийнято');
    expect(section('№ 4.', '№ 5.')).toContain('Результат: Не прийнято');
  });

  it('lists the members by faction as the page does, a corrected choice with its original', () => {
    const v1 = section('№ 1.', '№ 2.');
    const groups = ['Голова', 'Рідне місто', 'Громада разом', 'Європейський вибір', 'Зелене місто', 'Позафракційні'].map((g) => v1.indexOf(`\n${g}\n`));
    expect(groups.every((at, i) => at > 0 && (i === 0 || at > groups[i - 1]!))).toBe(true);
    expect(v1).toContain('Головченко Михайло Петрович\nЗа');
    expect(v1).toMatch(/Мельник Ольга Андріївна\nЗа \(виправлено: було «Не голосував»\)/);
    expect(section(`№ 2.`, '№ 3.')).toMatch(/Поліщук Василь Вікторович\nЗа \(виправлено: було «Проти»\)/);
    // The mayor had left before vote 4: not in its list.
    expect(section('№ 4.', '№ 5.')).not.toContain('Головченко');
    // A secret ballot: totals only, no member named.
    const v3 = section('№ 3.', '№ 4.');
    expect(v3).toContain('Таємне голосування: оприлюднюються лише підсумки.');
    expect(v3).not.toContain('Тимошенко');
  });

  it('lists the corrections with their reasons', () => {
    const corrections = section('Виправлення після закриття голосування');
    expect(corrections).toContain(CORRECTION_REASON);
    expect(corrections).toContain(LATE_CORRECTION_REASON);
    expect(corrections).toContain('Поліщук Василь Вікторович\nПроти\nЗа');
  });
});

describe('text that looks like a formula', () => {
  it('is neutralised as OWASP advises for =, +, -, @, tab and CR, and only those', () => {
    for (const cell of ['=1+2', '+380', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Про бюджет', '1-2', "'=x", ' =x', '']) expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('reaches no spreadsheet as a formula from the CSVs, and stays as written everywhere else', async () => {
    const motions = records(await (await fetch(api('formulas/motions.csv'))).text());
    expect(motions.map((m) => m.text)).toEqual([...FORMULA_SUBJECTS.map((s) => `'${s}`), 'в цілому']);
    expect(motions.map((m) => m.title)).toEqual([...FORMULA_SUBJECTS.map((s) => `'${s}`), `'${FORMULA_ITEM} — в цілому`]);
    const votings = records(await (await fetch(api('formulas/votings.csv'))).text());
    expect(new Set(votings.map((v) => v.motionTitle!.charAt(0)))).toEqual(new Set(["'"]));
    expect(votings.filter((v) => v.motionUid === 'formulas/fi')[0]!.motionTitle).toBe(`'${FORMULA_ITEM} — в цілому`);
    // The workbook's cells are text, never formulas: kept exactly.
    const [, ...rows] = await readSheet(await bytes(api('formulas/motions.xlsx')));
    expect(rows.map((r) => r[17])).toEqual([...FORMULA_SUBJECTS, 'в цілому']);
    const sheet = await (await JSZip.loadAsync(await bytes(api('formulas/motions.xlsx')))).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).not.toContain('<f>');
    const json = (await (await fetch(api('formulas/votes.json'))).json()) as { vote_events: { motion: { '+subject': string; text: string } }[] };
    expect(json.vote_events.map((e) => e.motion['+subject'])).toEqual([...FORMULA_SUBJECTS, 'в цілому']);
    expect(json.vote_events.at(-1)!.motion.text).toBe(`${FORMULA_ITEM} — в цілому`);
    const page = await (await fetch(`${t.url}/sittings/formulas/votes`)).text();
    expect(page).toContain('=HYPERLINK(&quot;http://evil.example/&quot;,&quot;Відкрити&quot;)');
    expect(page).toContain('@SUM(A1)');
  });
});

describe('framing the published page', () => {
  it('is allowed to the origins of RADACAST_EMBED_ORIGINS only, and to none by default', async () => {
    const res = await fetch(`${t.url}/sittings/${DEMO_SITTING}/votes`);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors https://zt-rada.example.ua;');
    expect(res.headers.get('x-frame-options')).toBeNull();
    const other = await startTestServer({ demo: true });
    try {
      const page = await fetch(`${other.url}/sittings/${DEMO_SITTING}/votes`);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none';");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      await other.close();
    }
  });
});
