// The sign-language interpreter's picture over the residents' player (issue 17): a small HLS
// rendition of its own (not composited into the program), played muted in a second video and
// kept in step with the program by program-date-time — live while the room says an interpreter
// is on air, and in a recording for the times one was. The resident may hide it or move it to
// another corner; this device remembers both.
import Hls, { Events } from 'hls.js/light';
import type { Player } from './Player.svelte.ts';

export const CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export type Corner = (typeof CORNERS)[number];

const PREFS_KEY = 'radacast.player.interpreter';
/** Further apart than this (program-date-time), the interpreter's video jumps to the program's moment. */
const DRIFT_MS = 1200;
const SYNC_EVERY_MS = 500;

function storedPrefs(): { shown: boolean; corner: Corner } {
  try {
    const text = globalThis.localStorage?.getItem(PREFS_KEY);
    const value: unknown = text ? JSON.parse(text) : null;
    if (value && typeof value === 'object' && 'shown' in value && 'corner' in value) {
      const corner = CORNERS.find((c) => c === value.corner);
      return { shown: value.shown !== false, corner: corner ?? 'bottom-right' };
    }
  } catch {
    // Storage blocked (a third-party iframe) or unreadable: the defaults.
  }
  return { shown: true, corner: 'bottom-right' };
}

/** Where the interpreter's picture of a recording is: the room's runs within the sitting's time. */
export function interpreterRecording(room: string, startedAt: string, durationS: number): string {
  const from = Date.parse(startedAt);
  return `/interpreter/${encodeURIComponent(room)}/recording.m3u8?from=${from}&to=${Math.ceil(from + durationS * 1000)}`;
}

export class InterpreterPip {
  readonly #player: () => Player;
  #video: HTMLVideoElement | null = null;
  #hls: Hls | null = null;
  #url: string | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #shown = $state(true);
  #corner = $state<Corner>('bottom-right');
  /** The rendition loaded and has a picture. */
  #playing = $state(false);
  /** There is an interpreter to show (live: the room says so; a recording: its playlist exists). */
  #available = $state(false);
  /** The rendition covers the program's moment (a recording has none where no interpreter was on air). */
  #covering = $state(true);

  constructor(player: () => Player) {
    this.#player = player;
    const prefs = storedPrefs();
    this.#shown = prefs.shown;
    this.#corner = prefs.corner;
  }

  get shown(): boolean {
    return this.#shown;
  }

  get corner(): Corner {
    return this.#corner;
  }

  /** An interpreter's picture exists for what plays now (the toggle is offered). */
  get available(): boolean {
    return this.#available;
  }

  /** The picture is on screen. */
  get visible(): boolean {
    return this.#available && this.#shown && this.#playing && this.#covering;
  }

  toggle(): void {
    this.#shown = !this.#shown;
    this.#remember();
    if (this.#shown) this.#sync();
    else this.#video?.pause();
  }

  moveTo(corner: Corner): void {
    this.#corner = corner;
    this.#remember();
  }

  #remember(): void {
    try {
      globalThis.localStorage?.setItem(PREFS_KEY, JSON.stringify({ shown: this.#shown, corner: this.#corner }));
    } catch {
      // Not remembered; the choice lasts for this page.
    }
  }

  attach(video: HTMLVideoElement): void {
    this.#video = video;
    video.muted = true;
    video.addEventListener('loadeddata', () => (this.#playing = true));
    this.#timer = setInterval(() => this.#sync(), SYNC_EVERY_MS);
    if (this.#url) this.#start(this.#url);
  }

  /** What to show: the rendition's playlist, or null (no interpreter). Called from an effect. */
  load(url: string | null): void {
    if (url === this.#url) return;
    this.#url = url;
    this.#stop();
    this.#available = url !== null;
    if (url && this.#video) this.#start(url);
  }

  #start(url: string): void {
    const video = this.#video;
    if (!video) return;
    if (!Hls.isSupported()) {
      video.src = url;
      void video.play().catch(() => undefined);
      return;
    }
    const hls = new Hls({ lowLatencyMode: false, liveSyncDuration: 4, backBufferLength: 30 });
    this.#hls = hls;
    hls.on(Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      // No interpreter in this recording (404), or the live picture ended: nothing to show.
      this.#stop();
      this.#available = false;
    });
    hls.on(Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  #stop(): void {
    this.#hls?.destroy();
    this.#hls = null;
    this.#playing = false;
    const video = this.#video;
    if (video && video.getAttribute('src')) {
      video.removeAttribute('src');
      video.load();
    }
  }

  /**
   * Follows the program: paused with it, and at its moment by program-date-time — found in the
   * rendition's own segments, so a recording's gaps (no interpreter then) show nothing.
   */
  #sync(): void {
    const video = this.#video;
    const hls = this.#hls;
    if (!video || !hls || !this.#shown) return;
    const program = this.#player().playingDate;
    const details = hls.levels[Math.max(0, hls.currentLevel)]?.details;
    if (program === null || !details) return;
    const fragment = details.fragments.find((f) => f.programDateTime !== null && program >= f.programDateTime && program < f.programDateTime + f.duration * 1000);
    // Live, the program may be a moment past the newest whole segment: keep playing at the edge.
    this.#covering = fragment !== undefined || details.live;
    if (this.#player().paused || !this.#covering) {
      if (!video.paused) video.pause();
      return;
    }
    if (video.paused) void video.play().catch(() => undefined);
    if (!fragment || fragment.programDateTime === null) return;
    const position = fragment.start + (program - fragment.programDateTime) / 1000;
    if (Math.abs(position - video.currentTime) * 1000 > DRIFT_MS) video.currentTime = position;
  }

  destroy(): void {
    clearInterval(this.#timer);
    this.#stop();
  }
}
