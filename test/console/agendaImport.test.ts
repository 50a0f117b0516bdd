// Reading an agenda the clerk pastes or uploads: numbered lines, CSV, JSON. Every bad line is
// reported with its number and nothing is imported.
import { describe, expect, it } from 'vitest';
import { agendaCsv, detectAgendaFormat, explainAgendaFormat, parseAgenda } from '../../client/console/src/lib/agendaImport.ts';
import { parseCsv } from '../../client/console/src/lib/csv.ts';
import { parseJsonWithLines } from '../../client/console/src/lib/jsonWithLines.ts';
import type { ImportResult, LineError } from '../../client/console/src/lib/importErrors.ts';
import { demoCommands } from '../../server/demo/loadDemo.ts';
import { message } from '../../protocol/messages.ts';

function errorsOf<T>(result: ImportResult<T>): { line: number; text: string }[] {
  if (result.ok) throw new Error('expected the import to be refused');
  return result.errors.map((e: LineError) => ({ line: e.line, text: message(e.key, 'uk', { ...e.params, line: e.line }) }));
}

describe('numbered lines', () => {
  it('reads numbers in the usual forms, skips blank lines and takes a rule from a trailing tag', () => {
    const result = parseAgenda(
      ['1. Про затвердження порядку денного', '', '2) Про бюджет міста на 2027 рік', '12.1. Про зміни до програми «Енергодім»', '13 Про подолання вето [2/3]', '14. Процедурне питання [присутніх]'].join('\n'),
    );
    expect(result).toEqual({
      ok: true,
      value: [
        { id: 'i1', number: '1', title: 'Про затвердження порядку денного', draftNumber: null, rapporteur: null, rule: 'majority-of-composition', documentUrl: null },
        { id: 'i2', number: '2', title: 'Про бюджет міста на 2027 рік', draftNumber: null, rapporteur: null, rule: 'majority-of-composition', documentUrl: null },
        { id: 'i3', number: '12.1', title: 'Про зміни до програми «Енергодім»', draftNumber: null, rapporteur: null, rule: 'majority-of-composition', documentUrl: null },
        { id: 'i4', number: '13', title: 'Про подолання вето', draftNumber: null, rapporteur: null, rule: 'two-thirds-of-composition', documentUrl: null },
        { id: 'i5', number: '14', title: 'Процедурне питання', draftNumber: null, rapporteur: null, rule: 'majority-of-present', documentUrl: null },
      ],
    });
  });

  it('names every line without a number and every repeated number, and imports nothing', () => {
    const result = parseAgenda(['1. Перше питання', 'Друге питання без номера', '3. Третє', '', '3. Ще раз третє', '4.'].join('\r\n'));
    expect(errorsOf(result)).toEqual([
      { line: 2, text: 'Рядок 2: немає номера питання (очікується, наприклад, «1. Назва питання»).' },
      { line: 5, text: 'Рядок 5: номер «3» уже є в рядку 3.' },
      { line: 6, text: 'Рядок 6: немає номера питання (очікується, наприклад, «1. Назва питання»).' },
    ]);
  });

  it('keeps a bracket that names no rule as part of the title', () => {
    const result = parseAgenda('1. Про звіт [проєкт № 5]');
    expect(result.ok && result.value[0]).toMatchObject({ title: 'Про звіт [проєкт № 5]', rule: 'majority-of-composition', documentUrl: null });
  });
});

