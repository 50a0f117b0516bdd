// From the record to every subscriber: turns each committed command into one ordered update
// per sitting (events + view patch + server time), keeps recent updates for catch-up, moves a
// room's followers when the room's sitting changes — by a command, or by the clock when a
// closed sitting's hours as the room's sitting are up (one timer per room, set for that
// moment) — and relays on-air changes. Each update is
// encoded once per namespace by socket.io, whatever the number of subscribers.
import type { Namespace } from 'socket.io';
import type { LogEntry } from '../../protocol/answers.ts';
import { errorBody } from '../../protocol/errors.ts';
import type { RoomState, SittingUpdate, SubscribeAnswer, SubscribeRequest } from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';
import { roomStream, sittingIdOf } from '../../protocol/events.ts';
import type { SittingRecord } from '../store/SittingRecord.ts';
import { diffView } from './diffView.ts';
import { followChangesAt, roomSitting } from './roomSitting.ts';
import { UpdateBuffer } from './UpdateBuffer.ts';

export const sittingChannel = (id: string): string => `sitting:${id}`;
export const roomChannel = (room: string): string => `follow:${room}`;

// Events after which a room may follow another sitting (a cancelled or moved sitting leaves its room).
const ROOM_CHANGING_EVENTS = new Set(['sitting.created', 'sitting.opened', 'sitting.closed', 'sitting.updated', 'sitting.cancelled']);

export interface HubDeps {
  record: SittingRecord;
  /** The composed public view (record + recording marks). */
  view: (sittingId: string) => SittingView | undefined;
  now: () => Date;
  /** Told of each update once it is handed to the subscribers: its size and how long after the commit. */
  observe?: (bytes: number, lagSeconds: number) => void;
}

export class LiveHub {
  readonly #deps: HubDeps;
  readonly #namespaces: Namespace[] = [];
  readonly #buffer = new UpdateBuffer();
  /** Last view sent per sitting, to compute the next patch. */
  readonly #views = new Map<string, SittingView>();
  /** Which sitting each followed room is on. */
  readonly #follows = new Map<string, string | null>();
  /** Per followed room: the timer for the moment the clock changes its sitting. */
  readonly #followTimers = new Map<string, NodeJS.Timeout>();
  readonly #onAppended = (stream: string, events: LogEntry[]) => this.#appended(stream, events);
  /** Emissions waiting for the next turn of the event loop, in commit order. */
  readonly #pending: (() => void)[] = [];
  #flushScheduled = false;
  #closed = false;

  constructor(deps: HubDeps) {
    this.#deps = deps;
    deps.record.on('appended', this.#onAppended);
  }

  attach(namespace: Namespace): void {
    this.#namespaces.push(namespace);
  }

  /**
   * Queues an emission: the command's acknowledgement is written first and the fan-out follows
   * on the next turn, so a crowd of viewers never delays the clerk. Order is kept.
   */
  #emit(channel: string, event: 'update' | 'snapshot' | 'room', payload: unknown): void {
    this.#later(() => {
      for (const nsp of this.#namespaces) nsp.to(channel).emit(event, payload);
    });
  }

  #later(step: () => void): void {
    this.#pending.push(step);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    for (const emit of this.#pending.splice(0)) emit();
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

  /**
   * Answers a subscription and joins the socket to its channels in the same tick, so no update
   * can fall between the snapshot and the first update.
   */
  subscribe(socket: { join(rooms: string[]): void; leave(room: string): void; rooms: Set<string>; id: string }, request: SubscribeRequest): SubscribeAnswer {
    const room = request.room ?? null;
    if (room !== null && !this.#deps.record.registry.rooms.has(room)) {
      return { ok: false, error: errorBody('not-found', { what: 'room', id: room }) };
    }
    const sittingId = room !== null ? this.#follow(room) : request.sittingId!;
    const view = sittingId === null ? undefined : this.#deps.view(sittingId);
    if (sittingId !== null && !view) return { ok: false, error: errorBody('not-found', { what: 'sitting', id: sittingId }) };
    // Updates committed before this subscription go out first, so the snapshot below is
    // never followed by an update it already contains.
    this.#flush();
    for (const joined of [...socket.rooms]) if (joined !== socket.id) socket.leave(joined);
    socket.join([...(room !== null ? [roomChannel(room)] : []), ...(sittingId !== null ? [sittingChannel(sittingId)] : [])]);
    const since = request.since?.sittingId === sittingId ? request.since.seq : undefined;
    return {
      ok: true,
      sittingId,
      seq: view?.seq ?? 0,
      catchup: view ? this.#buffer.catchup(view, since) : { kind: 'none' },
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
      if (state) this.#emit(roomChannel(room), 'room', state);
      return;
    }
    const sittingId = sittingIdOf(stream);
    if (sittingId === null) return;
    const view = this.#deps.view(sittingId);
    if (!view) return;
    const update: SittingUpdate = {
      sittingId,
      fromSeq: first.seq - 1,
      seq: events.at(-1)!.seq,
      events: events.map(({ seq, at, event }) => ({ seq, at, event })),
      patch: diffView(this.#views.get(sittingId), view),
      serverTime: this.#deps.now().toISOString(),
    };
    this.#views.set(sittingId, view);
    const size = this.#buffer.push(update);
    const committed = performance.now();
    this.#emit(sittingChannel(sittingId), 'update', update);
    if (this.#deps.observe) this.#later(() => this.#deps.observe?.(size, (performance.now() - committed) / 1000));
    if (events.some((e) => ROOM_CHANGING_EVENTS.has(e.event.type))) this.#refollow(view.room);
    if (view.status === 'closed') {
      this.#views.delete(sittingId);
      this.#buffer.forget(sittingId);
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
    if (state) this.#emit(roomChannel(room), 'room', state);
    const view = after === null ? null : (this.#deps.view(after) ?? null);
    this.#emit(roomChannel(room), 'snapshot', { room, view, serverTime: this.#deps.now().toISOString() });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#followTimers.values()) clearTimeout(timer);
    this.#deps.record.off('appended', this.#onAppended);
  }
}
