// Reading an agenda the clerk pastes or uploads: numbered lines ("1. Про бюджет… [2/3]"), CSV
// with a header row, or JSON (a list of items, or {agenda:[…]}). Every bad line is reported
// with its number; an agenda with any bad line is refused whole. Pure.
import { AgendaItem, Id, type AgendaItem as Item } from '../../../../protocol/model.ts';
import { parseCsv, toCsv } from './csv.ts';
import { present } from '../../../../protocol/present.ts';
import { quoted, refused, type ImportNote, type ImportResult, type LineError } from './importErrors.ts';
import { parseJsonWithLines } from './jsonWithLines.ts';
import { ruleFrom } from './rules.ts';

export type AgendaFormat = 'lines' | 'csv' | 'json';

/** One item as read from a line, before checking. */
interface RawItem {
  line: number;
  /** The line's text, shown next to its error. */
  source: string;
  id?: string;
  number: string;
  title: string;
  draftNumber?: string;
  rapporteur?: string;
  rule?: string;
  documentUrl?: string;
}

export const MAX_AGENDA_ITEMS = 500;

/** JSON when it starts like JSON; CSV when the first line is a header naming a title column; else numbered lines. */
export function detectAgendaFormat(text: string): AgendaFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[') || start.startsWith('{')) return 'json';
  const first = (start.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  const cells = first.split(/[;,\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  return cells.length > 1 && cells.some((c) => COLUMN_NAMES[c] === 'title') ? 'csv' : 'lines';
}

/**
 * Which format the text is read as, and why: chosen by the clerk, or detected (JSON by its
 * first character, CSV by a header naming a title column, else numbered lines).
 */
export function explainAgendaFormat(text: string, format: AgendaFormat, chosen: boolean): ImportNote {
  if (chosen) return { key: `console.import.chosen.${format}` };
  const first = quoted(text.replace(/^\uFEFF/, '').trimStart().split(/\r?\n/, 1)[0] ?? '');
  return { key: `console.import.detected.${format}`, params: { first } };
}

/** What a reader found: the items it could read, and the lines it could not. */
interface Read {
  items: RawItem[];
  errors: LineError[];
}

export function parseAgenda(text: string, format: AgendaFormat = detectAgendaFormat(text)): ImportResult<Item[]> {
  const read = format === 'json' ? readJson(text) : format === 'csv' ? readCsv(text) : readLines(text);
  if (read.items.length === 0 && read.errors.length === 0) return refused([{ line: 1, key: 'console.import.empty' }]);
  const checked = checkItems(read.items);
  const errors = [...read.errors, ...checked.errors];
  return errors.length > 0 ? refused(errors) : { ok: true, value: checked.items };
}

// ---- numbered lines ----

const NUMBERED = /^(\d[\dA-Za-zА-ЯҐЄІЇа-яґєії./-]{0,19}?)[.)]?\s+(.*)$/u;
const RULE_TAG = /\s*\[([^\]]*)\]\s*$/;

function readLines(text: string): Read {
  const items: RawItem[] = [];
  const errors: LineError[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const content = raw.trim();
      if (content === '') return;
      const m = NUMBERED.exec(content);
      if (!m) return void errors.push({ line, key: 'console.import.noNumber', text: quoted(content) });
      let title = present(m[2], 'the title NUMBERED captures').trim();
      let rule: string | undefined;
      const tag = RULE_TAG.exec(title);
      const tagged = tag ? present(tag[1], 'the rule RULE_TAG captures') : undefined;
      if (tag && tagged !== undefined && ruleFrom(tagged) !== undefined) {
        rule = tagged;
        title = title.slice(0, tag.index).trim();
      }
      items.push({ line, source: content, number: present(m[1], 'the number NUMBERED captures'), title, ...(rule !== undefined ? { rule } : {}) });
    });
  return { items, errors };
}

// ---- CSV ----

const COLUMN_NAMES: Record<string, keyof Omit<RawItem, 'line'>> = {
  id: 'id',
  number: 'number',
  'номер': 'number',
  '№': 'number',
  title: 'title',
  'назва': 'title',
  'питання': 'title',
  draftnumber: 'draftNumber',
  draft: 'draftNumber',
  'проєкт': 'draftNumber',
  'проект': 'draftNumber',
  'номер проєкту': 'draftNumber',
  rapporteur: 'rapporteur',
  'доповідач': 'rapporteur',
  rule: 'rule',
  'правило': 'rule',
  documenturl: 'documentUrl',
  'документ': 'documentUrl',
  'текст проєкту': 'documentUrl',
  url: 'documentUrl',
  'посилання': 'documentUrl',
  'текст рішення': 'documentUrl',
};

function readCsv(text: string): Read {
  const csv = parseCsv(text);
  if (!csv.ok) return { items: [], errors: [{ line: csv.line, key: 'console.import.unclosedQuote' }] };
  const [header, ...rows] = csv.rows;
  if (!header) return { items: [], errors: [] };
  const columns = header.cells.map((c) => COLUMN_NAMES[c.trim().toLowerCase()]);
  const errors: LineError[] = [];
  header.cells.forEach((c, i) => {
    if (columns[i] === undefined) errors.push({ line: header.line, key: 'console.import.unknownColumn', params: { column: c.trim() } });
  });
  for (const needed of ['number', 'title'] as const) {
    if (!columns.includes(needed)) errors.push({ line: header.line, key: 'console.import.missingColumn', params: { column: needed } });
  }
  if (errors.length > 0) return { items: [], errors };
  const items: RawItem[] = [];
  for (const row of rows) {
    const source = row.cells.join('; ');
    if (row.cells.length > columns.length) {
      errors.push({ line: row.line, key: 'console.import.tooManyCells', params: { expected: columns.length }, text: quoted(source) });
      continue;
    }
    const item: RawItem = { line: row.line, source, number: '', title: '' };
    row.cells.forEach((cell, i) => {
      const value = cell.trim();
      // Every column is known by now (an unknown one was refused above).
      const field = columns[i];
      if (value !== '' && field !== undefined) item[field] = value;
    });
    items.push(item);
  }
  return { items, errors };
}

// ---- JSON ----

const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function readJson(source: string): Read {
  const json = parseJsonWithLines(source);
  if (!json.ok) return { items: [], errors: [{ line: json.line, key: 'console.import.badJson' }] };
  const root = json.value;
  const list = Array.isArray(root) ? root : typeof root === 'object' && root !== null && 'agenda' in root ? root.agenda : undefined;
  if (!Array.isArray(list)) return { items: [], errors: [{ line: 1, key: 'console.import.jsonShape' }] };
  const lines = json.elementLines(list);
  const errors: LineError[] = [];
  const items: RawItem[] = [];
  list.forEach((element, i) => {
    const line = lines[i] ?? 1;
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      return void errors.push({ line, key: 'console.import.notAnItem' });
    }
    const e = new Map<string, unknown>(Object.entries(element));
    const item: RawItem = { line, source: JSON.stringify(element), number: scalar(e.get('number')) ?? '', title: scalar(e.get('title')) ?? '' };
    let good = true;
    for (const field of ['id', 'draftNumber', 'rapporteur', 'rule', 'documentUrl'] as const) {
      const value = e.get(field);
      if (value === undefined || value === null) continue;
      const t = scalar(value);
      if (t === undefined) {
        errors.push({ line, key: 'console.import.badField', params: { field } });
        good = false;
      } else item[field] = t;
    }
    if (good) items.push(item);
  });
  return { items, errors };
}