describe('CSV', () => {
  it('reads a semicolon file with Ukrainian headers, quoted cells and a line break inside a quote', () => {
    const csv = ['\uFEFFномер;назва;проєкт;доповідач;правило', '1;"Про бюджет; зміни";283/1;Фінансове управління;', '2;"Про вето', '(повторний розгляд)";283/7;;2/3', '3;Різне;;;більшість присутніх'].join('\n');
    expect(detectAgendaFormat(csv)).toBe('csv');
    const result = parseAgenda(csv);
    expect(result.ok && result.value).toEqual([
      { id: 'i1', number: '1', title: 'Про бюджет; зміни', draftNumber: '283/1', rapporteur: 'Фінансове управління', rule: 'majority-of-composition', documentUrl: null },
      { id: 'i2', number: '2', title: 'Про вето\n(повторний розгляд)', draftNumber: '283/7', rapporteur: null, rule: 'two-thirds-of-composition', documentUrl: null },
      { id: 'i3', number: '3', title: 'Різне', draftNumber: null, rapporteur: null, rule: 'majority-of-present', documentUrl: null },
    ]);
  });

  it("reads the link to the draft decision's text (the open-data textUrl) and refuses one that is not a web address", () => {
    const csv = ['number,title,draftNumber,documentUrl', '1,Про бюджет,283/1,https://rada.example.ua/proekty/283-1.pdf', '2,Про вето,283/7,ftp://x/y'].join('\n');
    expect(errorsOf(parseAgenda(csv))).toEqual([{ line: 3, text: 'Рядок 3: неправильне значення в полі «documentUrl».' }]);
    const good = parseAgenda('№;назва;документ\n1;Про бюджет;https://rada.example.ua/proekty/283-1.pdf');
    expect(good.ok && good.value[0]).toMatchObject({ documentUrl: 'https://rada.example.ua/proekty/283-1.pdf' });
  });

  it('reports each bad row by the line it starts on, after a multi-line cell', () => {
    const csv = ['number,title,rule', '1,"Довга назва,', 'у два рядки",', '2,,', '3,Третє,три чверті', '4,Четверте,,зайве'].join('\n');
    expect(errorsOf(parseAgenda(csv))).toEqual([
      { line: 4, text: 'Рядок 4: немає назви питання.' },
      { line: 5, text: 'Рядок 5: невідоме правило «три чверті» (можна: більшість, 2/3, присутніх).' },
      { line: 6, text: 'Рядок 6: забагато значень (стовпців: 3).' },
    ]);
  });

  it('refuses an unknown column and a missing title column on the header line', () => {
    expect(errorsOf(parseAgenda('number,назва,колір\n1,Перше,синій', 'csv'))).toEqual([{ line: 1, text: 'Рядок 1: невідомий стовпець «колір».' }]);
    expect(errorsOf(parseAgenda('number,rule\n1,2/3', 'csv'))).toEqual([{ line: 1, text: 'Рядок 1: немає стовпця «title».' }]);
    expect(errorsOf(parseAgenda('number,title\n1,"не закрито', 'csv'))).toEqual([{ line: 2, text: 'Рядок 2: лапки не закрито.' }]);
  });

  it('writes the agenda as CSV that reads back unchanged (the editor starts from it)', () => {
    const demo = demoCommands().find((c) => c.type === 'sitting.create');
    const agenda = demo?.type === 'sitting.create' ? parseAgenda(JSON.stringify(demo.sitting.agenda)) : null;
    if (!agenda?.ok) throw new Error('demo agenda did not parse');
    expect(parseAgenda(agendaCsv(agenda.value))).toEqual({ ok: true, value: agenda.value });
    expect(agenda.value).toHaveLength(8);
    expect(agenda.value[7]).toMatchObject({ id: 'i8', rule: 'two-thirds-of-composition', draftNumber: '283/7' });
  });
});

