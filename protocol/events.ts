// The facts the record is made of. Each accepted command appends one or more of these to one
// stream: the registry (bodies, rooms) or one sitting. Past tense, self-contained: a closed
// vote's event carries its fixed outcome so replay never recomputes history with newer rules.
// The union lives in protocol/ so every reader of the log — the store, its listeners, the public
// log and the console's answers — gets typed events.
import type { AgendaItem, Body, Choice, Member, OnAir, Room, Rule, Ballot, MemberChoice } from './model.ts';
import type { FinalCounts } from './views.ts';
import type { ItemDetails, SittingDetails, Totals } from './recordCorrections.ts';
import type { Motion, Stage } from './voteTitle.ts';

export type { FinalCounts };

/** Who sits in a body, as the rules count them (server/domain/rules.ts). */
export interface Roster {
  kind: Body['kind'];
  seats: number;
  head: string | null;
  members: Member[];
}

/** Registered members, how many a quorum needs, and whether they are there. */
export interface Quorum {
  registered: number;
  needed: number;
  met: boolean;
}

export interface RosterSnapshot extends Roster {
  name: string;
  factions: Body['factions'];
  /** The body's скликання and codes as they were for this sitting (absent in events written before they existed). */
  convocation?: string | null;
  authorityId?: string | null;
  katottg?: string | null;
}

/** What a vote is fixed to at its close (and after each correction). */
export interface Outcome {
  composition: number;
  present: string[];
  required: number;
  counts: FinalCounts;
  result: 'adopted' | 'rejected';
  /** Roll-call only: every member of the composition, absent ones included. Never for secret ballots. */
  choices?: Record<string, MemberChoice>;
}

export type DomainEvent =
  | { type: 'body.upserted'; body: Body }
  | { type: 'room.upserted'; room: Room }
  | {
      type: 'sitting.created';
      sitting: { id: string; bodyId: string; title: string; room: string; scheduledAt: string; session?: string | null };
      agenda: AgendaItem[];
      roster: RosterSnapshot;
    }
  | { type: 'agenda.set'; agenda: AgendaItem[] }
  | { type: 'sitting.opened'; roster: RosterSnapshot }
  | { type: 'attendance.changed'; memberIds: string[]; present: boolean }
  | { type: 'item.started'; itemId: string; finishedItemId: string | null }
  | {
      type: 'vote.opened';
      voteId: string;
      itemId: string | null;
      /** Free text ('' when the stage says it all); before stages existed, the whole formula. */
      subject: string;
      /** Missing in votes recorded before stages existed. */
      stage?: Stage | null;
      rule: Rule;
      ballot: Ballot;
      quorum: Quorum;
      forced: { reason: string } | null;
    }
  | { type: 'vote.cast'; voteId: string; memberId: string; choice: Choice }
  | { type: 'vote.tallied'; voteId: string; for: number; against: number; abstain: number }
  | { type: 'vote.closed'; voteId: string; outcome: Outcome }
  | {
      type: 'vote.corrected';
      voteId: string;
      memberId: string;
      from: MemberChoice;
      /** `absent` (or `from` absent): the member's registration corrected; the outcome is counted again. */
      to: MemberChoice;
      reason: string;
      outcome: Outcome;
    }
  | { type: 'sitting.closed'; finishedItemId: string | null }
  | { type: 'vote.renamed'; voteId: string; from: Motion; to: Motion; reason: string }
  | { type: 'agenda.inserted'; item: AgendaItem; after: string | null }
  | { type: 'agenda.moved'; itemId: string; after: string | null }
  | { type: 'item.postponed'; itemId: string }
  | { type: 'sitting.updated'; title: string; scheduledAt: string; room: string }
  | { type: 'sitting.cancelled'; reason: string }
  // — corrections: each keeps the value it replaced (`from`) beside the new one, and the reason —
  | { type: 'sitting.corrected'; from: Partial<SittingDetails>; to: Partial<SittingDetails>; reason: string }
  | { type: 'item.corrected'; itemId: string; from: Partial<ItemDetails>; to: Partial<ItemDetails>; reason: string }
  | { type: 'member.corrected'; memberId: string; from: string; to: string; reason: string }
  | { type: 'tally.corrected'; voteId: string; from: Totals; to: Totals; reason: string; outcome: Outcome }
  /** `from`, `to`: item ids, null for no item. */
  | { type: 'vote.moved'; voteId: string; from: string | null; to: string | null; reason: string }
  | { type: 'onair.changed'; room: string; onAir: OnAir }
  | { type: 'destination.switched'; room: string; destinationId: string; enabled: boolean };

/** An event as it is stored and shown: numbered per stream, stamped, attributed. */
export interface RecordedEvent {
  stream: string;
  seq: number;
  at: string;
  actor: string;
  commandId: string | null;
  event: DomainEvent;
}

export const REGISTRY_STREAM = 'registry';
const SITTING_PREFIX = 'sitting/';
export const sittingStream = (sittingId: string): string => `${SITTING_PREFIX}${sittingId}`;
/** The sitting a stream belongs to, or null for the registry and room streams. */
export const sittingIdOf = (stream: string): string | null =>
  stream.startsWith(SITTING_PREFIX) ? stream.slice(SITTING_PREFIX.length) : null;
/** On-air state of a room lives in its own stream: frequent changes, unrelated to the roster. */
export const roomStream = (roomId: string): string => `room/${roomId}`;
