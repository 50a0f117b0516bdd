// Counting a roll-call vote: abstentions, "did not vote", absences, choices not entered yet
// (pending while open); attendance during an open vote; closed votes frozen; corrections visible
// with their reason.
import { describe, expect, it } from 'vitest';
import type { Counts } from '../../protocol/views.ts';
import {
  AT,
  cast,
  castAll,
  closeVote,
  correct,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  unregister,
} from '../support/givenWhenThen.ts';

const sum = (c: Counts): number => c.for + c.against + c.abstain + c.notVoting + c.absent + c.pending;

/** Mayor and d01–d25 registered; d01–d15 for, d16–d20 against, d21–d23 abstain; d24, d25 and the mayor silent. */
function castVote() {
  return demoCouncil().given(
    openSitting(),
    register(['mayor', ...deputies(25)]),
    openVote('v'),
    ...castAll('v', deputies(15), 'for'),
    ...castAll('v', deputies(20).slice(15), 'against'),
    ...castAll('v', deputies(23).slice(20), 'abstain'),
  );
}

describe('counting a roll-call vote', () => {
  it('counts present-but-silent as pending while open and as not voting once closed, unregistered as absent, adding up to N', () => {
    const record = castVote();
    const open = record.vote('v');
    expect(open.counts).toEqual({ for: 15, against: 5, abstain: 3, notVoting: 0, absent: 17, pending: 3 });
    expect(sum(open.counts)).toBe(43);
    expect(open.choices).toMatchObject({ d01: 'for', d16: 'against', d21: 'abstain', d24: 'pending', mayor: 'pending', d26: 'absent', d42: 'absent' });
    expect(Object.keys(open.choices ?? {})).toHaveLength(43);

    record.given(closeVote('v'));
    expect(record.vote('v')).toMatchObject({
      status: 'closed',
      closedAt: AT,
      composition: 43,
      required: 22,
      counts: { for: 15, against: 5, abstain: 3, notVoting: 3, absent: 17, pending: 0 },
      result: 'rejected',
      corrections: [],
    });
    expect(record.vote('v').choices).toMatchObject({ d24: 'not-voting', mayor: 'not-voting' });
  });

  it('records an explicit "did not vote" as a choice, and lets a later cast replace an earlier one', () => {
    const record = castVote().given(cast('v', 'd24', 'not-voting'), cast('v', 'd16', 'for'));
    expect(record.vote('v').counts).toEqual({ for: 16, against: 4, abstain: 3, notVoting: 1, absent: 17, pending: 2 });
    expect(record.vote('v').choices).toMatchObject({ d24: 'not-voting', d25: 'pending' });
    // Repeating the same choice records nothing new.
    expect(record.run(cast('v', 'd16', 'for'))).toEqual([]);
  });

  it('makes a member who is unregistered during an open vote absent, and drops the cast', () => {
    const record = castVote().given(unregister(['d01', 'd16']));
    const view = record.vote('v');
    expect(view.choices).toMatchObject({ d01: 'absent', d16: 'absent' });
    expect(view.counts).toEqual({ for: 14, against: 4, abstain: 3, notVoting: 0, absent: 19, pending: 3 });
    // Coming back does not bring the old choice back: the member has to vote again.
    record.given(register(['d01']));
    expect(record.vote('v').choices?.d01).toBe('pending');
    expect(sum(record.vote('v').counts)).toBe(43);
  });

  it('follows the mayor in and out of the composition while the vote is open', () => {
    const record = castVote().given(cast('v', 'mayor', 'for'));
    expect(record.vote('v')).toMatchObject({ composition: 43, counts: { for: 16 } });
    record.given(unregister(['mayor']));
    const view = record.vote('v');
    expect(view).toMatchObject({ composition: 42, required: 22, counts: { for: 15, absent: 17 } });
    expect(view.choices).not.toHaveProperty('mayor');
    expect(sum(view.counts)).toBe(42);
  });

  it('never changes a closed vote when attendance changes later', () => {
    const record = castVote().given(closeVote('v'));
    const closed = record.vote('v');
    record.given(unregister(deputies(10)), register(deputies(40)), unregister(['mayor']));
    expect(record.vote('v')).toEqual(closed);
  });
});

describe('corrections after the close', () => {
  const adopted = () =>
    demoCouncil().given(openSitting(), register(deputies(30)), openVote('v'), ...castAll('v', deputies(22), 'for'), cast('v', 'd23', 'against'), closeVote('v'));

  it('recomputes counts and result and keeps the correction visible with its reason', () => {
    const record = adopted();
    expect(record.vote('v')).toMatchObject({ result: 'adopted', counts: { for: 22, against: 1 } });
    record.at = '2026-12-10T12:30:00.000Z';
    const reason = 'Депутат d01 письмово заявив, що голосував «проти»';
    const events = record.run(correct('v', 'd01', 'against', reason));
    expect(events).toEqual([expect.objectContaining({ type: 'vote.corrected', voteId: 'v', memberId: 'd01', from: 'for', to: 'against', reason })]);
    const view = record.vote('v');
    expect(view).toMatchObject({
      status: 'closed',
      composition: 42,
      required: 22,
      counts: { for: 21, against: 2, abstain: 0, notVoting: 7, absent: 12 },
      result: 'rejected',
    });
    expect(view.choices?.d01).toBe('against');
    expect(view.corrections).toEqual([{ memberId: 'd01', from: 'for', to: 'against', reason, at: '2026-12-10T12:30:00.000Z' }]);
  });

  it('can correct "did not vote" into a choice and keeps every correction in order', () => {
    const record = adopted().given(correct('v', 'd30', 'abstain'), correct('v', 'd30', 'for'));
    expect(record.vote('v').counts).toEqual({ for: 23, against: 1, abstain: 0, notVoting: 6, absent: 12, pending: 0 });
    expect(record.vote('v').corrections?.map((c) => [c.from, c.to])).toEqual([
      ['not-voting', 'abstain'],
      ['abstain', 'for'],
    ]);
  });

  it('still accepts a correction after the sitting closes', () => {
    const record = adopted().given({ type: 'sitting.close', sittingId: 'demo-plenary' }, correct('v', 'd23', 'for'));
    expect(record.vote('v')).toMatchObject({ counts: { for: 23, against: 0 }, result: 'adopted' });
  });

  it('refuses a correction to the choice already recorded, with no-change', () => {
    adopted().refused(correct('v', 'd01', 'for'), 'no-change');
    adopted().refused(correct('v', 'd35', 'absent'), 'no-change');
  });
});

describe('vacant seats', () => {
  it('count as absent, so the counts still add up to N', () => {
    // Two mandates ended before the sitting: 40 deputies on 42 seats.
    const record = demoCouncil();
    const council = record.world.registry.bodies.get('council')!;
    record.given({ type: 'body.upsert', body: { ...council, members: council.members.filter((m) => m.id !== 'd41' && m.id !== 'd42') } });
    record.given(openSitting(), register(['mayor', ...deputies(40)]), openVote('v'), ...castAll('v', deputies(22), 'for'), closeVote('v'));
    const view = record.vote('v');
    expect(view).toMatchObject({ composition: 43, required: 22, counts: { for: 22, notVoting: 19, absent: 2 }, result: 'adopted' });
    expect(Object.keys(view.choices ?? {})).toHaveLength(41);
    record.given(correct('v', 'd01', 'abstain'));
    expect(record.vote('v').counts).toEqual({ for: 21, against: 0, abstain: 1, notVoting: 19, absent: 2, pending: 0 });
    expect(sum(record.vote('v').counts)).toBe(43);
  });
});
