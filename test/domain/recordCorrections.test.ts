// Slips that reached the record — a sitting's details, an agenda item's, a member's name, a
// secret ballot's totals — are corrected with a reason once the sitting opened, and stay
// visible: the event keeps the value it replaced, the view lists every correction.
import { describe, expect, it } from 'vitest';
import { Command } from '../../protocol/commands.ts';
import {
  PLENARY,
  cancel,
  castAll,
  closeSitting,
  closeVote,
  correctItem,
  correctName,
  correctSitting,
  correctTally,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  startItem,
  tally,
} from '../support/givenWhenThen.ts';

const REASON = 'Описка секретаріату, звірено з оригіналом';
const LATER = '2026-12-11T09:00:00.000Z';

/** The plenary held and closed: item i2 voted on (v, roll-call, adopted), a secret ballot s. */
function heldAndClosed() {
  const record = demoCouncil().given(
    openSitting(),
    register(['mayor', ...deputies(30)]),
    startItem('i2'),
    openVote('v', { stage: 'whole', subject: '' }),
    ...castAll('v', deputies(25), 'for'),
    closeVote('v'),
    openVote('s', { itemId: null, ballot: 'secret', subject: 'Обрання секретаря ради' }),
    tally('s', 25, 3, 2),
    closeVote('s'),
    closeSitting(),
  );
  record.at = LATER;
  return record;
}

