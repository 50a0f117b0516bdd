// The brief's threshold examples: total composition N with the mayor rule, the three rules,
// and a 7-member committee — through the decider and the public view, as the clerk sees them.
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import type { Rule } from '../../protocol/model.ts';
import {
  COMMITTEE,
  COMMITTEE_SITTING,
  castAll,
  closeVote,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  startItem,
  type DomainRecord,
} from '../support/givenWhenThen.ts';

/** Opens vote `voteId` with `yes` of `present` voting for, closes it, returns its view. */
function hold(record: DomainRecord, voteId: string, present: string[], yes: number, extra: Partial<Extract<CommandInput, { type: 'vote.open' }>> = {}, sittingId?: string) {
  record.given(openVote(voteId, extra, sittingId), ...castAll(voteId, present.slice(0, yes), 'for', sittingId), closeVote(voteId, sittingId));
  return record.vote(voteId, sittingId);
}

describe('a 42-seat council with the mayor taking part', () => {
  const present = ['mayor', ...deputies(35)];
  const given = () => demoCouncil().given(openSitting(), register(present));

  it('has N = 43, majority 22 and two thirds 29', () => {
    const record = given();
    expect(record.sitting().composition).toBe(43);
    for (const [rule, needed] of [
      ['majority-of-composition', 22],
      ['two-thirds-of-composition', 29],
    ] as [Rule, number][]) {
      record.given(openVote(`open-${rule}`, { rule }));
      expect(record.vote(`open-${rule}`)).toMatchObject({ composition: 43, required: needed, status: 'open', result: null });
      record.given(closeVote(`open-${rule}`));
    }
  });

  it('adopts a majority decision with 22 votes for and rejects it with 21', () => {
    const record = given();
    expect(hold(record, 'v22', present, 22)).toMatchObject({ result: 'adopted', required: 22, counts: { for: 22 } });
    expect(hold(record, 'v21', present, 21)).toMatchObject({ result: 'rejected', required: 22, counts: { for: 21 } });
  });

  it('counts the mayor\'s vote for the result', () => {
    const record = given();
    // The mayor plus 21 deputies make the 22 votes needed.
    const view = hold(record, 'with-mayor', present, 22);
    expect(view.choices?.mayor).toBe('for');
    expect(view.result).toBe('adopted');
  });

  it('applies two thirds to item 8 (overriding the veto): 29 adopts, 28 does not', () => {
    const record = given().given(startItem('i8'));
    expect(hold(record, 'veto-29', present, 29)).toMatchObject({ rule: 'two-thirds-of-composition', itemId: 'i8', required: 29, result: 'adopted' });
    expect(hold(record, 'veto-28', present, 28)).toMatchObject({ required: 29, result: 'rejected' });
  });
});

describe('a 42-seat council with the mayor absent', () => {
  const present = deputies(35);
  const given = () => demoCouncil().given(openSitting(), register(present));

  it('has N = 42, majority 22 and two thirds 28', () => {
    const record = given();
    expect(record.sitting().composition).toBe(42);
    const majority = hold(record, 'm', present, 22);
    expect(majority).toMatchObject({ composition: 42, required: 22, result: 'adopted' });
    expect(majority.choices).not.toHaveProperty('mayor');
    expect(hold(record, 't28', present, 28, { rule: 'two-thirds-of-composition' })).toMatchObject({ composition: 42, required: 28, result: 'adopted' });
    expect(hold(record, 't27', present, 27, { rule: 'two-thirds-of-composition' })).toMatchObject({ required: 28, result: 'rejected' });
  });

  it('fixes N at the close: the mayor arriving later does not change a closed vote', () => {
    const record = given();
    const before = hold(record, 'm', present, 22);
    record.given(register(['mayor']));
    expect(record.sitting().composition).toBe(43);
    expect(record.vote('m')).toEqual(before);
  });
});

describe('majority of those present', () => {
  it('needs floor(P/2)+1 of the members present, the mayor included', () => {
    const present = ['mayor', ...deputies(29)];
    const record = demoCouncil().given(openSitting(), register(present));
    expect(hold(record, 'p16', present, 16, { rule: 'majority-of-present' })).toMatchObject({ composition: 43, required: 16, result: 'adopted' });
    expect(hold(record, 'p15', present, 15, { rule: 'majority-of-present' })).toMatchObject({ required: 16, result: 'rejected' });
  });

  it('follows attendance while the vote is open', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(31)), openVote('p', { rule: 'majority-of-present' }));
    expect(record.vote('p').required).toBe(16);
    record.given(register(deputies(33)));
    expect(record.vote('p').required).toBe(17);
  });
});

describe('a 7-member committee', () => {
  const given = () => demoCouncil().given(openSitting(COMMITTEE_SITTING));

  it('has N = 7 and a quorum of 4', () => {
    const record = given().given(register(COMMITTEE.slice(0, 3), COMMITTEE_SITTING));
    expect(record.sitting(COMMITTEE_SITTING).quorum).toEqual({ registered: 3, needed: 4, met: false });
    record.refused(openVote('c', {}, COMMITTEE_SITTING), 'no-quorum');
    record.given(register(COMMITTEE.slice(0, 4), COMMITTEE_SITTING));
    expect(record.sitting(COMMITTEE_SITTING).quorum).toEqual({ registered: 4, needed: 4, met: true });
    expect(record.sitting(COMMITTEE_SITTING).composition).toBe(7);
  });

  it('needs 4 for a majority and 5 for two thirds', () => {
    const record = given().given(register(COMMITTEE, COMMITTEE_SITTING));
    const sit = COMMITTEE_SITTING;
    expect(hold(record, 'm4', COMMITTEE, 4, {}, sit)).toMatchObject({ composition: 7, required: 4, result: 'adopted' });
    expect(hold(record, 'm3', COMMITTEE, 3, {}, sit)).toMatchObject({ required: 4, result: 'rejected' });
    const twoThirds = { rule: 'two-thirds-of-composition' } as const;
    expect(hold(record, 't5', COMMITTEE, 5, twoThirds, sit)).toMatchObject({ required: 5, result: 'adopted' });
    expect(hold(record, 't4', COMMITTEE, 4, twoThirds, sit)).toMatchObject({ required: 5, result: 'rejected' });
  });

  it('counts its members only: a council deputy outside the committee is not a member', () => {
    const record = given();
    record.refused(register(['d01'], COMMITTEE_SITTING), 'not-a-member');
  });
});