describe('JSON', () => {
  it('reads a list or {agenda: […]} and reports a bad item on the line it starts', () => {
    const json = ['{', '  "agenda": [', '    { "number": 1, "title": "Перше" },', '    {', '      "number": "2",', '      "title": "Друге",', '      "rule": "half"', '    },', '    "третє"', '  ]', '}'].join('\n');
    expect(errorsOf(parseAgenda(json))).toEqual([
      { line: 4, text: 'Рядок 4: невідоме правило «half» (можна: більшість, 2/3, присутніх).' },
      { line: 9, text: 'Рядок 9: питання має бути об’єктом JSON.' },
    ]);
    const good = parseAgenda('[{"id":"budget","number":1,"title":"Бюджет","rule":"2/3"}]');
    expect(good).toEqual({
      ok: true,
      value: [{ id: 'budget', number: '1', title: 'Бюджет', draftNumber: null, rapporteur: null, rule: 'two-thirds-of-composition', documentUrl: null }],
    });
  });

  it('names the line of a syntax error', () => {
    expect(errorsOf(parseAgenda('[\n  {"number": 1, "title": "Перше"},\n  {"number": 2 "title": "Друге"}\n]'))).toEqual([
      { line: 3, text: 'Рядок 3: помилка у форматі JSON.' },
    ]);
    expect(parseJsonWithLines('{"a": [1, 2,]}')).toEqual({ ok: false, line: 1 });
    const parsed = parseJsonWithLines('[\n1,\n\n"x\\n\\u0041"]');
    expect(parsed.ok && parsed.value).toEqual([1, 'x\nA']);
    expect(parsed.ok && parsed.elementLines(parsed.value as unknown[])).toEqual([2, 4]);
  });

  it('refuses duplicate and malformed ids', () => {
    expect(errorsOf(parseAgenda('[{"id":"a","number":1,"title":"x"},{"id":"a","number":2,"title":"y"},{"id":"б","number":3,"title":"z"}]'))).toEqual([
      { line: 1, text: 'Рядок 1: ідентифікатор «a» уже є в рядку 1.' },
      { line: 1, text: 'Рядок 1: ідентифікатор «б» неприпустимий (латинські літери, цифри, «-», «_», «.»).' },
    ]);
  });
});

describe('csv reader', () => {
  it('detects the delimiter and keeps the starting line of each row', () => {
    expect(parseCsv('a\tb\n\n1\t2\n')).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['a', 'b'] },
        { line: 3, cells: ['1', '2'] },
      ],
    });
    expect(parseCsv('x,"say ""hi"""\r\n2,3')).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['x', 'say "hi"'] },
        { line: 2, cells: ['2', '3'] },
      ],
    });
  });
});

describe('explaining a refused import', () => {
  it('says which format the text was read as, and why, and shows the text of each failed line', () => {
    const pasted = ['Номер | Назва', '1 | Про бюджет'].join('\n');
    expect(detectAgendaFormat(pasted)).toBe('lines');
    const note = explainAgendaFormat(pasted, 'lines', false);
    expect(message(note.key, 'uk', note.params)).toBe(
      'Формат: нумеровані рядки — перший рядок «Номер | Назва» не є заголовком CSV зі стовпцем «назва» (або «title»), тож кожен рядок читається як «1. Назва питання [2/3]».',
    );
    const result = parseAgenda(pasted);
    expect(!result.ok && result.errors.map((e) => [e.line, e.text])).toEqual([[1, 'Номер | Назва']]);
    const csv = 'номер;назва;правило\n1;Про бюджет;половина';
    expect(message(explainAgendaFormat(csv, 'csv', false).key, 'uk', explainAgendaFormat(csv, 'csv', false).params)).toBe(
      'Формат: CSV — перший рядок «номер;назва;правило» є заголовком зі стовпцем назви.',
    );
    const bad = parseAgenda(csv);
    expect(!bad.ok && bad.errors.map((e) => [e.line, e.text])).toEqual([[2, '1; Про бюджет; половина']]);
    expect(message(explainAgendaFormat(csv, 'json', true).key, 'uk')).toBe('Формат обрано вручну: JSON.');
  });

  it('reads the draft decision’s link (the open-data textUrl) and writes it back', () => {
    const csv = 'номер;назва;посилання\n1;Про бюджет;https://rada.example/d/283';
    const result = parseAgenda(csv);
    expect(result.ok && result.value[0]?.documentUrl).toBe('https://rada.example/d/283');
    expect(result.ok && parseAgenda(agendaCsv(result.value))).toEqual(result);
  });
});
