// The agenda during the sitting: items inserted after it was adopted, items not yet started
// moved, items postponed and taken up again — each change an event in the log and an entry in
// the agenda history; the pending pieces of an open vote add up with the rest to N.
import { describe, expect, it } from 'vitest';
import {
  AT,
  castAll,
  closeSitting,
  closeVote,
  demoCouncil,
  deputies,
  insertItem,
  moveItem,
  openSitting,
  openVote,
  postpone,
  register,
  startItem,
} from '../support/givenWhenThen.ts';

const order = (record: ReturnType<typeof demoCouncil>) => record.sitting().agenda.map((i) => i.id);
const quorate = () => demoCouncil().given(openSitting(), register(deputies(30)), startItem('i1'));

describe('inserting an item after the agenda was adopted', () => {
  it('places it after the given item, at the start with null, at the end when left out', () => {
    const record = quorate();
    expect(record.run(insertItem('x1', 'i2'))).toEqual([expect.objectContaining({ type: 'agenda.inserted', after: 'i2' })]);
    record.given(insertItem('x2', null), insertItem('x3'));
    expect(order(record)).toEqual(['x2', 'i1', 'i2', 'x1', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'x3']);
    expect(record.sitting().agenda.find((i) => i.id === 'x1')).toMatchObject({ status: 'pending', number: 'дx1', rule: 'majority-of-composition' });
    // The event names the place it resolved, so replay never depends on the agenda's length.
    expect(record.log.at(-1)?.event).toMatchObject({ type: 'agenda.inserted', after: 'i8' });
    expect(record.sitting().agendaHistory).toEqual([
      { at: AT, kind: 'inserted', itemId: 'x1', after: 'i2' },
      { at: AT, kind: 'inserted', itemId: 'x2', after: null },
      { at: AT, kind: 'inserted', itemId: 'x3', after: 'i8' },
    ]);
  });

  it('can be taken up and voted on like any other item', () => {
    const record = quorate().given(insertItem('x1', 'i1'), startItem('x1'), openVote('v', { stage: 'whole', subject: '' }));
    expect(record.vote('v')).toMatchObject({ itemId: 'x1', title: 'Додаткове питання x1 — в цілому' });
  });
});

describe('moving items not yet started', () => {
  it('reorders the pending ones and records the move', () => {
    const record = quorate();
    record.given(moveItem('i5', 'i1'), moveItem('i8', null));
    expect(order(record)).toEqual(['i8', 'i1', 'i5', 'i2', 'i3', 'i4', 'i6', 'i7']);
    expect(record.sitting().agendaHistory.map((c) => [c.kind, c.itemId, c.after])).toEqual([
      ['moved', 'i5', 'i1'],
      ['moved', 'i8', null],
    ]);
    // A move to where the item already is records nothing.
    expect(record.run(moveItem('i5', 'i1'))).toEqual([]);
  });

  it('works before the sitting opens too', () => {
    const record = demoCouncil().given(moveItem('i1', 'i2'));
    expect(order(record).slice(0, 2)).toEqual(['i2', 'i1']);
  });
});

describe('postponing and resuming', () => {
  it('sets the current item aside, and item.start takes it up again later', () => {
    const record = quorate();
    record.at = '2026-12-10T10:10:00.000Z';
    expect(record.run(postpone('i1'))).toEqual([{ type: 'item.postponed', itemId: 'i1' }]);
    expect(record.sitting()).toMatchObject({ currentItemId: null });
    expect(record.sitting().agenda[0]).toMatchObject({ id: 'i1', status: 'postponed' });
    record.given(startItem('i2'), openVote('v', { stage: 'whole', subject: '' }), ...castAll('v', deputies(22), 'for'), closeVote('v'));
    record.at = '2026-12-10T11:00:00.000Z';
    // Coming back to the postponed item finishes the current one, as always.
    record.given(startItem('i1'));
    const agenda = record.sitting().agenda;
    expect(agenda.find((i) => i.id === 'i1')).toMatchObject({ status: 'current', startedAt: '2026-12-10T11:00:00.000Z' });
    expect(agenda.find((i) => i.id === 'i2')).toMatchObject({ status: 'done' });
    expect(record.sitting().agendaHistory).toEqual([
      { at: '2026-12-10T10:10:00.000Z', kind: 'postponed', itemId: 'i1' },
      { at: '2026-12-10T11:00:00.000Z', kind: 'resumed', itemId: 'i1' },
    ]);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('postpones a pending item, can move it, and leaves it postponed when the sitting closes', () => {
    const record = quorate().given(postpone('i3'), moveItem('i3', 'i8'));
    expect(record.run(postpone('i3'))).toEqual([]);
    record.given(closeSitting());
    const agenda = record.sitting().agenda;
    expect(agenda.at(-1)).toMatchObject({ id: 'i3', status: 'postponed' });
    expect(agenda.find((i) => i.id === 'i1')).toMatchObject({ status: 'done' });
  });
});

describe('pending choices while a vote is open', () => {
  it('add up with every other count to N at each step, and become "not voting" at the close', () => {
    const record = quorate().given(register(['mayor']), openVote('v', { stage: 'whole', subject: '' }));
    const total = () => {
      const { counts } = record.vote('v');
      return counts.for + counts.against + counts.abstain + counts.notVoting + counts.absent + counts.pending;
    };
    expect(record.vote('v').counts).toEqual({ for: 0, against: 0, abstain: 0, notVoting: 0, absent: 12, pending: 31 });
    expect(total()).toBe(43);
    record.given(...castAll('v', deputies(10), 'for'), ...castAll('v', ['d11'], 'not-voting'));
    expect(record.vote('v').counts).toMatchObject({ for: 10, notVoting: 1, pending: 20 });
    expect(total()).toBe(43);
    record.given(closeVote('v'));
    expect(record.vote('v').counts).toMatchObject({ for: 10, notVoting: 21, pending: 0 });
    expect(total()).toBe(43);
  });

  it('count a secret ballot as pending until its totals are entered', () => {
    const record = quorate().given(openVote('s', { ballot: 'secret', subject: 'Обрання секретаря ради' }));
    expect(record.vote('s').counts).toMatchObject({ notVoting: 0, pending: 30, absent: 12 });
    record.given({ type: 'vote.tally', sittingId: 'demo-plenary', voteId: 's', for: 20, against: 5, abstain: 1 });
    expect(record.vote('s').counts).toMatchObject({ for: 20, notVoting: 4, pending: 0 });
  });
});
