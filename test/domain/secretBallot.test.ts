// Secret ballots: totals only. No per-member choice is accepted, stored in an event or shown.
import { describe, expect, it } from 'vitest';
import {
  PLENARY,
  cast,
  closeVote,
  correct,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  tally,
  unregister,
} from '../support/givenWhenThen.ts';

const present = ['mayor', ...deputies(30)];
const openSecret = () => demoCouncil().given(openSitting(), register(present), openVote('s', { ballot: 'secret', subject: 'Обрання секретаря ради' }));

describe('a secret ballot', () => {
  it('counts the totals, with the present who are not in them as not voting', () => {
    const record = openSecret().given(tally('s', 25, 3, 2));
    expect(record.vote('s')).toMatchObject({ status: 'open', composition: 43, counts: { for: 25, against: 3, abstain: 2, notVoting: 1, absent: 12 }, result: null });
    record.given(closeVote('s'));
    expect(record.vote('s')).toMatchObject({ status: 'closed', required: 22, counts: { for: 25, against: 3, abstain: 2, notVoting: 1, absent: 12 }, result: 'adopted' });
  });

  it('lets the clerk re-enter the totals while it is open', () => {
    const record = openSecret().given(tally('s', 25, 3, 2), tally('s', 20, 8, 2), closeVote('s'));
    expect(record.vote('s')).toMatchObject({ counts: { for: 20, against: 8 }, result: 'rejected' });
  });

  it('shows no per-member choices and no corrections, open or closed', () => {
    const record = openSecret().given(tally('s', 25, 3, 2));
    expect(record.vote('s')).not.toHaveProperty('choices');
    record.given(closeVote('s'));
    const view = record.vote('s');
    expect(view).not.toHaveProperty('choices');
    expect(view).not.toHaveProperty('corrections');
  });

  it('refuses a named cast and a correction', () => {
    const record = openSecret();
    record.refused(cast('s', 'd01', 'for'), 'wrong-ballot');
    record.given(tally('s', 25, 3, 2), closeVote('s'));
    record.refused(correct('s', 'd01', 'against'), 'wrong-ballot');
  });

  it('never writes a member\'s choice into the events', () => {
    const record = openSecret().given(tally('s', 25, 3, 2), unregister(['d30']), closeVote('s'), register(['d40']));
    const voteEvents = record.log.map((r) => r.event).filter((e) => 'voteId' in e && e.voteId === 's');
    expect(voteEvents.map((e) => e.type)).toEqual(['vote.opened', 'vote.tallied', 'vote.closed']);
    for (const event of voteEvents) {
      expect(event).not.toHaveProperty('memberId');
      expect(event).not.toHaveProperty('choice');
      if (event.type === 'vote.closed') expect(event.outcome).not.toHaveProperty('choices');
    }
    // No event of the sitting pairs a member with a choice while the secret ballot is held.
    const sittingEvents = record.log.filter((r) => r.stream === `sitting/${PLENARY}`).map((r) => r.event);
    expect(sittingEvents.some((e) => e.type === 'vote.cast' || e.type === 'vote.corrected')).toBe(false);
  });

  it('follows attendance while open and freezes at the close', () => {
    const record = openSecret().given(tally('s', 25, 3, 2), unregister(['mayor']));
    expect(record.vote('s')).toMatchObject({ composition: 42, counts: { notVoting: 0, absent: 12 } });
    record.given(closeVote('s'));
    const closed = record.vote('s');
    record.given(register(['mayor', ...deputies(40)]));
    expect(record.vote('s')).toEqual(closed);
  });
});
