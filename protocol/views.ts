// The public read model: what GET /api/sittings/:id returns and what pages and the overlay
// render. Secret ballots never carry per-member choices.
import type { AgendaItem, Ballot, BodyKind, Faction, Member, MemberChoice, Room, Rule } from './model.ts';
import type { ItemDetail, SittingDetail, Totals } from './recordCorrections.ts';
import type { Stage } from './voteTitle.ts';

/** `cancelled`: a scheduled sitting that will not be held (never opened). */
export type SittingStatus = 'scheduled' | 'live' | 'closed' | 'cancelled';
/** `postponed`: set aside during the sitting; it can be taken up later. */
export type ItemStatus = 'pending' | 'current' | 'done' | 'postponed';

/** The counts a vote is fixed to when it closes. */
export interface FinalCounts {
  for: number;
  against: number;
  abstain: number;
  notVoting: number;
  absent: number;
}

/** At every moment for + against + abstain + notVoting + absent + pending = composition. */
export interface Counts extends FinalCounts {
  /** Open votes only: present members whose choice is not entered yet (0 once closed). */
  pending: number;
}

/** A member's choice as a vote view shows it; `pending` only while the vote is open. */
export type VoteChoice = MemberChoice | 'pending';

export interface CorrectionView {
  memberId: string;
  from: MemberChoice;
  to: MemberChoice;
  reason: string;
  at: string;
}

/** A vote's subject changed by `vote.rename`: the titles before and after, and why. */
export interface RenameView {
  from: string;
  to: string;
  reason: string;
  at: string;
}

/** A closed secret ballot's totals corrected (`tally.correct`): before, after, and why. */
export interface TallyCorrectionView {
  from: Totals;
  to: Totals;
  reason: string;
  at: string;
}

/**
 * One field of the record corrected after the sitting opened (`sitting.correct`,
 * `item.correct`, `member.correct`, `vote.move`): what, its value before and after, and why.
 * `id` is the item's, the member's or the vote's id, null for the sitting itself; a moved vote's
 * `from`/`to` are the items' numbers (null: on no item).
 */
export type RecordCorrectionView = {
  from: string | null;
  to: string | null;
  reason: string;
  at: string;
} & (
  | { target: 'sitting'; id: null; field: SittingDetail }
  | { target: 'item'; id: string; field: ItemDetail }
  | { target: 'member'; id: string; field: 'name' }
  | { target: 'vote'; id: string; field: 'item' }
);

/** What an open and a closed vote both show. */
interface VoteViewBase {
  id: string;
  itemId: string | null;
  /** The formula voted on ("за основу", "поправка № 3", or free text); see `title`. */
  subject: string;
  /** The stage picked from the usual formulas; null for free text (and votes recorded before stages). */
  stage: Stage | null;
  /** What is published and shown on air: "<item title> — <formula>" (protocol/voteTitle.ts). */
  title: string;
  rule: Rule;
  ballot: Ballot;
  openedAt: string;
  /** Set when the clerk opened the vote without a quorum. */
  forced: { reason: string } | null;
  composition: number;
  required: number;
  counts: Counts;
  /** Roll-call votes only. */
  choices?: Record<string, VoteChoice>;
  corrections?: CorrectionView[];
  /** Changes of the subject, oldest first; only when there were any. */
  renames?: RenameView[];
  /** Secret ballots only: corrections of the totals after the close, oldest first; only when there were any. */
  tallyCorrections?: TallyCorrectionView[];
}

/** A vote still open: counts follow attendance, choices not entered yet are pending. */
export interface OpenVoteView extends VoteViewBase {
  status: 'open';
  closedAt: null;
  result: null;
}

/** A closed vote: its outcome fixed at its closing time (and by each correction since). */
export interface ClosedVoteView extends VoteViewBase {
  status: 'closed';
  closedAt: string;
  result: 'adopted' | 'rejected';
}

export type VoteView = OpenVoteView | ClosedVoteView;

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
  /** Скликання, e.g. "VIII" (open data `convocation`); set on every sitting's body. */
  convocation?: string | null;
  /** ЄДРПОУ code (open data `authorityId`). */
  authorityId?: string | null;
  /** КАТОТТГ code (open data `authorityCattutc`). */
  katottg?: string | null;
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
  /** Only for a cancelled sitting: when and why. */
  cancelled?: { at: string; reason: string };
}

/** One change of the agenda after it was set: an item inserted, moved, postponed or taken up again. */
export interface AgendaChange {
  at: string;
  kind: 'inserted' | 'moved' | 'postponed' | 'resumed';
  itemId: string;
  /** inserted, moved: the item it now follows; null for the first place. */
  after?: string | null;
}

export interface SittingView extends SittingHeader {
  /** Сесія, e.g. "67 сесія" (open data `legislativeSession`). */
  session: string | null;
  /** The hash of the event at `seq`. */
  headHash: string | null;
  body: BodySummary;
  roster: Member[];
  agenda: AgendaItemView[];
  /** Every insertion, move, postponement and resumption, oldest first. */
  agendaHistory: AgendaChange[];
  currentItemId: string | null;
  attendance: { present: string[] };
  quorum: { registered: number; needed: number; met: boolean };
  /** Total composition N now (fixed per vote once it closes). */
  composition: number;
  votes: VoteView[];
  /** The sitting's video recording, once any of it was recorded. */
  recording?: VideoRecordingView;
  /** Corrections of the sitting's details, its items and members' names, oldest first; only when there were any. */
  corrections?: RecordCorrectionView[];
}

/** A moment of the sitting located in its recording (for chapters and deep links). */
export interface VideoRecordingMark {
  kind: 'item' | 'vote-opened' | 'vote-closed';
  /** The agenda item's or the vote's id. */
  id: string;
  at: string;
  /** Seconds from the start of the recording. */
  offset: number;
}

export interface VideoRecordingView {
  /** `recording` while the sitting is live, `complete` once closed, `expired` after retention. */
  status: 'recording' | 'complete' | 'expired';
  /** HLS playlist (EVENT while recording, VOD when complete); null once expired. */
  playlist: string | null;
  /** Program date-time of the first recorded frame. */
  startedAt: string | null;
  /** Seconds of video. */
  duration: number;
  marks: VideoRecordingMark[];
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
