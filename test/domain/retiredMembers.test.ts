// A member who leaves the council (mandate ended, `until` set) stays on the body's roster for
// the record but is not in the composition of a sitting opened or created from then on; every
// sitting opened before keeps its roster, names included. A head who has left is refused.
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import { Body } from '../../protocol/model.ts';
import type { Body as BodyValue } from '../../protocol/model.ts';
import { PLENARY, closeSitting, demoCouncil, openSitting } from '../support/givenWhenThen.ts';

const councilOf = (record: ReturnType<typeof demoCouncil>): BodyValue => record.world.registry.bodies.get('council')!;

function retire(body: BodyValue, memberId: string, until = '2026-12-20'): CommandInput {
  return { type: 'body.upsert', body: { ...body, members: body.members.map((m) => (m.id === memberId ? { ...m, until } : m)) } };
}

const nextSitting: CommandInput = {
  type: 'sitting.create',
  sitting: { id: 's68', bodyId: 'council', title: 'Пленарне засідання 68 сесії', room: 'plenary', scheduledAt: '2027-01-20T10:00:00+02:00' },
};

describe('a member who left the council', () => {
  it('stays in the sittings held before, and is not in the composition of later ones', () => {
    const record = demoCouncil().given(openSitting(), closeSitting());
    const held = record.sitting(PLENARY);
    record.given(retire(councilOf(record), 'd42'), nextSitting);

    expect(councilOf(record).members.find((m) => m.id === 'd42')).toMatchObject({ name: held.roster.find((m) => m.id === 'd42')!.name, until: '2026-12-20' });
    expect(record.sitting(PLENARY).roster).toEqual(held.roster);
    const later = record.sitting('s68');
    expect(later.roster.map((m) => m.id)).not.toContain('d42');
    expect(later.roster).toHaveLength(held.roster.length - 1);
    // The seat stays in the statutory composition (a vacant seat counts as absent).
    expect(later.body.seats).toBe(42);
  });

  it('drops out of a sitting scheduled before the retirement when that sitting opens', () => {
    const record = demoCouncil();
    expect(record.sitting(PLENARY).roster.map((m) => m.id)).toContain('d41');
    record.given(retire(councilOf(record), 'd41'), openSitting());
    expect(record.sitting(PLENARY).roster.map((m) => m.id)).not.toContain('d41');
  });

  it('frees a seat: a successor can join a full council', () => {
    const record = demoCouncil();
    const council = councilOf(record);
    const retired = retire(council, 'd42') as { body: BodyValue };
    const full = { ...retired.body, members: [...retired.body.members, { id: 'd43', name: 'Наступник Н. Н.', faction: null, role: 'deputy' as const }] };
    expect(Body.safeParse(full).success).toBe(true);
    const overfull = { ...council, members: [...council.members, { id: 'd43', name: 'Наступник Н. Н.', faction: null, role: 'deputy' as const }] };
    expect(Body.safeParse(overfull).success).toBe(false);
  });

  it('cannot be the head', () => {
    const council = councilOf(demoCouncil());
    const parsed = Body.safeParse((retire(council, council.head!) as { body: BodyValue }).body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['head']);
  });
});
