// What a watch page (/live/<room>, /sittings/<id>, /embed/<room>) holds: the live channel of
// the room or sitting, every state it delivered stamped with its server time, the player, and
// the state the panel shows — by default the one in step with the video's playhead, or the
// newest in real time. A sitting page follows the sitting's room while the room is on it, so
// the on-air state (a break) is known too.
import { LiveFeed, type FeedState, type FeedTarget, type LiveFeedOptions } from '../../lib/LiveFeed.ts';
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { RoomState, SittingUpdate } from '../../../protocol/socket.ts';
import type { VideoRecordingView, SittingView } from '../../../protocol/views.ts';
import { publicationPaths } from '../../../protocol/publicationPaths.ts';
import { StateHistory } from '../lib/inStep.ts';
import type { PageTarget } from '../lib/siteUrls.ts';
import { sourceFor, stageOf, type Source, type Stage } from '../lib/stage.ts';
import { Player } from './Player.svelte.ts';

export type PanelMode = 'in-step' | 'real-time';

export interface Shown {
  view: SittingView | null;
  room: RoomState | null;
}

const NOTHING: Shown = { view: null, room: null };
/** Waits between asking for a closed sitting's recording until it is complete. */
const RECORDING_RETRIES_MS = [1000, 2000, 4000, 8000, 15_000, 30_000];

/** The server time an update describes: its last event's. */
function updateTime(update: SittingUpdate): number {
  return Math.max(...update.events.map((e) => Date.parse(e.at)).filter(Number.isFinite));
}

/** What a Watch follows: a room, or one sitting (an embedded sitting is watched as a sitting). */
export type WatchTarget = Exclude<PageTarget, { kind: 'embed-sitting' }>;

