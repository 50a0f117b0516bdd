// The overlay's state: the room's live feed (held whole and replaced on every change) and the
// server clock, from which the on-air picture is derived by the shared pure function. The
// clock ticks on whole server seconds (the bug's clock, a vote's elapsed time) and exactly when
// an `auto` result's hold ends. On a dropped connection the last picture stays as it is.
import { LiveFeed, type FeedState } from '../../client/lib/LiveFeed.ts';
import type { MessageParams } from '../../protocol/messages/lookup.ts';
import { overlayMessage, type OverlayMessageKey } from '../../protocol/messages/overlay.ts';
import { onAirScene, previewOnAir, type OnAirPicture } from '../../protocol/onAirScene.ts';
import { DEFAULT_ON_AIR } from '../../protocol/onAirState.ts';
import type { OverlayOptions } from './options.ts';

/** Reconnect fast after a restart of the server: the picture must catch up within seconds. */
const SOCKET_OPTIONS = { reconnectionDelay: 300, reconnectionDelayMax: 2000 };

export class OverlayState {
  readonly options: OverlayOptions;
  #feedState: FeedState = $state.raw({ view: null, room: null, connected: false, clockOffsetMs: 0, error: null });
  /** Server time in ms, as of the last tick or change. */
  #now = $state(Date.now());
  readonly picture: OnAirPicture = $derived.by(() => {
    const onAir = this.#feedState.room?.onAir ?? DEFAULT_ON_AIR;
    return onAirScene(this.#feedState.view, this.options.bus === 'preview' ? previewOnAir(onAir) : onAir, this.#now, this.options.scene);
  });
  #feed: LiveFeed | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: OverlayOptions) {
    this.options = options;
  }

  get connected(): boolean {
    return this.#feedState.connected;
  }

  get now(): number {
    return this.#now;
  }

  get council(): string {
    return this.#feedState.view?.body.name ?? this.#feedState.room?.name ?? '';
  }

  t = (key: OverlayMessageKey, params?: MessageParams): string => overlayMessage(key, this.options.lang, params);

  /** Connects to the room's live channel; without a valid room nothing is followed (and nothing shown). */
  start(): void {
    if (this.options.room !== null && !this.#feed) {
      this.#feed = new LiveFeed(
        { room: this.options.room },
        {
          socketOptions: SOCKET_OPTIONS,
          onChange: (state) => {
            if (state.error) console.warn(`radacast overlay: ${state.error.code} ${state.error.message}`);
            this.#feedState = state;
            this.#now = this.#serverNow();
          },
        },
      );
    }
    this.#tick();
  }

  #serverNow(): number {
    return this.#feed ? this.#feed.serverNow() : Date.now();
  }

  #tick(): void {
    if (this.#closed) return;
    this.#now = this.#serverNow();
    const toNextSecond = 1000 - (this.#now % 1000);
    const changesAt = this.picture.changesAt;
    const toChange = changesAt !== null && changesAt > this.#now ? changesAt - this.#now : Infinity;
    this.#timer = setTimeout(() => this.#tick(), Math.min(toNextSecond, toChange) + 1);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#feed?.close();
  }
}
