// From the record to every subscriber: turns each committed command into one ordered update
// per sitting (events + a patch of what changed), keeps recent updates for catch-up, keeps each
// sitting's latest view with its encoding for snapshots (built once per seq, not per
// subscriber), announces a recording's growth apart and rarely, moves a
// room's followers when the room's sitting changes — by a command, or by the clock when a
// closed sitting's hours as the room's sitting are up (one timer per room, set for that
// moment) — and relays on-air changes. Each update is built once and encoded once per
// namespace by socket.io's room broadcast (one pre-framed WebSocket message handed to every
// socket), whatever the number of subscribers, right after the committing code has written the
// clerk's acknowledgement (a microtask later, before any other I/O).
import type { Namespace } from 'socket.io';
import type { LogEntry } from '../../protocol/answers.ts';
import { errorBody } from '../../protocol/errors.ts';
import { LIVE_PATCH_VERSION } from '../../protocol/livePatch.ts';
import type { Catchup, RecordingAnnouncement, RoomState, SittingUpdate, SubscribeAnswer, SubscribeRequest } from '../../protocol/socket.ts';
import type { VideoRecordingView, SittingView } from '../../protocol/views.ts';
import { roomStream, sittingIdOf, sittingStream } from '../../protocol/events.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { diffView } from './diffView.ts';
import type { SharedLive } from './SharedLive.ts';
import { followChangesAt, roomSitting } from './roomSitting.ts';
import { UpdateBuffer } from './UpdateBuffer.ts';

import { roomChannel, sittingChannel } from './channels.ts';

/** A recording's duration is announced when it grew by this much (its marks and status at once). */
export const RECORDING_GROWTH_S = 60;
/** How often the recordings of the sittings held are looked at (they grow without commands) and live sittings' heads told. */
const TICK_MS = 15_000;
/** Sittings whose latest view is kept for snapshots. */
const KEPT_SITTINGS = 16;

/** A sitting's latest public view, its snapshot encoding (made when first asked) and the recording last announced. */
interface Latest {
  seq: number;
  view: SittingView;
  encoded: Buffer | null;
  announced: VideoRecordingView | null;
}

// Events after which a room may follow another sitting (a cancelled or moved sitting leaves its room).
const ROOM_CHANGING_EVENTS = new Set(['sitting.created', 'sitting.opened', 'sitting.closed', 'sitting.updated', 'sitting.cancelled']);

export interface HubDeps {
  record: CouncilRecord;
  /** The composed public view (record + recording marks). */
  view: (sittingId: string) => SittingView | undefined;
  now: () => Date;
  /** A sign-language interpreter is on air in the room (issue 17). */
  interpreter?: (room: string) => boolean;
  /** Told of each update once it is handed to the subscribers: its size and how long after the commit. */
  observe?: (bytes: number, lagSeconds: number) => void;
  /** A writer with edges: where the edges read sittings and rooms (Redis), and what to do when a write fails. */
  shared?: { live: SharedLive; failed: (err: unknown) => void };
}

export class LiveHub {
  readonly #deps: HubDeps;
  readonly #namespaces: Namespace[] = [];
  readonly #buffer = new UpdateBuffer();
  /** Latest view per sitting (the next patch is computed from it), in order of last use. */
  readonly #latest = new Map<string, Latest>();
  readonly #ticker: NodeJS.Timeout;
  /** Which sitting each followed room is on. */
  readonly #follows = new Map<string, string | null>();
  /** Per followed room: the timer for the moment the clock changes its sitting. */
  readonly #followTimers = new Map<string, NodeJS.Timeout>();
  readonly #onAppended = (stream: string, events: LogEntry[]) => this.#appended(stream, events);
  /** Emissions waiting for the committing code to finish, in commit order. */
  readonly #pending: (() => void)[] = [];
  #closed = false;