// ---- checks common to every format ----

function checkItems(raw: RawItem[]): { items: Item[]; errors: LineError[] } {
  const errors: LineError[] = [];
  const firstTooMany = raw[MAX_AGENDA_ITEMS];
  if (firstTooMany) {
    errors.push({ line: firstTooMany.line, key: 'console.import.tooMany', params: { max: MAX_AGENDA_ITEMS } });
  }
  const numbers = new Map<string, number>();
  const given = new Set(raw.flatMap((r) => (r.id ? [r.id] : [])));
  const ids = new Map<string, number>();
  let nextId = 1;
  const items: Item[] = [];
  for (const r of raw) {
    const before = errors.length;
    const number = r.number.trim();
    const numberFirst = numbers.get(number);
    if (number === '') errors.push({ line: r.line, key: 'console.import.noNumber', text: quoted(r.source) });
    else if (numberFirst !== undefined) {
      errors.push({ line: r.line, key: 'console.import.duplicateNumber', params: { number, first: numberFirst }, text: quoted(r.source) });
    } else numbers.set(number, r.line);
    if (r.title.trim() === '') errors.push({ line: r.line, key: 'console.import.noTitle', text: quoted(r.source) });
    const rule = ruleFrom(r.rule ?? '');
    if (rule === undefined) errors.push({ line: r.line, key: 'console.import.badRule', params: { rule: r.rule ?? '' }, text: quoted(r.source) });
    let id = r.id?.trim();
    const idFirst = id === undefined ? undefined : ids.get(id);
    if (id !== undefined && !Id.safeParse(id).success) {
      errors.push({ line: r.line, key: 'console.import.badId', params: { id }, text: quoted(r.source) });
    } else if (id !== undefined && idFirst !== undefined) {
      errors.push({ line: r.line, key: 'console.import.duplicateId', params: { id, first: idFirst }, text: quoted(r.source) });
    }
    if (id === undefined) {
      while (given.has(`i${nextId}`) || ids.has(`i${nextId}`)) nextId += 1;
      id = `i${nextId}`;
    }
    ids.set(id, r.line);
    if (errors.length > before) continue;
    const parsed = AgendaItem.safeParse({
      id,
      number,
      title: r.title,
      draftNumber: r.draftNumber ?? null,
      rapporteur: r.rapporteur ?? null,
      rule,
      documentUrl: r.documentUrl ?? null,
    });
    if (!parsed.success) {
      for (const field of new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'item')))) {
        errors.push({ line: r.line, key: 'console.import.badField', params: { field }, text: quoted(r.source) });
      }
    } else items.push(parsed.data);
  }
  // Each item passed the server's own schema, ids and count were checked: agenda.set accepts it.
  return { items, errors };
}

// ---- writing ----

const CSV_COLUMNS = ['number', 'title', 'draftNumber', 'rapporteur', 'rule', 'id', 'documentUrl'] as const;

/** The agenda as CSV with a header row: what the editor starts from, and reads back unchanged. */
export function agendaCsv(items: Item[]): string {
  return toCsv([[...CSV_COLUMNS], ...items.map((i) => CSV_COLUMNS.map((c) => i[c] ?? ''))]);
}
