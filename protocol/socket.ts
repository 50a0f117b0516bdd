// The whole socket protocol in one place: namespaces, event names, payloads and typed acks,
// imported by the server and every page. `/live` is public and read-only; `/clerk` needs a
// session cookie or a bearer API token and also carries commands.
import type { CommandAnswer, LogEntry } from './answers.ts';
import type { IngestStatus } from './media.ts';
import type { RoomDestinations } from './restream.ts';
import type { ErrorBody } from './errors.ts';
import type { OnAir } from './model.ts';
import type { SittingView, VoteView } from './views.ts';

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
  since?: { sittingId: string; seq: number };
}

/** Top-level fields of the view that changed; `votes` lists only the votes that changed or are new. */
export type ViewPatch = Partial<Omit<SittingView, 'votes'>> & { votes?: VoteView[] };

/** An event as the live channel carries it; the hash chain is at GET /api/sittings/:id/log. */
export type LiveEvent = Pick<LogEntry, 'seq' | 'at' | 'event'>;

export interface SittingUpdate {
  sittingId: string;
  /** seq before this update; a client holding another seq must resync. */
  fromSeq: number;
  seq: number;
  events: LiveEvent[];
  patch: ViewPatch;
  serverTime: string;
}

export interface RoomState {
  room: string;
  name: string;
  /** The sitting the room follows now, or null when the room has none. */
  sittingId: string | null;
  onAir: OnAir;
  /** seq of the room's own on-air stream. */
  seq: number;
  serverTime: string;
}

export type Catchup =
  | { kind: 'snapshot'; view: SittingView }
  | { kind: 'updates'; updates: SittingUpdate[] }
  | { kind: 'none' };

export type SubscribeAnswer =
  | {
      ok: true;
      sittingId: string | null;
      seq: number;
      /** Without `since`, always a snapshot; with it, the missed updates or a snapshot, whichever is shorter. */
      catchup: Catchup;
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
