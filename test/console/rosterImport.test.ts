// A body's roster as CSV (id, name, faction, role): written for editing, read back for
// body.upsert; every bad line is named and nothing is imported.
import { describe, expect, it } from 'vitest';
import { Body } from '../../protocol/model.ts';
import { message } from '../../protocol/messages.ts';
import type { BodyView } from '../../protocol/views.ts';
import { parseRoster, rosterCsv } from '../../client/console/src/lib/rosterImport.ts';
import { demoCommands } from '../../server/demo/loadDemo.ts';

const bodies = demoCommands().flatMap((c) => (c.type === 'body.upsert' ? [Body.parse(c.body) as BodyView] : []));
const council = bodies.find((b) => b.kind === 'council')!;
const committee = bodies.find((b) => b.kind === 'committee')!;

function errorsOf(result: ReturnType<typeof parseRoster>): string[] {
  if (result.ok) throw new Error('expected the roster to be refused');
  return result.errors.map((e) => message(e.key, 'uk', { ...e.params, line: e.line }));
}

describe('roster CSV', () => {
  it('writes the roster and reads it back unchanged', () => {
    const result = parseRoster(rosterCsv(council), council, council.factions);
    expect(result.ok && result.value).toEqual({
      id: council.id,
      kind: 'council',
      name: council.name,
      seats: 42,
      head: 'mayor',
      factions: council.factions,
      members: council.members,
      convocation: council.convocation,
      authorityId: council.authorityId,
      katottg: council.katottg,
    });
  });

  it('leaves out a member who left the body, and keeps that member on the roster when the file is imported', () => {
    const withRetired = { ...council, members: council.members.map((m) => (m.id === 'd42' ? { ...m, until: '2026-12-20' } : m)) };
    const csv = rosterCsv(withRetired);
    expect(csv).not.toContain('d42');
    const result = parseRoster(csv, withRetired, council.factions);
    expect(result.ok && result.value.members.find((m) => m.id === 'd42')).toMatchObject({ until: '2026-12-20' });
    expect(result.ok && result.value.members).toHaveLength(council.members.length);
  });

  it('reads a file without a header, factions by name, roles in Ukrainian and the council default role', () => {
    const csv = ['mayor;Головченко Михайло Петрович;;голова', 'd01;Тимошенко Віктор Романович;Рідне місто;', 'd02;Тимошенко Тарас Петрович;ridne-misto;депутат', 'x9;Новенька Олена;;'].join('\n');
    const result = parseRoster(csv, council, council.factions);
    expect(result.ok && result.value.head).toBe('mayor');
    expect(result.ok && result.value.members).toEqual([
      { id: 'mayor', name: 'Головченко Михайло Петрович', faction: null, role: 'head' },
      { id: 'd01', name: 'Тимошенко Віктор Романович', faction: 'ridne-misto', role: 'deputy' },
      { id: 'd02', name: 'Тимошенко Тарас Петрович', faction: 'ridne-misto', role: 'deputy' },
      { id: 'x9', name: 'Новенька Олена', faction: null, role: 'deputy' },
    ]);
  });

  it('names every bad line and imports nothing', () => {
    const csv = [
      'id,name,faction,role',
      'd01,Тимошенко Віктор Романович,ridne-misto,deputy',
      'd02,Тимошенко Тарас Петрович,Невідома фракція,deputy',
      'д03,Кирилиця в ідентифікаторі,,deputy',
      'd01,Повтор,,deputy',
      'd05,,,deputy',
      'd06,Хтось,,мер',
      'mayor,Головченко,,head',
      'mayor2,Ще один голова,,head',
    ].join('\n');
    expect(errorsOf(parseRoster(csv, council, council.factions))).toEqual([
      'Рядок 3: невідома фракція «Невідома фракція».',
      'Рядок 4: ідентифікатор «д03» неприпустимий (латинські літери, цифри, «-», «_», «.»).',
      'Рядок 5: ідентифікатор «d01» уже є в рядку 2.',
      'Рядок 6: немає імені (до 200 знаків).',
      'Рядок 7: невідома роль «мер» (можна: голова, депутат, голова комісії, член, секретар).',
      'Рядок 9: голову вже вказано в рядку 8.',
    ]);
  });

  it('refuses more members than seats on the first line past the seats', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `m${i + 1},Член ${i + 1},,member`);
    expect(errorsOf(parseRoster(rows.join('\n'), committee, council.factions))).toEqual(['Рядок 8: членів більше, ніж місць (7).']);
  });

  it('lets a committee use the council’s factions', () => {
    const result = parseRoster('d36,Гуменюк Микола Вікторович,Зелене місто,chair', committee, council.factions);
    expect(result.ok && result.value.members).toEqual([{ id: 'd36', name: 'Гуменюк Микола Вікторович', faction: 'zelene-misto', role: 'chair' }]);
  });
});
