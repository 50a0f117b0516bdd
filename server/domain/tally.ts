// Counting a vote: who is in the total composition, each member's effective choice, the counts
// (which always add up to N) and the result against the rule's threshold. Pure.
import type { Choice, MemberChoice, Rule } from '../../protocol/model.ts';
import type { Counts as LiveCounts, VoteChoice } from '../../protocol/views.ts';
import type { FinalCounts as Counts, Outcome } from '../../protocol/events.ts';
import { isExtraHead, required, totalComposition, type Roster } from './rules.ts';

/** Members who make up the composition: every seated member, and a council's mayor when present. */
export function compositionMembers(roster: Roster, present: ReadonlySet<string>): string[] {
  return roster.members.filter((m) => !isExtraHead(roster, m.id) || present.has(m.id)).map((m) => m.id);
}

/** Members of the composition registered present: the most a vote can count as voting. */
export function presentMembers(roster: Roster, present: ReadonlySet<string>): string[] {
  return compositionMembers(roster, present).filter((id) => present.has(id));
}

function emptyCounts(): Counts {
  return { for: 0, against: 0, abstain: 0, notVoting: 0, absent: 0 };
}

const COUNT_KEY: Record<MemberChoice, keyof Counts> = {
  for: 'for',
  against: 'against',
  abstain: 'abstain',
  'not-voting': 'notVoting',
  absent: 'absent',
};

function finish(
  rule: Rule,
  composition: number,
  present: string[],
  counts: Counts,
  choices?: Record<string, MemberChoice>,
): Outcome {
  // Seats without a member (vacancies) count as absent, so the counts always add up to N.
  const listed = counts.for + counts.against + counts.abstain + counts.notVoting + counts.absent;
  counts.absent += composition - listed;
  const needed = required(rule, composition, present.length);
  return {
    composition,
    present,
    required: needed,
    counts,
    result: counts.for >= needed ? 'adopted' : 'rejected',
    ...(choices ? { choices } : {}),
  };
}

/** Roll-call: a present member who cast nothing is "not voting"; one not registered is "absent". */
export function rollCallOutcome(
  roster: Roster,
  present: ReadonlySet<string>,
  rule: Rule,
  casts: Readonly<Record<string, Choice>>,
): Outcome {
  const members = compositionMembers(roster, present);
  const choices: Record<string, MemberChoice> = {};
  const counts = emptyCounts();
  const presentIds: string[] = [];
  for (const id of members) {
    const choice: MemberChoice = present.has(id) ? (casts[id] ?? 'not-voting') : 'absent';
    if (choice !== 'absent') presentIds.push(id);
    choices[id] = choice;
    counts[COUNT_KEY[choice]] += 1;
  }
  return finish(rule, totalComposition(roster, present), presentIds, counts, choices);
}

/** Secret ballot: only totals exist; present members not in the totals did not vote. */
export function secretOutcome(
  roster: Roster,
  present: ReadonlySet<string>,
  rule: Rule,
  tally: { for: number; against: number; abstain: number } | null,
): Outcome {
  const presentIds = presentMembers(roster, present);
  const t = tally ?? { for: 0, against: 0, abstain: 0 };
  const counts: Counts = {
    for: t.for,
    against: t.against,
    abstain: t.abstain,
    notVoting: presentIds.length - t.for - t.against - t.abstain,
    absent: 0,
  };
  return finish(rule, totalComposition(roster, present), presentIds, counts);
}

/** An open vote as it stands: the outcome if it closed now, with what is not entered yet as pending. */
export interface LiveTally {
  composition: number;
  required: number;
  counts: LiveCounts;
  choices?: Record<string, VoteChoice>;
}

/** Roll-call while open: a present member with no recorded choice is pending, not "not voting". */
export function liveRollCall(roster: Roster, present: ReadonlySet<string>, rule: Rule, casts: Readonly<Record<string, Choice>>): LiveTally {
  const outcome = rollCallOutcome(roster, present, rule, casts);
  const choices: Record<string, VoteChoice> = { ...outcome.choices };
  const waiting = outcome.present.filter((id) => casts[id] === undefined);
  for (const id of waiting) choices[id] = 'pending';
  const counts = { ...outcome.counts, notVoting: outcome.counts.notVoting - waiting.length, pending: waiting.length };
  return { composition: outcome.composition, required: outcome.required, counts, choices };
}

/** Secret ballot while open: until the totals are entered every present member is pending. */
export function liveSecret(
  roster: Roster,
  present: ReadonlySet<string>,
  rule: Rule,
  tally: { for: number; against: number; abstain: number } | null,
): LiveTally {
  const outcome = secretOutcome(roster, present, rule, tally);
  const waiting = tally ? 0 : outcome.counts.notVoting;
  const counts = { ...outcome.counts, notVoting: outcome.counts.notVoting - waiting, pending: waiting };
  return { composition: outcome.composition, required: outcome.required, counts };
}

/** A closed roll-call vote after one member's choice is corrected: composition and threshold stay fixed. */
export function correctedOutcome(outcome: Outcome, memberId: string, choice: Choice): Outcome {
  const choices = { ...outcome.choices, [memberId]: choice };
  const counts = emptyCounts();
  for (const c of Object.values(choices)) counts[COUNT_KEY[c]] += 1;
  counts.absent += outcome.composition - Object.keys(choices).length;
  return {
    ...outcome,
    counts,
    choices,
    result: counts.for >= outcome.required ? 'adopted' : 'rejected',
  };
}

/**
 * A closed roll-call vote after a member's registration in it is corrected (`absent` to a choice,
 * or a choice to `absent`): counted again as at its close with that member in or out. Who is
 * present can change the composition (a council's mayor) and a majority-of-present threshold.
 */
export function reregisteredOutcome(roster: Roster, rule: Rule, outcome: Outcome, memberId: string, choice: MemberChoice): Outcome {
  const present = new Set(outcome.present);
  const casts: Record<string, Choice> = {};
  for (const [id, c] of Object.entries(outcome.choices ?? {})) if (c !== 'absent') casts[id] = c;
  if (choice === 'absent') {
    present.delete(memberId);
    delete casts[memberId];
  } else {
    present.add(memberId);
    casts[memberId] = choice;
  }
  return rollCallOutcome(roster, present, rule, casts);
}

/** A closed secret ballot with corrected totals: composition, attendance and threshold stay fixed. */
export function correctedTally(outcome: Outcome, totals: { for: number; against: number; abstain: number }): Outcome {
  const counts = {
    ...totals,
    notVoting: outcome.present.length - totals.for - totals.against - totals.abstain,
    absent: outcome.counts.absent,
  };
  return { ...outcome, counts, result: counts.for >= outcome.required ? 'adopted' : 'rejected' };
}
