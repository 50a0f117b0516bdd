// The whole socket protocol in one place: namespaces, event names, payloads and typed acks,
// imported by the server and every page. `/live` is public and read-only; `/clerk` needs a
// session cookie or a bearer API token and also carries commands.
import type { CommandAnswer, LogEntry } from './answers.ts';
import type { IngestStatus } from './media.ts';
import type { RoomDestinations } from './restream.ts';
import type { ErrorBody } from './errors.ts';
import type { OnAir } from './model.ts';
import type { Counts, VideoRecordingMark, VideoRecordingView, SittingView, VoteChoice, VoteView } from './views.ts';

export const LIVE_NAMESPACE = '/live';
export const CLERK_NAMESPACE = '/clerk';

/**
 * Follow a room (whichever sitting is live there, else the most relevant one) or one sitting;
 * after a reconnect, `since` says what the client already holds. Validated on the server by
 * `protocol/subscribeSchema.ts` (kept apart so pages do not bundle zod).
 */
export interface SubscribeRequest {
  room?: string;
  sittingId?: string;
  /** `marks`: how many marks of the sitting's recording the client holds (announcements continue from there). */
  since?: { sittingId: string; seq: number; marks?: number };
}

/** Fields a view may lack (optional in `SittingView`): a patch may remove them. */
export type OptionalViewField = { [K in keyof SittingView]-?: undefined extends SittingView[K] ? K : never }[keyof SittingView];

/** A known vote's change: fields replaced, `choices` merged member by member, `counts` only where they differ from what the moved choices imply (`impliedCounts` in protocol/livePatch.ts). */
export type VoteMerge = Partial<Omit<VoteView, 'id' | 'counts' | 'choices'>> & { counts?: Partial<Counts>; choices?: Record<string, VoteChoice> };

/** A vote in a patch: `{whole}` for a new vote (or one that lost a field; no vote field is named `whole`), else a merge. */
export type VotePatch = { whole: VoteView } | VoteMerge;

/**
 * What one update changes in the held view: live patch version 2, stated once per subscription
 * in the answer's `patchVersion` (documented in docs/api.md, "Live patch format"). Never `seq`
 * (the update's own), `headHash` (as `hash`, base64url) or `recording` (announced apart).
 */
export interface ViewPatch {
  /** Top-level fields that changed, each whole. */
  set?: Partial<Omit<SittingView, 'votes' | 'seq' | 'headHash' | 'recording'>>;
  unset?: OptionalViewField[];
  /** The new head hash in base64url (43 characters for the 64 hex of `headHash`). */
  hash?: string | null;
  /** Changed or new votes by id. */
  votes?: Record<string, VotePatch>;
}

/** An event as the live channel carries it; the hash chain is at GET /api/sittings/:id/log. */
export type LiveEvent = Pick<LogEntry, 'seq' | 'at' | 'event'>;

/**
 * One ordered change of a sitting. Its events are numbered from the seq a client must hold plus
 * one (`fromSeqOf` in protocol/livePatch.ts) up to `seq`; a client holding another seq resyncs.
 */
export interface SittingUpdate {
  sittingId: string;
  seq: number;
  events: LiveEvent[];
  patch: ViewPatch;
}

/**
 * The recording of a sitting grew or changed: sent apart from updates, when its status,
 * playlist or marks change, or its duration grew by a minute. `marks` continue the held ones
 * from index `marksFrom` (a client holding fewer resyncs).
 */
export interface RecordingAnnouncement extends Omit<VideoRecordingView, 'marks'> {
  sittingId: string;
  marksFrom: number;
  marks: VideoRecordingMark[];
}

export interface RoomState {
  room: string;
  name: string;
  /** The sitting the room follows now, or null when the room has none. */
  sittingId: string | null;
  onAir: OnAir;
  /** seq of the room's own on-air stream. */
  seq: number;
  /** A sign-language interpreter is on air: its picture plays from `interpreterPlaylist(room)` (issue 17). */
  interpreter: boolean;
  serverTime: string;
}

export type Catchup =
  /** The view's JSON text as bytes, encoded once per sitting and seq (`decodeSnapshot`). */
  | { kind: 'snapshot'; encoded: Uint8Array | ArrayBuffer }
  | { kind: 'updates'; updates: SittingUpdate[] }
  | { kind: 'none' };

export type SubscribeAnswer =
  | {
      ok: true;
      sittingId: string | null;
      seq: number;
      /** Without `since`, always a snapshot; with it, the missed updates or a snapshot, whichever is shorter. */
      catchup: Catchup;
      /** Live patch version of the updates that follow (2). */
      patchVersion: number;
      /** Without a snapshot: the recording as last announced, its marks from `since.marks` on. */
      recording?: RecordingAnnouncement;
      room: RoomState | null;
      serverTime: string;
    }
  | { ok: false; error: ErrorBody };

export type ErrorAnswer = { ok: false; error: ErrorBody };

export interface LiveServerToClient {
  /** An ordered change of the followed sitting. */
  update: (update: SittingUpdate) => void;
  /** The followed room moved to another sitting: start over from this view. */
  snapshot: (snapshot: { room: string; view: SittingView | null; serverTime: string }) => void;
  /** The room's on-air state changed (clerk's on-air panel). */
  room: (state: RoomState) => void;
  /** The followed sitting's recording grew or changed (rarely: see RecordingAnnouncement). */
  recording: (announced: RecordingAnnouncement) => void;
  /** The sitting's latest seq, now and then: a client holding less lost an update and resubscribes. */
  head: (head: { sittingId: string; seq: number }) => void;
}

export interface LiveClientToServer {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAnswer) => void) => void;
  unsubscribe: (ack: (answer: { ok: true }) => void) => void;
}

export interface ClerkServerToClient extends LiveServerToClient {
  /** A room's ingest state (encoder connected, codec, bitrate, problems): on connect for every room, then on each change. */
  ingest: (status: IngestStatus) => void;
  /** A room's restream destinations with their relay status (no keys): on connect for every room, then on each change. */
  destinations: (destinations: RoomDestinations) => void;
}

export interface ClerkClientToServer extends LiveClientToServer {
  /** The same command union and answer as POST /api/commands. */
  command: (command: unknown, ack: (answer: CommandAnswer | ErrorAnswer) => void) => void;
}
