// Quorum edges (Art. 46): more than half of the 42 seats registered, the mayor not counted,
// and the clerk's documented override.
import { describe, expect, it } from 'vitest';
import { Command } from '../../protocol/commands.ts';
import { errorBody } from '../../protocol/errors.ts';
import {
  PLENARY,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  unregister,
} from '../support/givenWhenThen.ts';

const live = () => demoCouncil().given(openSitting());

describe('quorum of the 42-seat council', () => {
  it('refuses to open a vote with 21 of 42 deputies registered', () => {
    const record = live().given(register(deputies(21)));
    expect(record.sitting().quorum).toEqual({ registered: 21, needed: 22, met: false });
    const error = record.refused(openVote('v1'), 'no-quorum');
    expect(error.context).toEqual({ registered: 21, needed: 22 });
    expect(errorBody(error.code, error.context).messages).toEqual({
      uk: 'Немає кворуму: зареєстровано 21, потрібно щонайменше 22.',
      en: 'No quorum: 21 registered, at least 22 needed.',
    });
  });

  it('opens a vote with 22 of 42 deputies registered', () => {
    const record = live().given(register(deputies(22)), openVote('v1'));
    expect(record.sitting().quorum).toEqual({ registered: 22, needed: 22, met: true });
    expect(record.vote('v1')).toMatchObject({ status: 'open', forced: null });
  });

  it('does not count the mayor toward the quorum', () => {
    const record = live().given(register(['mayor', ...deputies(21)]));
    expect(record.sitting().quorum).toEqual({ registered: 21, needed: 22, met: false });
    expect(record.sitting().attendance.present).toHaveLength(22);
    record.refused(openVote('v1'), 'no-quorum');
  });

  it('loses the quorum when a deputy leaves', () => {
    const record = live().given(register(deputies(22)), unregister(['d22']));
    expect(record.sitting().quorum.met).toBe(false);
    record.refused(openVote('v1'), 'no-quorum');
  });

  it('opens without a quorum when forced with a reason, and records the reason', () => {
    const reason = 'Збій системи реєстрації, присутність підтверджено поіменно';
    const record = live().given(register(deputies(10)));
    const events = record.run(openVote('v1', { force: true, reason }));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'vote.opened',
        voteId: 'v1',
        quorum: { registered: 10, needed: 22, met: false },
        forced: { reason },
      }),
    ]);
    expect(record.vote('v1').forced).toEqual({ reason });
  });

  it('does not mark a vote forced when the quorum is there anyway', () => {
    const record = live().given(register(deputies(30)), openVote('v1', { force: true, reason: 'на всяк випадок' }));
    expect(record.vote('v1').forced).toBeNull();
  });

  it('refuses force without a reason at the schema, before the domain sees it', () => {
    const parsed = Command.safeParse({ type: 'vote.open', sittingId: PLENARY, voteId: 'v1', subject: 'x', force: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toContainEqual(['reason']);
    const blank = Command.safeParse({ type: 'vote.open', sittingId: PLENARY, voteId: 'v1', subject: 'x', force: true, reason: '  ' });
    expect(blank.success).toBe(false);
  });

  it('counts only members on the roster fixed at opening', () => {
    // d22 registers while the sitting is scheduled, then loses the mandate before it opens.
    const record = demoCouncil().given(register(deputies(22)));
    const council = record.world.registry.bodies.get('council')!;
    record.given({
      type: 'body.upsert',
      body: { ...council, members: council.members.filter((m) => m.id !== 'd22') },
    });
    record.given(openSitting());
    expect(record.sitting().attendance.present).toHaveLength(21);
    expect(record.sitting().quorum).toEqual({ registered: 21, needed: 22, met: false });
    record.refused(openVote('v1'), 'no-quorum');
  });
});
