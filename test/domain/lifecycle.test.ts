// The state machines: sitting scheduled → live → closed; agenda item pending → current → done;
// vote open → closed; the agenda fixed once an item has started.
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import {
  PLENARY,
  castAll,
  closeSitting,
  closeVote,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  startItem,
} from '../support/givenWhenThen.ts';

const statuses = (record: ReturnType<typeof demoCouncil>) => Object.fromEntries(record.sitting().agenda.map((i) => [i.id, i.status]));
const agendaOf = (ids: string[]): CommandInput => ({
  type: 'agenda.set',
  sittingId: PLENARY,
  agenda: ids.map((id, n) => ({ id, number: n + 1, title: `Питання ${id}` })),
});

describe('a sitting', () => {
  it('goes scheduled → live → closed, stamping each moment', () => {
    const record = demoCouncil();
    expect(record.sitting()).toMatchObject({ status: 'scheduled', openedAt: null, closedAt: null });
    record.at = '2026-12-10T08:00:00.000Z';
    record.given(openSitting());
    expect(record.sitting()).toMatchObject({ status: 'live', openedAt: '2026-12-10T08:00:00.000Z', closedAt: null });
    record.at = '2026-12-10T13:00:00.000Z';
    record.given(closeSitting());
    expect(record.sitting()).toMatchObject({ status: 'closed', openedAt: '2026-12-10T08:00:00.000Z', closedAt: '2026-12-10T13:00:00.000Z' });
  });

  it('takes registrations before it opens', () => {
    const record = demoCouncil().given(register(deputies(22)));
    expect(record.sitting()).toMatchObject({ status: 'scheduled', quorum: { met: true } });
  });
});

describe('agenda items', () => {
  it('go pending → current → done; starting the next finishes the previous', () => {
    const record = demoCouncil().given(openSitting());
    expect(new Set(Object.values(statuses(record)))).toEqual(new Set(['pending']));
    record.at = '2026-12-10T08:05:00.000Z';
    record.given(startItem('i1'));
    expect(record.sitting().currentItemId).toBe('i1');
    expect(record.sitting().agenda[0]).toMatchObject({ status: 'current', startedAt: '2026-12-10T08:05:00.000Z' });
    record.given(startItem('i3'));
    expect(statuses(record)).toMatchObject({ i1: 'done', i2: 'pending', i3: 'current' });
    // Out of order is allowed; an item already on is a no-op.
    expect(record.run(startItem('i3'))).toEqual([]);
    record.given(startItem('i2'));
    expect(statuses(record)).toMatchObject({ i1: 'done', i2: 'current', i3: 'done', i4: 'pending' });
  });

  it('finish the current item when the sitting closes, leaving the rest pending', () => {
    const record = demoCouncil().given(openSitting(), startItem('i1'), startItem('i2'), closeSitting());
    expect(statuses(record)).toMatchObject({ i1: 'done', i2: 'done', i3: 'pending', i8: 'pending' });
    expect(record.sitting().currentItemId).toBeNull();
  });

  it('lend their id and rule to the vote opened while they are on', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), startItem('i8'), openVote('v'));
    expect(record.vote('v')).toMatchObject({ itemId: 'i8', rule: 'two-thirds-of-composition' });
  });
});

describe('the agenda', () => {
  it('can be replaced before the sitting and after opening while no item started', () => {
    const record = demoCouncil().given(agendaOf(['a', 'b']));
    expect(record.sitting().agenda.map((i) => [i.id, i.status, i.rule])).toEqual([
      ['a', 'pending', 'majority-of-composition'],
      ['b', 'pending', 'majority-of-composition'],
    ]);
    record.given(openSitting(), agendaOf(['x', 'y', 'z']));
    expect(record.sitting().agenda.map((i) => i.id)).toEqual(['x', 'y', 'z']);
  });

  it('is refused once an item has started', () => {
    const record = demoCouncil().given(openSitting(), startItem('i1'));
    record.refused(agendaOf(['x']), 'agenda-started');
  });

  it('is refused once a vote was held on one of its items, so the vote keeps its item', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), openVote('v', { itemId: 'i3' }), closeVote('v'));
    record.refused(agendaOf(['x']), 'agenda-started');
    expect(record.sitting().agenda.map((i) => i.id)).toContain(record.vote('v').itemId);
  });

  it('can still be replaced after a vote that belongs to no item', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), openVote('procedure'), closeVote('procedure'), agendaOf(['x']));
    expect(record.sitting().agenda.map((i) => i.id)).toEqual(['x']);
  });
});

describe('a vote', () => {
  it('goes open → closed, with a result only once closed', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), openVote('v'), ...castAll('v', deputies(22), 'for'));
    expect(record.vote('v')).toMatchObject({ status: 'open', result: null, closedAt: null });
    record.given(closeVote('v'));
    expect(record.vote('v')).toMatchObject({ status: 'closed', result: 'adopted' });
    // With the vote closed the next one may open, and the sitting may close.
    record.given(openVote('w'), closeVote('w'), closeSitting());
    expect(record.sitting().votes.map((v) => [v.id, v.status, v.result])).toEqual([
      ['v', 'closed', 'adopted'],
      ['w', 'closed', 'rejected'],
    ]);
  });
});
