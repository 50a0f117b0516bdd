// The demo plenary sitting run through the command API for the publication tests: two
// roll-call votes (one whose result a correction flips), a secret ballot, a vote after the
// mayor has left (so the composition shrinks to 42), a vote still open, the close, and a
// correction after the close.
import { expect } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import type { Choice } from '../../protocol/model.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import type { TestServer } from '../support/testServer.ts';

export { DEMO_SITTING, DEPUTIES };

/** A subject with characters that need escaping in HTML and quoting in CSV. */
export const TRICKY_SUBJECT = 'Про «Рух без бар\'єрів», "друга черга" <b>&</b>';
export const CORRECTION_REASON = 'Технічна помилка пульта: депутат голосував «за» <вручну>';
export const LATE_CORRECTION_REASON = 'Заява депутата після засідання, протокол № 5';

const PRESENT = ['mayor', ...DEPUTIES.slice(0, 38)];

export async function run(t: TestServer, commands: CommandInput[]): Promise<void> {
  for (const command of commands) {
    const { status, answer } = await t.command(command);
    expect(answer, `${command.type} ${JSON.stringify(answer)}`).toMatchObject({ ok: true });
    expect(status).toBe(200);
  }
}

const casts = (voteId: string, members: string[], choice: Choice): CommandInput[] =>
  members.map((memberId) => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId, memberId, choice }));

/** Opens the sitting, registers the mayor and d01–d38, and holds vote v1 (adopted). */
export const openingAndFirstVote = (): CommandInput[] => [
  { type: 'sitting.open', sittingId: DEMO_SITTING },
  { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: PRESENT, present: true },
  { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i1' },
  { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', subject: 'Про затвердження порядку денного' },
  ...casts('v1', ['mayor', ...DEPUTIES.slice(0, 25)], 'for'),
  ...casts('v1', DEPUTIES.slice(25, 28), 'against'),
  ...casts('v1', DEPUTIES.slice(28, 30), 'abstain'),
  // d31–d38 are present and cast nothing: "не голосував"; d39–d42 are absent.
  { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
];

/** v2 on item 7 falls one vote short (21 of 22); a correction after its close adopts it. */
export const shortVoteThenCorrection = (): CommandInput[] => [
  { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i7' },
  { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v2', subject: TRICKY_SUBJECT },
  ...casts('v2', DEPUTIES.slice(0, 21), 'for'),
  ...casts('v2', DEPUTIES.slice(21, 30), 'against'),
  ...casts('v2', ['mayor'], 'abstain'),
  { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v2' },
  { type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v2', memberId: 'd22', choice: 'for', reason: CORRECTION_REASON },
];

/** v3 on item 8 (two thirds): a secret ballot, totals only. */
export const secretBallot = (): CommandInput[] => [
  { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i8' },
  { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v3', subject: 'Обрання секретаря ради', ballot: 'secret' },
  { type: 'vote.tally', sittingId: DEMO_SITTING, voteId: 'v3', for: 30, against: 5, abstain: 2 },
  { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v3' },
];

/** The mayor leaves; v4 (majority of those present) then has a composition of 42. */
export const voteWithoutMayor = (): CommandInput[] => [
  { type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'mayor', present: false },
  { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v4', subject: 'Про перерву', rule: 'majority-of-present' },
  ...casts('v4', DEPUTIES.slice(0, 10), 'for'),
  ...casts('v4', DEPUTIES.slice(10, 38), 'against'),
  { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v4' },
];

/** v5 is opened and cast but still open: it must not be published yet. */
export const openLastVote = (): CommandInput[] => [
  { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v5', subject: 'Про закриття пленарного засідання' },
  ...casts('v5', DEPUTIES.slice(0, 38), 'for'),
];

/** Closes v5 and then the sitting: the table becomes final. */
export const closeLastVoteAndSitting = (): CommandInput[] => [
  { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v5' },
  { type: 'sitting.close', sittingId: DEMO_SITTING },
];

/** After the sitting is closed, d31's "не голосував" in v1 is corrected to "за". */
export const lateCorrection = (): CommandInput[] => [
  { type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd31', choice: 'for', reason: LATE_CORRECTION_REASON },
];
