// Two slips of a vote that reach the record and are corrected visibly with a reason: a vote
// opened on the wrong agenda item (vote.move), and a member wrongly left absent — or wrongly
// registered — in a closed roll-call vote (vote.correct to or from "absent"), which counts the
// vote again: composition (the mayor), threshold (majority of those present), counts, result.
import { describe, expect, it } from 'vitest';
import {
  cast,
  castAll,
  closeSitting,
  closeVote,
  correct,
  demoCouncil,
  deputies,
  moveVote,
  openSitting,
  openVote,
  register,
  startItem,
} from '../support/givenWhenThen.ts';

const REASON = 'Голосування відкрито не на тому питанні';
const LATER = '2026-12-11T09:00:00.000Z';

/** 30 deputies registered; on item i2, 22 for and d23 against: adopted by the smallest margin. */
function adopted(rule?: 'majority-of-present') {
  return demoCouncil().given(
    openSitting(),
    register(deputies(30)),
    startItem('i2'),
    openVote('v', { stage: 'whole', subject: '', ...(rule ? { rule } : {}) }),
    ...castAll('v', deputies(22), 'for'),
    cast('v', 'd23', 'against'),
    closeVote('v'),
  );
}

describe('a vote moved to the agenda item it was really taken on', () => {
  it('moves a closed vote after the sitting closed; its title follows the item and the move stays in the record', () => {
    const record = adopted().given(closeSitting());
    record.at = LATER;
    const before = record.vote('v');
    const events = record.run(moveVote('v', 'i3', REASON));
    expect(events).toEqual([{ type: 'vote.moved', voteId: 'v', from: 'i2', to: 'i3', reason: REASON }]);
    const i3 = record.sitting().agenda.find((i) => i.id === 'i3');
    const moved = record.vote('v');
    expect(moved.itemId).toBe('i3');
    expect(moved.title).toBe(`${i3?.title} — в цілому`);
    // The result, counts and threshold are those the vote closed with.
    expect(moved).toMatchObject({ counts: before.counts, required: before.required, result: 'adopted', rule: before.rule });
    expect(record.sitting().corrections).toEqual([{ target: 'vote', id: 'v', field: 'item', from: '2', to: '3', reason: REASON, at: LATER }]);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('moves an open vote while it is open, and a vote to no item (procedural) and back', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), startItem('i1'), openVote('v'));
    record.run(moveVote('v', 'i4'));
    expect(record.vote('v')).toMatchObject({ status: 'open', itemId: 'i4' });
    record.run(moveVote('v', null));
    expect(record.vote('v').itemId).toBeNull();
    record.run(moveVote('v', 'i1'));
    expect(record.sitting().corrections?.map((c) => [c.from, c.to])).toEqual([
      ['1', '4'],
      ['4', null],
      [null, '1'],
    ]);
    // The cast keeps working on the moved vote.
    record.run(cast('v', 'd01', 'for'));
    expect(record.vote('v').counts.for).toBe(1);
  });

  it('refuses a move to the same item with no-change, changing nothing', () => {
    const record = adopted();
    const views = record.views();
    const error = record.refused(moveVote('v', 'i2'), 'no-change');
    expect(error.context).toEqual({ voteId: 'v' });
    expect(record.views()).toEqual(views);
  });
});

describe('a member’s registration corrected in a closed roll-call vote', () => {
  it('counts a deputy wrongly left absent with the choice they made; the correction shows from "absent"', () => {
    const record = adopted();
    record.at = LATER;
    const events = record.run(correct('v', 'd35', 'for', 'Депутат був у залі, картку не вставлено'));
    expect(events).toEqual([expect.objectContaining({ type: 'vote.corrected', memberId: 'd35', from: 'absent', to: 'for' })]);
    expect(record.vote('v')).toMatchObject({
      composition: 42,
      required: 22,
      counts: { for: 23, against: 1, abstain: 0, notVoting: 7, absent: 11, pending: 0 },
      result: 'adopted',
    });
    expect(record.vote('v').choices?.d35).toBe('for');
    expect(record.vote('v').corrections).toEqual([{ memberId: 'd35', from: 'absent', to: 'for', reason: 'Депутат був у залі, картку не вставлено', at: LATER }]);
    // The sitting's attendance is not rewritten: only this vote's line.
    expect(record.sitting().attendance.present).not.toContain('d35');
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('takes out a deputy wrongly counted as registered: the decision is no longer adopted', () => {
    const record = adopted().given(closeSitting());
    record.run(correct('v', 'd01', 'absent', 'Депутат був відсутній, голосували його карткою'));
    expect(record.vote('v')).toMatchObject({ counts: { for: 21, against: 1, notVoting: 7, absent: 13 }, required: 22, result: 'rejected' });
    expect(record.vote('v').choices?.d01).toBe('absent');
  });

  it('counts the mayor registered after all into the composition (43), the threshold following it', () => {
    const record = adopted();
    record.run(correct('v', 'mayor', 'for', 'Міський голова головував, реєстрацію пропущено'));
    const vote = record.vote('v');
    expect(vote).toMatchObject({ composition: 43, required: 22, counts: { for: 23, against: 1, absent: 12 }, result: 'adopted' });
    expect(Object.values(vote.counts).reduce((a, b) => a + b, 0)).toBe(43);
    // And out again: back to 42 seats, the mayor outside the composition.
    record.run(correct('v', 'mayor', 'absent', 'Повернуто за протоколом'));
    expect(record.vote('v')).toMatchObject({ composition: 42, counts: { for: 22, against: 1, absent: 12 } });
    expect(record.vote('v').choices).not.toHaveProperty('mayor');
  });

  it('recomputes a majority-of-present threshold with the corrected number present', () => {
    const record = adopted('majority-of-present');
    expect(record.vote('v').required).toBe(16);
    record.given(correct('v', 'd31', 'not-voting'), correct('v', 'd32', 'not-voting'));
    expect(record.vote('v')).toMatchObject({ required: 17, counts: { notVoting: 9, absent: 10 } });
  });
});
