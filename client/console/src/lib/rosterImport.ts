// A body's roster as CSV (id, name, faction, role): written out for editing, read back for
// `body.upsert`. Every bad line is reported with its number; a roster with any bad line is
// refused whole. Pure.
import type { z } from 'zod';
import { Body, Id, isSitting, MEMBER_ROLES, type Faction } from '../../../../protocol/model.ts';
import type { BodyView } from '../../../../protocol/views.ts';
import { oneOf } from '../../../../protocol/oneOf.ts';
import { parseCsv, toCsv } from './csv.ts';
import { refused, type ImportResult, type LineError } from './importErrors.ts';

type Role = (typeof MEMBER_ROLES)[number];
export type BodyInput = z.input<typeof Body>;

const COLUMNS = ['id', 'name', 'faction', 'role'] as const;
type Column = (typeof COLUMNS)[number];

const COLUMN_NAMES: Record<string, Column> = {
  id: 'id',
  'ідентифікатор': 'id',
  name: 'name',
  "ім'я": 'name',
  'ім’я': 'name',
  'піб': 'name',
  'прізвище, ім’я, по батькові': 'name',
  faction: 'faction',
  'фракція': 'faction',
  role: 'role',
  'роль': 'role',
};

const ROLE_NAMES: Record<string, Role> = {
  'голова': 'head',
  'міський голова': 'head',
  'депутат': 'deputy',
  'депутатка': 'deputy',
  'голова комісії': 'chair',
  'член': 'member',
  'член комісії': 'member',
  'секретар': 'secretary',
};

function roleFrom(text: string, fallback: Role): Role | undefined {
  const key = text.trim().toLowerCase();
  if (key === '') return fallback;
  return oneOf(MEMBER_ROLES, key) ? key : ROLE_NAMES[key];
}

/**
 * The current members as CSV with a header row, ready to edit in a spreadsheet and import
 * again. Members who left the body are not in it; an import keeps them as they are.
 */
export function rosterCsv(body: BodyView): string {
  return toCsv([[...COLUMNS], ...body.members.filter(isSitting).map((m) => [m.id, m.name, m.faction ?? '', m.role])]);
}

/**
 * Reads a roster for `body`. `factions` are the ones a member may belong to: the body's own,
 * or for a committee without its own, the council's. A faction may be named by id or by name.
 */
export function parseRoster(text: string, body: BodyView, factions: Faction[]): ImportResult<BodyInput> {
  const csv = parseCsv(text);
  if (!csv.ok) return refused([{ line: csv.line, key: 'console.import.unclosedQuote' }]);
  let rows = csv.rows;
  let columns: Column[] = [...COLUMNS];
  const first = rows[0];
  const named = first?.cells.map((c) => COLUMN_NAMES[c.trim().toLowerCase()]);
  if (first && named && named.every((c) => c !== undefined)) {
    columns = named;
    rows = rows.slice(1);
    for (const needed of ['id', 'name'] as const) {
      if (!columns.includes(needed)) return refused([{ line: first.line, key: 'console.import.missingColumn', params: { column: needed } }]);
    }
  }
  if (rows.length === 0) return refused([{ line: 1, key: 'console.import.empty' }]);

  const fallbackRole: Role = body.kind === 'council' ? 'deputy' : 'member';
  const factionOf = new Map<string, string>();
  for (const f of factions) {
    factionOf.set(f.id.toLowerCase(), f.id);
    factionOf.set(f.name.trim().toLowerCase(), f.id);
  }
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  const members: BodyInput['members'] = [];
  let head: { id: string; line: number } | null = null;
  let seated = 0;
  for (const row of rows) {
    if (row.cells.length > columns.length) {
      errors.push({ line: row.line, key: 'console.import.tooManyCells', params: { expected: columns.length } });
      continue;
    }
    const cell = (c: Column) => (row.cells[columns.indexOf(c)] ?? '').trim();
    const before = errors.length;
    const id = cell('id');
    const first = seen.get(id);
    if (!Id.safeParse(id).success) errors.push({ line: row.line, key: 'console.import.badId', params: { id } });
    else if (first !== undefined) errors.push({ line: row.line, key: 'console.import.duplicateId', params: { id, first } });
    seen.set(id, first ?? row.line);
    const name = cell('name');
    if (name === '' || name.length > 200) errors.push({ line: row.line, key: 'console.import.noName' });
    const factionText = cell('faction');
    const faction = factionText === '' ? null : factionOf.get(factionText.toLowerCase());
    if (faction === undefined) errors.push({ line: row.line, key: 'console.import.unknownFaction', params: { faction: factionText } });
    const role = roleFrom(cell('role'), fallbackRole);
    if (role === undefined) errors.push({ line: row.line, key: 'console.import.badRole', params: { role: cell('role') } });
    if (role === 'head') {
      if (head) errors.push({ line: row.line, key: 'console.import.secondHead', params: { first: head.line } });
      else head = { id, line: row.line };
    }
    // A council's head (the mayor) holds no deputy seat.
    if (!(body.kind === 'council' && role === 'head')) {
      seated += 1;
      if (seated === body.seats + 1) errors.push({ line: row.line, key: 'console.import.tooManyMembers', params: { seats: body.seats } });
    }
    if (errors.length === before && role !== undefined) members.push({ id, name, faction: faction ?? null, role });
  }
  // Those who left stay on the roster for the record, unless the file brings one back.
  for (const m of body.members) {
    if (!isSitting(m) && !seen.has(m.id)) members.push(m);
  }
  if (errors.length > 0) return refused(errors);
  const result: BodyInput = {
    id: body.id,
    kind: body.kind,
    name: body.name,
    seats: body.seats,
    head: head?.id ?? null,
    factions: body.factions,
    members,
    convocation: body.convocation ?? null,
    authorityId: body.authorityId ?? null,
    katottg: body.katottg ?? null,
  };
  // Every rule of the server's schema was checked line by line above; this is the last guard.
  const check = Body.safeParse(result);
  if (!check.success) {
    return refused(
      check.error.issues.map((issue) => {
        const index = issue.path[0] === 'members' && typeof issue.path[1] === 'number' ? issue.path[1] : 0;
        return { line: rows[index]?.line ?? 1, key: 'console.import.badField', params: { field: String(issue.path.at(-1) ?? 'members') } };
      }),
    );
  }
  return { ok: true, value: result };
}