describe('correcting an agenda item after it was voted on', () => {
  it('changes the item and the titles of its votes, keeping the original in the event and the view', () => {
    const record = heldAndClosed();
    const before = record.sitting().agenda.find((i) => i.id === 'i2')!;
    const title = 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2028 роки';
    const events = record.run(correctItem('i2', { title, draftNumber: '283/1', rapporteur: 'Управління по зв’язках з громадськістю' }));
    // Only what changed is recorded: the draft number was already 283/1.
    expect(events).toEqual([
      {
        type: 'item.corrected',
        itemId: 'i2',
        from: { title: before.title, rapporteur: before.rapporteur },
        to: { title, rapporteur: 'Управління по зв’язках з громадськістю' },
        reason: REASON,
      },
    ]);
    expect(record.sitting().agenda.find((i) => i.id === 'i2')).toMatchObject({ title, draftNumber: '283/1', status: 'done' });
    expect(record.vote('v').title).toBe(`${title} — в цілому`);
    expect(record.sitting().corrections).toEqual([
      { target: 'item', id: 'i2', field: 'title', from: before.title, to: title, reason: REASON, at: LATER },
      { target: 'item', id: 'i2', field: 'rapporteur', from: before.rapporteur, to: 'Управління по зв’язках з громадськістю', reason: REASON, at: LATER },
    ]);
    // Counts and result of its votes stay as closed.
    expect(record.vote('v')).toMatchObject({ counts: { for: 25 }, result: 'adopted' });
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('clears a draft number given by mistake, also while the sitting is live', () => {
    const record = demoCouncil().given(openSitting(), correctItem('i2', { draftNumber: null }));
    expect(record.sitting().agenda.find((i) => i.id === 'i2')!.draftNumber).toBeNull();
    expect(record.sitting().corrections).toEqual([expect.objectContaining({ field: 'draftNumber', from: '283/1', to: null })]);
  });

  it('refuses a correction that changes nothing, before the sitting opened, or of an unknown item', () => {
    const record = heldAndClosed();
    const item = record.sitting().agenda.find((i) => i.id === 'i2')!;
    record.refused(correctItem('i2', { title: item.title, number: item.number }), 'no-change');
    record.refused(correctItem('i99', { title: 'Інше' }), 'not-found');
    demoCouncil().refused(correctItem('i2', { title: 'Інше' }), 'sitting-not-live');
    demoCouncil().given(cancel()).refused(correctItem('i2', { title: 'Інше' }), 'sitting-cancelled');
  });
});

describe('correcting a sitting’s details after it opened', () => {
  it('changes title, session and date with the originals kept, live or closed', () => {
    const record = heldAndClosed();
    const before = record.sitting();
    const events = record.run(correctSitting({ title: 'Пленарне засідання 68 сесії VIII скликання', session: '68 сесія', scheduledAt: before.scheduledAt }));
    expect(events).toEqual([
      {
        type: 'sitting.corrected',
        from: { title: before.title, session: before.session },
        to: { title: 'Пленарне засідання 68 сесії VIII скликання', session: '68 сесія' },
        reason: REASON,
      },
    ]);
    expect(record.sitting()).toMatchObject({ title: 'Пленарне засідання 68 сесії VIII скликання', session: '68 сесія', status: 'closed' });
    expect(record.sitting().corrections?.map((c) => [c.target, c.id, c.field])).toEqual([
      ['sitting', null, 'title'],
      ['sitting', null, 'session'],
    ]);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('refuses one that changes nothing, and sends a scheduled sitting to sitting.update', () => {
    const record = heldAndClosed();
    record.refused(correctSitting({ title: record.sitting().title }), 'no-change');
    demoCouncil().refused(correctSitting({ title: 'Інша назва' }), 'sitting-not-live');
  });
});

describe('correcting a member’s name in a sitting’s record', () => {
  it('renames the member in this sitting’s roster only, with the misspelt name kept', () => {
    const record = heldAndClosed();
    const before = record.sitting().roster.find((m) => m.id === 'd03')!;
    const events = record.run(correctName('d03', 'Коваленко Олена Петрівна'));
    expect(events).toEqual([{ type: 'member.corrected', memberId: 'd03', from: before.name, to: 'Коваленко Олена Петрівна', reason: REASON }]);
    expect(record.sitting().roster.find((m) => m.id === 'd03')).toMatchObject({ name: 'Коваленко Олена Петрівна', faction: before.faction });
    expect(record.sitting().corrections).toEqual([
      { target: 'member', id: 'd03', field: 'name', from: before.name, to: 'Коваленко Олена Петрівна', reason: REASON, at: LATER },
    ]);
    // The body's roster is the registry's (the console corrects it there too, with body.upsert).
    expect(record.world.registry.bodies.get('council')!.members.find((m) => m.id === 'd03')!.name).toBe(before.name);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('refuses the same name, a name of blanks, and someone not on the roster', () => {
    const record = heldAndClosed();
    const name = record.sitting().roster.find((m) => m.id === 'd03')!.name;
    record.refused(correctName('d03', name), 'no-change');
    record.refused(correctName('nobody', 'Хтось'), 'not-a-member');
    expect(Command.safeParse(correctName('d03', '   ')).success).toBe(false);
  });
});

describe('correcting a closed secret ballot’s totals', () => {
  it('recomputes counts and result from the corrected totals, keeping the first ones visible', () => {
    const record = heldAndClosed();
    expect(record.vote('s')).toMatchObject({ counts: { for: 25, against: 3, abstain: 2, notVoting: 1, absent: 12 }, result: 'adopted' });
    const events = record.run(correctTally('s', 20, 8, 2));
    expect(events).toEqual([
      {
        type: 'tally.corrected',
        voteId: 's',
        from: { for: 25, against: 3, abstain: 2 },
        to: { for: 20, against: 8, abstain: 2 },
        reason: REASON,
        outcome: expect.objectContaining({ counts: { for: 20, against: 8, abstain: 2, notVoting: 1, absent: 12 }, result: 'rejected', required: 22 }),
      },
    ]);
    // Never a per-member choice, in the event's outcome or the view.
    expect(events[0]).not.toHaveProperty('outcome.choices');
    const view = record.vote('s');
    expect(view).toMatchObject({ counts: { for: 20, against: 8, abstain: 2, notVoting: 1, absent: 12 }, result: 'rejected', composition: 43 });
    expect(view).not.toHaveProperty('choices');
    expect(view.tallyCorrections).toEqual([{ from: { for: 25, against: 3, abstain: 2 }, to: { for: 20, against: 8, abstain: 2 }, reason: REASON, at: LATER }]);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('refuses the same totals, more than were present, a roll-call vote, an open vote, and a member’s choice', () => {
    const record = heldAndClosed();
    record.refused(correctTally('s', 25, 3, 2), 'no-change');
    record.refused(correctTally('s', 25, 5, 2), 'tally-exceeds-present');
    record.refused(correctTally('v', 25, 0, 0), 'wrong-ballot');
    const open = demoCouncil().given(openSitting(), register(deputies(30)), openVote('s2', { ballot: 'secret', subject: 'Обрання' }), tally('s2', 20, 0, 0));
    open.refused(correctTally('s2', 21, 0, 0), 'vote-not-closed');
    // A secret ballot takes no per-member correction either.
    expect(Command.safeParse({ ...correctTally('s', 20, 8, 2), memberId: 'd01' }).data).not.toHaveProperty('memberId');
    record.refused({ type: 'vote.correct', sittingId: PLENARY, voteId: 's', memberId: 'd01', choice: 'for', reason: REASON }, 'wrong-ballot');
  });
});

describe('every correction needs a reason', () => {
  it.each([
    ['sitting.correct', correctSitting({ title: 'Інша назва' }, '  ')],
    ['item.correct', correctItem('i2', { title: 'Інша назва' }, '')],
    ['member.correct', correctName('d03', 'Інше ім’я', ' a ')],
    ['tally.correct', correctTally('s', 1, 1, 1, '')],
  ])('%s without one is refused at the edge', (_type, command) => {
    expect(Command.safeParse(command).success).toBe(false);
  });

  it('and something to correct', () => {
    expect(Command.safeParse({ type: 'item.correct', sittingId: PLENARY, itemId: 'i2', reason: REASON }).success).toBe(false);
    expect(Command.safeParse({ type: 'sitting.correct', sittingId: PLENARY, reason: REASON }).success).toBe(false);
  });
});
