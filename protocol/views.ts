// The public read model: what GET /api/sittings/:id returns and what pages and the overlay
// render. Secret ballots never carry per-member choices.
import type { AgendaItem, Ballot, BodyKind, Faction, Member, MemberChoice, Room, Rule } from './model.ts';

export type SittingStatus = 'scheduled' | 'live' | 'closed';
export type ItemStatus = 'pending' | 'current' | 'done';

export interface Counts {
  for: number;
  against: number;
  abstain: number;
  notVoting: number;
  absent: number;
}

export interface CorrectionView {
  memberId: string;
  from: MemberChoice;
  to: MemberChoice;
  reason: string;
  at: string;
}

export interface VoteView {
  id: string;
  itemId: string | null;
  subject: string;
  rule: Rule;
  ballot: Ballot;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  /** Set when the clerk opened the vote without a quorum. */
  forced: { reason: string } | null;
  composition: number;
  required: number;
  counts: Counts;
  result: 'adopted' | 'rejected' | null;
  /** Roll-call votes only. */
  choices?: Record<string, MemberChoice>;
  corrections?: CorrectionView[];
}

export interface AgendaItemView extends AgendaItem {
  status: ItemStatus;
  startedAt: string | null;
}

export interface BodySummary {
  id: string;
  kind: BodyKind;
  name: string;
  seats: number;
  head: string | null;
  factions: Faction[];
}

/** What every listing and view of a sitting starts with. */
export interface SittingHeader {
  id: string;
  bodyId: string;
  title: string;
  room: string;
  scheduledAt: string;
  status: SittingStatus;
  openedAt: string | null;
  closedAt: string | null;
  /** The last event's number in this sitting's log. */
  seq: number;
}

export interface SittingView extends SittingHeader {
  /** The hash of the event at `seq`. */
  headHash: string | null;
  body: BodySummary;
  roster: Member[];
  agenda: AgendaItemView[];
  currentItemId: string | null;
  attendance: { present: string[] };
  quorum: { registered: number; needed: number; met: boolean };
  /** Total composition N now (fixed per vote once it closes). */
  composition: number;
  votes: VoteView[];
  /** The sitting's video recording, once any of it was recorded. */
  recording?: RecordingView;
}

/** A moment of the sitting located in its recording (for chapters and deep links). */
export interface RecordingMark {
  kind: 'item' | 'vote-opened' | 'vote-closed';
  /** The agenda item's or the vote's id. */
  id: string;
  at: string;
  /** Seconds from the start of the recording. */
  offset: number;
}

export interface RecordingView {
  /** `recording` while the sitting is live, `complete` once closed, `expired` after retention. */
  status: 'recording' | 'complete' | 'expired';
  /** HLS playlist (EVENT while recording, VOD when complete); null once expired. */
  playlist: string | null;
  /** Program date-time of the first recorded frame. */
  startedAt: string | null;
  /** Seconds of video. */
  duration: number;
  marks: RecordingMark[];
}

export interface SittingSummary extends SittingHeader {
  votes: number;
}

export interface BodyView extends BodySummary {
  members: Member[];
  /** Open-data identity of the body (absent on bodies recorded before these fields existed). */
  convocation?: string | null;
  authorityId?: string | null;
  katottg?: string | null;
}

export type RoomView = Room;
