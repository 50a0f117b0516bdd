// The in-memory state the decider reads: the registry (bodies, rooms) and every sitting,
// each a union tagged by status. Rebuilt by folding the log with `evolve`.
import type { AgendaItem, Ballot, Body, Choice, MemberChoice, OnAir, Room, Rule } from '../../protocol/model.ts';
import type { AgendaChange, ItemStatus } from '../../protocol/views.ts';
import type { RecordCorrectionView, TallyCorrectionView } from '../../protocol/views.ts';
import type { Motion } from '../../protocol/voteTitle.ts';
import type { Outcome, RosterSnapshot } from '../../protocol/events.ts';
import type { Quorum } from './rules.ts';

export type { ItemStatus };
export interface ItemState extends AgendaItem {
  status: ItemStatus;
  startedAt: string | null;
}

/** A change of a vote's subject, with who made it. */
export interface Rename {
  from: Motion;
  to: Motion;
  reason: string;
  at: string;
  actor: string;
}

interface VoteBase {
  id: string;
  itemId: string | null;
  motion: Motion;
  renames: Rename[];
  rule: Rule;
  ballot: Ballot;
  openedAt: string;
  /** Quorum when the vote opened, and the reason if it was opened without one. */
  quorum: Quorum;
  forced: { reason: string } | null;
}

export interface OpenVote extends VoteBase {
  status: 'open';
  /** Roll-call: each present member's latest choice. Always empty for a secret ballot. */
  casts: Readonly<Record<string, Choice>>;
  /** Secret ballot: the totals entered by the clerk. */
  tally: { for: number; against: number; abstain: number } | null;
}

export interface Correction {
  memberId: string;
  from: MemberChoice;
  to: MemberChoice;
  reason: string;
  at: string;
  actor: string;
}

/** A correction of the record: as the public view shows it, and who made it. */
export type RecordCorrection = RecordCorrectionView & { actor: string };
export type TallyCorrection = TallyCorrectionView & { actor: string };

export interface ClosedVote extends VoteBase {
  status: 'closed';
  closedAt: string;
  outcome: Outcome;
  corrections: Correction[];
  /** Secret ballots: corrections of the totals (absent until the first). */
  tallyCorrections?: TallyCorrection[];
}

export type VoteState = OpenVote | ClosedVote;

interface SittingBase {
  id: string;
  bodyId: string;
  title: string;
  room: string;
  scheduledAt: string;
  /** Сесія, e.g. "67 сесія" (absent in sittings created before it existed). */
  session?: string | null;
  roster: RosterSnapshot;
  agenda: ItemState[];
  agendaHistory: AgendaChange[];
  present: ReadonlySet<string>;
  votes: VoteState[];
  /** Corrections of the sitting's details, items and names, one per field (absent until the first). */
  corrections?: RecordCorrection[];
}

export interface ScheduledSitting extends SittingBase {
  status: 'scheduled';
}
export interface LiveSitting extends SittingBase {
  status: 'live';
  openedAt: string;
}
export interface ClosedSitting extends SittingBase {
  status: 'closed';
  openedAt: string;
  closedAt: string;
}
export interface CancelledSitting extends SittingBase {
  status: 'cancelled';
  cancelledAt: string;
  cancelReason: string;
}
export type SittingState = ScheduledSitting | LiveSitting | ClosedSitting | CancelledSitting;

export interface Registry {
  bodies: ReadonlyMap<string, Body>;
  rooms: ReadonlyMap<string, Room>;
}

export interface World {
  registry: Registry;
  sittings: ReadonlyMap<string, SittingState>;
  /** On-air state per room; a room without an entry shows DEFAULT_ON_AIR. */
  onAir: ReadonlyMap<string, OnAir>;
}

export function initialWorld(): World {
  return { registry: { bodies: new Map(), rooms: new Map() }, sittings: new Map(), onAir: new Map() };
}

export function currentItem(sitting: SittingState): ItemState | undefined {
  return sitting.agenda.find((i) => i.status === 'current');
}

export function openVote(sitting: SittingState): OpenVote | undefined {
  const last = sitting.votes[sitting.votes.length - 1];
  return last?.status === 'open' ? last : undefined;
}
