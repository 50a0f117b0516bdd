// A page's live view of a room or a sitting over `/live` (or `/clerk`): subscribes on every
// (re)connect with the seq it holds, applies ordered updates (live patch version 2,
// protocol/livePatch.ts) and recording announcements, resyncs on any gap, and keeps the last
// state when the connection drops. Used by the residents' pages, the overlay, the
// console and the tests alike.
import { io, type Socket } from 'socket.io-client';
import { applyRecording, applyUpdate, fromSeqOf, LIVE_PATCH_VERSION } from '../../protocol/livePatch.ts';
import {
  LIVE_NAMESPACE,
  type LiveClientToServer,
  type LiveServerToClient,
  type RecordingAnnouncement,
  type RoomState,
  type SubscribeAnswer,
  type SubscribeRequest,
  type SittingUpdate,
} from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';
import type { ErrorBody } from '../../protocol/errors.ts';

export type FeedTarget = { room: string } | { sittingId: string };

/** A snapshot as it travels: the view's JSON text as bytes, encoded once per sitting and seq by the server. */
export function decodeSnapshot(encoded: Uint8Array | ArrayBuffer): SittingView {
  return JSON.parse(new TextDecoder().decode(encoded)) as SittingView;
}

/** Wait before asking again after the server failed to answer a subscription. */
const RETRY_MS = 1000;

const sameTarget = (a: FeedTarget | null, b: FeedTarget | null): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface FeedState {
  view: SittingView | null;
  room: RoomState | null;
  connected: boolean;
  /** Server clock minus local clock, in ms (estimated from the latest server time seen). */
  clockOffsetMs: number;
  error: ErrorBody | null;
}

export interface LiveFeedOptions {
  /** Base URL of the server; the page's own origin when omitted. */
  url?: string;
  namespace?: string;
  socketOptions?: Parameters<typeof io>[1];
  onChange?: (state: FeedState, update?: SittingUpdate) => void;
}

export class LiveFeed {
  readonly socket: Socket<LiveServerToClient, LiveClientToServer>;
  #state: FeedState = { view: null, room: null, connected: false, clockOffsetMs: 0, error: null };
  /** null: connected, following nothing (e.g. a console that only sends commands for now). */
  #target: FeedTarget | null;
  /** Counts subscriptions, so the answer to an older one (before `follow`) is ignored. */
  #subscription = 0;
  /** Updates that arrived while a subscription was unanswered (an edge joins before it reads the state). */
  #early: SittingUpdate[] | null = null;
  readonly #onChange: LiveFeedOptions['onChange'];
  #closed = false;

  constructor(target: FeedTarget | null, options: LiveFeedOptions = {}) {
    this.#target = target;
    this.#onChange = options.onChange;
    const nsp = options.namespace ?? LIVE_NAMESPACE;
    this.socket = options.url ? io(`${options.url}${nsp}`, options.socketOptions) : io(nsp, options.socketOptions);
    this.socket.on('connect', () => this.#subscribe());
    this.socket.on('disconnect', () => this.#set({ connected: false }));
    this.socket.on('update', (u) => this.#update(u));
    this.socket.on('snapshot', (s) => {
      this.#clock(s.serverTime);
      this.#set({ view: s.view });
    });
    this.socket.on('room', (room) => {
      this.#clock(room.serverTime);
      this.#set({ room });
    });
    this.socket.on('recording', (announced) => this.#recording(announced));
    this.socket.on('head', (head) => {
      const view = this.#state.view;
      // An update was lost on the way (e.g. Redis restarted between two servers): ask again.
      if (view && head.sittingId === view.id && head.seq > view.seq && this.#early === null) this.#subscribe();
    });
  }

  get state(): FeedState {
    return this.#state;
  }

  /** Server time now, by the estimated offset. */
  serverNow(): number {
    return Date.now() + this.#state.clockOffsetMs;
  }

  #set(change: Partial<FeedState>, update?: SittingUpdate): void {
    this.#state = { ...this.#state, ...change };
    this.#onChange?.(this.#state, update);
  }

  #clock(serverTime: string): void {
    this.#state = { ...this.#state, clockOffsetMs: Date.parse(serverTime) - Date.now() };
  }

  /** Follows another room or sitting (or none) on the same connection; the held view is dropped. */
  follow(target: FeedTarget | null): void {
    if (sameTarget(target, this.#target)) return;
    this.#target = target;
    this.#set({ view: null, room: null, error: null });
    if (this.socket.connected) this.#subscribe();
  }

  /** Asks again from the held seq, e.g. after a refused command, so the page shows the true state. */
  resync(): void {
    if (this.socket.connected) this.#subscribe();
  }

  #subscribe(): void {
    const subscription = ++this.#subscription;
    this.#early = [];
    if (this.#target === null) {
      this.#early = null;
      this.socket.emit('unsubscribe', () => undefined);
      return this.#set({ connected: true });
    }
    const held = this.#state.view;
    const request: SubscribeRequest = {
      ...this.#target,
      ...(held ? { since: { sittingId: held.id, seq: held.seq, marks: held.recording?.marks.length ?? 0 } } : {}),
    };
    this.socket.emit('subscribe', request, (answer: SubscribeAnswer) => {
      if (subscription === this.#subscription) this.#answered(answer);
    });
  }

  #answered(answer: SubscribeAnswer): void {
    const early = this.#early ?? [];
    this.#early = null;
    if (!answer.ok) {
      // A fault of the server (e.g. an edge that cannot read Redis for a moment): ask again soon.
      if (answer.error.code === 'internal') setTimeout(() => this.#closed || !this.socket.connected || this.#subscribe(), RETRY_MS);
      return this.#set({ connected: true, error: answer.error });
    }
    if (answer.patchVersion !== LIVE_PATCH_VERSION) throw new Error(`the server speaks live patch version ${answer.patchVersion}, this page ${LIVE_PATCH_VERSION}`);
    this.#clock(answer.serverTime);
    let view = answer.sittingId === this.#state.view?.id ? this.#state.view : null;
    const { catchup } = answer;
    if (catchup.kind === 'snapshot') view = decodeSnapshot(catchup.encoded);
    for (const u of catchup.kind === 'updates' ? catchup.updates : []) if (view && u.seq > view.seq) view = applyUpdate(view, u);
    if (view && answer.recording) view = applyRecording(view, answer.recording) ?? view;
    if (answer.sittingId === null) view = null;
    this.#set({ view, room: answer.room ?? this.#state.room, connected: true, error: null });
    for (const u of early) this.#update(u);
  }

  #update(update: SittingUpdate): void {
    if (this.#early) return void this.#early.push(update);
    const view = this.#state.view;
    if (!view || view.id !== update.sittingId || update.seq <= view.seq) return;
    // A gap means something was lost on the way: ask again from what we hold.
    if (fromSeqOf(update) !== view.seq) return this.#subscribe();
    this.#set({ view: applyUpdate(view, update) }, update);
  }

  #recording(announced: RecordingAnnouncement): void {
    const view = this.#state.view;
    if (!view || view.id !== announced.sittingId) return;
    const next = applyRecording(view, announced);
    // Marks missing in between: ask again (the answer carries the recording from the held marks).
    if (!next) return this.#subscribe();
    this.#set({ view: next });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close();
  }
}