  constructor(deps: HubDeps) {
    this.#deps = deps;
    deps.record.on('appended', this.#onAppended);
    this.#ticker = setInterval(() => this.#tick(), TICK_MS);
    this.#ticker.unref();
  }

  attach(namespace: Namespace): void {
    this.#namespaces.push(namespace);
  }

  /**
   * Emits in commit order, right after the code that committed (a microtask, not a turn of the
   * event loop): the command's acknowledgement is written first, so the clerk never waits behind
   * a crowd of residents (at 10,000 the fan-out's writes take about half a second), and the
   * residents' updates follow before any other I/O is handled. Writing one pre-framed message to
   * each socket is the whole per-subscriber cost.
   */
  #emit(channel: string, event: 'update' | 'snapshot' | 'room' | 'recording' | 'head', payload: unknown): void {
    this.#later(() => {
      for (const nsp of this.#namespaces) nsp.to(channel).emit(event, payload);
    });
  }

  #later(step: () => void): void {
    this.#pending.push(step);
    if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    for (const step of this.#pending.splice(0)) step();
  }

  #roomState(room: string): RoomState | null {
    const info = this.#deps.record.registry.rooms.get(room);
    if (!info) return null;
    return {
      room,
      name: info.name,
      sittingId: this.#follow(room),
      onAir: this.#deps.record.onAir(room),
      seq: this.#deps.record.head(roomStream(room))?.seq ?? 0,
      interpreter: this.#deps.interpreter?.(room) ?? false,
      serverTime: this.#deps.now().toISOString(),
    };
  }

  #follow(room: string): string | null {
    if (!this.#follows.has(room)) {
      this.#follows.set(room, roomSitting(this.#deps.record.sittings(), room, this.#deps.now()));
      this.#scheduleRefollow(room);
    }
    return this.#follows.get(room) ?? null;
  }

  /** Sets the room's timer for when the clock rule next moves it (e.g. 12 h after a close). */
  #scheduleRefollow(room: string): void {
    clearTimeout(this.#followTimers.get(room));
    this.#followTimers.delete(room);
    const now = this.#deps.now();
    const at = followChangesAt(this.#deps.record.sittings(), room, now);
    if (at === null || this.#closed) return;
    // setTimeout holds at most ~24.8 days; the rule's hours are far below that.
    const timer = setTimeout(() => {
      this.#followTimers.delete(room);
      this.#refollow(room);
    }, at - now.getTime() + 1);
    timer.unref();
    this.#followTimers.set(room, timer);
  }

  /** The sitting's latest view, rebuilt only when its seq moved on. */
  #latestOf(sittingId: string): Latest | null {
    const seq = this.#deps.record.head(sittingStream(sittingId))?.seq ?? 0;
    const kept = this.#latest.get(sittingId);
    if (kept?.seq === seq) return this.#keep(sittingId, kept);
    const view = this.#deps.view(sittingId);
    if (!view) return null;
    return this.#keep(sittingId, { seq: view.seq, view, encoded: null, announced: kept?.announced ?? view.recording ?? null });
  }

  #keep(sittingId: string, latest: Latest): Latest {
    // Re-inserted, so the map's order is the order of last use: the first is the stalest.
    this.#latest.delete(sittingId);
    this.#latest.set(sittingId, latest);
    const stalest = this.#latest.keys().next();
    if (this.#latest.size > KEPT_SITTINGS && !stalest.done) this.#latest.delete(stalest.value);
    return latest;
  }

  static #encode(latest: Latest): Buffer {
    latest.encoded ??= Buffer.from(JSON.stringify(latest.view));
    return latest.encoded;
  }

  /**
   * Answers a subscription and joins the socket to its channels in the same tick, so no update
   * can fall between the snapshot and the first update.
   */
  subscribe(socket: { join(rooms: string[]): void; leave(room: string): void; rooms: Set<string>; id: string }, request: SubscribeRequest): SubscribeAnswer {
    const room = request.room ?? null;
    if (room !== null && !this.#deps.record.registry.rooms.has(room)) {
      return { ok: false, error: errorBody('not-found', { what: 'room', id: room }) };
    }
    const sittingId = room !== null ? this.#follow(room) : (request.sittingId ?? null);
    // Updates committed before this subscription go out first, so the snapshot below is
    // never followed by an update it already contains.
    this.#flush();
    const latest = sittingId === null ? null : this.#latestOf(sittingId);
    if (sittingId !== null && !latest) return { ok: false, error: errorBody('not-found', { what: 'sitting', id: sittingId }) };
    for (const joined of [...socket.rooms]) if (joined !== socket.id) socket.leave(joined);
    socket.join([...(room !== null ? [roomChannel(room)] : []), ...(sittingId !== null ? [sittingChannel(sittingId)] : [])]);
    const since = request.since?.sittingId === sittingId ? request.since : undefined;
    let catchup: Catchup = { kind: 'none' };
    let recording: RecordingAnnouncement | undefined;
    if (latest && sittingId !== null) {
      const encoded = LiveHub.#encode(latest);
      const missed = this.#buffer.catchup({ sittingId, seq: latest.seq, size: encoded.length }, since?.seq);
      catchup = missed.kind === 'snapshot' ? { kind: 'snapshot', encoded } : missed;
      // A client catching up without a snapshot may have missed announcements of the recording.
      if (missed.kind !== 'snapshot' && latest.announced) recording = announcement(sittingId, latest.announced, since?.marks ?? 0);
    }
    return {
      ok: true,
      sittingId,
      seq: latest?.seq ?? 0,
      catchup,
      patchVersion: LIVE_PATCH_VERSION,
      ...(recording ? { recording } : {}),
      room: room !== null ? this.#roomState(room) : null,
      serverTime: this.#deps.now().toISOString(),
    };
  }

  #appended(stream: string, events: LogEntry[]): void {
    if (this.#closed) return;
    const [first] = events;
    if (!first) return;
    if (first.event.type === 'onair.changed') {
      const { room } = first.event;
      const state = this.#roomState(room);
      if (state) this.#emitRoom(state);
      return;
    }
    const sittingId = sittingIdOf(stream);
    if (sittingId === null) return;
    const view = this.#deps.view(sittingId);
    if (!view) return;
    const fromSeq = first.seq - 1;
    const before = this.#latest.get(sittingId);
    const update: SittingUpdate = {
      sittingId,
      seq: events.at(-1)?.seq ?? first.seq,
      events: events.map(({ seq, at, event }) => ({ seq, at, event })),
      patch: diffView(before?.seq === fromSeq ? before.view : undefined, view),
    };
    const latest = this.#keep(sittingId, { seq: view.seq, view, encoded: null, announced: before?.announced ?? null });
    const size = this.#buffer.push(update);
    const committed = performance.now();
    this.#emit(sittingChannel(sittingId), 'update', update);
    this.#announceRecording(sittingId, latest);
    this.#share(sittingId, latest, update);
    this.#deps.observe?.(size, (performance.now() - committed) / 1000);
    if (events.some((e) => ROOM_CHANGING_EVENTS.has(e.event.type))) this.#refollow(view.room);
    // Nothing more will come for a closed sitting: a late client gets a snapshot.
    if (view.status === 'closed') this.#buffer.forget(sittingId);
  }

  /** Something of the room's state outside the record changed (an interpreter came or went): tell its pages. */
  roomChanged(room: string): void {
    const state = this.#roomState(room);
    if (state) this.#emitRoom(state);
  }

  #emitRoom(state: RoomState): void {
    this.#emit(roomChannel(state.room), 'room', state);
    this.#deps.shared?.live.putRoom(state).catch(this.#deps.shared.failed);
  }

  /** Writes a sitting's latest view (and the update that led to it) where the edges read it. */
  #share(sittingId: string, latest: Latest, update: SittingUpdate | 'keep' | 'reset'): void {
    const shared = this.#deps.shared;
    if (!shared) return;
    const closed = latest.view.status === 'closed';
    shared.live.putSitting(sittingId, latest.seq, LiveHub.#encode(latest).toString(), latest.announced, update, closed).catch(shared.failed);
  }

  /**
   * Writes every room's state and the latest view of the sitting each follows where the edges
   * read them: at start, and again after Redis lost them (a restart without persistence).
   */
  publishAll(): void {
    for (const room of this.#deps.record.registry.rooms.keys()) {
      const state = this.#roomState(room);
      if (!state) continue;
      this.#deps.shared?.live.putRoom(state).catch(this.#deps.shared.failed);
      const latest = state.sittingId === null ? null : this.#latestOf(state.sittingId);
      if (latest && state.sittingId !== null) this.#share(state.sittingId, latest, 'reset');
    }
  }

  /** Announces the recording of a kept view when it changed enough since the last announcement. */
  #announceRecording(sittingId: string, latest: Latest): void {
    const now = latest.view.recording;
    const before = latest.announced;
    if (!now || !recordingMoved(before, now)) return;
    latest.announced = now;
    const from = before && marksContinue(before, now) ? before.marks.length : 0;
    this.#emit(sittingChannel(sittingId), 'recording', announcement(sittingId, now, from));
  }

  /**
   * Now and then: announces recordings that grew (they grow without commands) and tells each
   * live sitting's head, so a client that lost an update on the way (Redis restarting between
   * the writer and its edge) notices and resubscribes.
   */
  #tick(): void {
    for (const [sittingId, kept] of [...this.#latest]) {
      if (kept.view.status === 'live') this.#emit(sittingChannel(sittingId), 'head', { sittingId, seq: kept.seq });
      const view = this.#deps.view(sittingId);
      if (!view || view.seq !== kept.seq || !view.recording || !recordingMoved(kept.announced, view.recording)) continue;
      const latest: Latest = { ...kept, view, encoded: null };
      this.#latest.set(sittingId, latest);
      this.#announceRecording(sittingId, latest);
      this.#share(sittingId, latest, 'keep');
    }
  }

  /** Moves a room's followers when the room's sitting changed (e.g. a new sitting opened). */
  #refollow(room: string): void {
    if (!this.#follows.has(room)) return;
    const before = this.#follows.get(room) ?? null;
    const after = roomSitting(this.#deps.record.sittings(), room, this.#deps.now());
    this.#scheduleRefollow(room);
    if (after === before) return;
    this.#follows.set(room, after);
    this.#later(() => {
      for (const nsp of this.#namespaces) {
        const followers = nsp.in(roomChannel(room));
        if (before !== null) followers.socketsLeave(sittingChannel(before));
        if (after !== null) followers.socketsJoin(sittingChannel(after));
      }
    });
    // The room state first, so a page that sees the new view already knows the room moved.
    const state = this.#roomState(room);
    if (state) this.#emitRoom(state);
    const view = after === null ? null : (this.#latestOf(after)?.view ?? null);
    this.#emit(roomChannel(room), 'snapshot', { room, view, serverTime: this.#deps.now().toISOString() });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ticker);
    for (const timer of this.#followTimers.values()) clearTimeout(timer);
    this.#deps.record.off('appended', this.#onAppended);
  }
}

/** Whether a recording changed enough to announce: anything but its duration, or a minute more of it. */
function recordingMoved(before: VideoRecordingView | null, now: VideoRecordingView): boolean {
  if (!before) return true;
  return (
    before.status !== now.status ||
    before.playlist !== now.playlist ||
    before.startedAt !== now.startedAt ||
    !marksContinue(before, now) ||
    before.marks.length !== now.marks.length ||
    now.duration - before.duration >= RECORDING_GROWTH_S
  );
}

/** Whether the marks announced before are still the first ones now (marks are added, rarely rewritten). */
function marksContinue(before: VideoRecordingView, now: VideoRecordingView): boolean {
  const last = before.marks.length - 1;
  return before.marks.length <= now.marks.length && (last < 0 || JSON.stringify(before.marks[last]) === JSON.stringify(now.marks[last]));
}

export function announcement(sittingId: string, recording: VideoRecordingView, marksFrom: number): RecordingAnnouncement {
  const from = Math.min(marksFrom, recording.marks.length);
  const { marks, ...rest } = recording;
  return { sittingId, ...rest, marksFrom: from, marks: marks.slice(from) };
}
