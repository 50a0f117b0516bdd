// The arithmetic of Ukrainian local-government voting (Law "On Local Self-Government", Art. 46, 59):
// total composition with the mayor rule, quorum, and the three thresholds. Pure functions.
import type { Quorum, Roster } from '../../protocol/events.ts';
import type { Rule } from '../../protocol/model.ts';

export type { Quorum, Roster };

/** A council's head (the mayor) sits outside the statutory seats; every other member fills one. */
export function isExtraHead(roster: Roster, memberId: string): boolean {
  return roster.kind === 'council' && roster.head === memberId;
}

/**
 * Total composition N: the statutory seats, plus the mayor if the mayor takes part in the
 * plenary sitting (Art. 59: the mayor is then counted and the mayor's vote counts).
 */
export function totalComposition(roster: Roster, present: ReadonlySet<string>): number {
  const headTakesPart = roster.kind === 'council' && roster.head !== null && present.has(roster.head);
  return roster.seats + (headTakesPart ? 1 : 0);
}

/**
 * Members whose presence counts towards the quorum: all on the roster but a council's mayor.
 * Counted from the roster, not from `present`: the roster is refreshed when the sitting opens,
 * and someone registered before that who has left the body is no longer a deputy.
 */
export function registeredForQuorum(roster: Roster, present: ReadonlySet<string>): number {
  return roster.members.filter((m) => present.has(m.id) && !isExtraHead(roster, m.id)).length;
}

/** Competent with more than half of the seats registered: the smallest such number. */
export function quorumNeeded(roster: Roster): number {
  return Math.floor(roster.seats / 2) + 1;
}


export function quorum(roster: Roster, present: ReadonlySet<string>): Quorum {
  const registered = registeredForQuorum(roster, present);
  const needed = quorumNeeded(roster);
  return { registered, needed, met: registered >= needed };
}

/** Votes "for" needed to adopt: N is the total composition, P the members present. */
export function required(rule: Rule, composition: number, presentCount: number): number {
  switch (rule) {
    case 'majority-of-composition':
      return Math.floor(composition / 2) + 1;
    case 'two-thirds-of-composition':
      return Math.ceil((2 * composition) / 3);
    case 'majority-of-present':
      return Math.floor(presentCount / 2) + 1;
    default: {
      const never: never = rule;
      throw new Error(`unknown rule [${String(never)}]`);
    }
  }
}