export class Watch {
  readonly target: WatchTarget;
  #feed: LiveFeed | null = null;
  readonly player = new Player(() => this.#feed?.serverNow() ?? Date.now());
  #mode = $state<PanelMode>('in-step');
  #history = $state.raw<StateHistory<Shown> | null>(null);
  #answered = $state(false);
  #connected = $state(false);
  #error = $state.raw<ErrorBody | null>(null);
  /** A closed sitting's recording, asked for again until complete (the live channel does not carry its completion). */
  #recording = $state.raw<{ sittingId: string; recording: VideoRecordingView } | null>(null);
  #recordingTimer: ReturnType<typeof setTimeout> | undefined;
  #recordingAsked: string | null = null;
  #closed = false;

  /** The playhead's program date-time when the panel follows it; null: real time. */
  readonly playhead: number | null = $derived.by(() => {
    const p = this.player;
    if (this.#mode !== 'in-step' || !p.live || (p.state !== 'showing' && p.state !== 'stalled')) return null;
    return p.playingDate;
  });

  readonly shown: Shown = $derived.by(() => {
    const shown = this.#history?.at(this.playhead) ?? NOTHING;
    const fetched = this.#recording;
    if (!shown.view || !fetched || fetched.sittingId !== shown.view.id) return shown;
    return { ...shown, view: { ...shown.view, recording: fetched.recording } };
  });

  /** States delivered but not shown yet, waiting for the video to reach them. */
  readonly pending: number = $derived(this.playhead === null || !this.#history ? 0 : this.#history.pendingAfter(this.playhead));

  readonly source: Source | null = $derived(sourceFor(this.shown.view, this.shown.room?.sittingId === this.shown.view?.id));

  readonly stage: Stage = $derived(
    stageOf({ view: this.shown.view, answered: this.#answered, onAir: this.shown.room?.onAir ?? null, video: this.player.state }),
  );

  constructor(target: WatchTarget) {
    this.target = target;
  }

  /**
   * Puts what the page should play into the player: live at once; a recording only when a link
   * asked for a moment (`startAt`, seconds), else when the resident presses play. Called from a
   * page's effect, so it runs again whenever the source changes.
   */
  playSource(startAt: number | null): void {
    const source = this.source;
    const recordingAt = source?.kind === 'recording' ? startAt : null;
    this.player.load(source, recordingAt, source?.kind === 'live' || recordingAt !== null);
  }

  get connected(): boolean {
    return this.#connected;
  }

  get error(): ErrorBody | null {
    return this.#error;
  }

  /** The sitting this page is about (a sitting page) — null for a room's page. */
  get sittingId(): string | null {
    return this.target.kind === 'sitting' ? this.target.id : null;
  }

  get mode(): PanelMode {
    return this.#mode;
  }

  setMode(mode: PanelMode): void {
    this.#mode = mode;
  }

  /** Connects: a room's page to the room; a sitting page first reads the sitting to learn its room. */
  async start(socketOptions?: LiveFeedOptions['socketOptions']): Promise<void> {
    let first: FeedTarget;
    if (this.target.kind === 'sitting') {
      const read = await this.#readSitting(this.target.id);
      if (!read) return this.#retryStart(socketOptions); // offline: keep "loading" and try again
      if ('error' in read) {
        this.#error = read.error;
        this.#answered = true;
        return;
      }
      const { view } = read;
      this.#history = StateHistory.of({ view, room: null });
      first = view.status === 'closed' ? { sittingId: view.id } : { room: view.room };
    } else {
      first = { room: this.target.room };
    }
    if (this.#closed) return;
    this.#feed = new LiveFeed(first, { socketOptions, onChange: (state, update) => this.#onFeed(state, update) });
  }

  /** The sitting as the API gives it, or its refusal; null when the server could not be reached. */
  async #readSitting(id: string): Promise<{ view: SittingView } | { error: ErrorBody | null } | null> {
    const res = await fetch(publicationPaths(id).sitting).catch(() => null);
    if (!res) return null;
    if (!res.ok) return { error: ((await res.json().catch(() => null)) as { error?: ErrorBody } | null)?.error ?? null };
    return { view: (await res.json()) as SittingView };
  }

  #retryStart(socketOptions?: LiveFeedOptions['socketOptions']): void {
    setTimeout(() => {
      if (!this.#closed) void this.start(socketOptions);
    }, 3000);
  }

  #onFeed(state: FeedState, update: SittingUpdate | undefined): void {
    this.#connected = state.connected;
    this.#error = state.error;
    if (state.connected || state.error) this.#answered = true;
    // A sitting page following the room: once the room moves to another sitting, follow the sitting itself.
    const wanted = this.sittingId;
    if (wanted !== null && state.view && state.view.id !== wanted) {
      this.#feed?.follow({ sittingId: wanted });
      return;
    }
    if (wanted !== null && !state.view) return; // between two subscriptions of the same sitting
    const value: Shown = { view: state.view, room: state.room };
    const history = this.#history;
    if (!history || (!history.latest.view && !history.latest.room)) {
      this.#history = StateHistory.of(value);
    } else if (value.view !== history.latest.view || value.room !== history.latest.room) {
      const at = update
        ? updateTime(update)
        : value.room !== history.latest.room && value.room
          ? Date.parse(value.room.serverTime)
          : (this.#feed?.serverNow() ?? Date.now());
      const pruneAt = this.player.live ? this.player.playingDate : null;
      this.#history = (pruneAt === null ? history : history.prune(pruneAt)).push(at, value);
    }
    this.#askRecording();
  }

  /** A closed sitting whose recording is still being finished: ask again until it is complete. */
  #askRecording(): void {
    const view = this.#history?.latest.view;
    if (!view || view.status !== 'closed' || view.recording?.status === 'complete' || view.recording?.status === 'expired') return;
    if (this.#recordingAsked === view.id) return;
    this.#recordingAsked = view.id;
    const ask = async (attempt: number) => {
      const read = await this.#readSitting(view.id);
      const fresh = read && 'view' in read ? read.view : null;
      if (this.#closed) return;
      if (fresh?.recording) this.#recording = { sittingId: view.id, recording: fresh.recording };
      const done = fresh?.recording?.status === 'complete' || fresh?.recording?.status === 'expired';
      const wait = RECORDING_RETRIES_MS[attempt];
      if (!done && wait !== undefined) this.#recordingTimer = setTimeout(() => void ask(attempt + 1), wait);
    };
    this.#recordingTimer = setTimeout(() => void ask(0), RECORDING_RETRIES_MS[0]);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#recordingTimer);
    this.#feed?.close();
    this.player.destroy();
  }
}
