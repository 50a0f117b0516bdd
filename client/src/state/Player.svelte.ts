// The video player of the residents' pages: hls.js wherever Media Source Extensions exist
// (Chromium answers "maybe" to native HLS it cannot play, so native HLS is used only where
// hls.js cannot run, i.e. iOS Safari), the live position (program date-time of the playhead,
// latency, distance from the live edge), "back to live", seeking in a recording, recovery by
// itself from network and media errors, and the quality of a live stream: hls.js picks it
// (automatic) unless the resident chose one — a rendition of the room's multivariant playlist,
// or "audio only" — which this device remembers.
import Hls, { ErrorTypes, Events, type ErrorData } from 'hls.js/light';
import type { Source, VideoState } from '../lib/stage.ts';

/** How far behind the live edge (beyond hls.js's own target) before "back to live" is offered. */
const BEHIND_LIVE_S = 6;
/** Two media errors this close together: the first recovery did not help, so swap the audio codec too. */
const MEDIA_ERROR_WINDOW_MS = 3000;
/** A rebuffer longer than this is no hiccup: the picture stopped (e.g. the encoder went away). */
const STALL_TIMEOUT_MS = 8000;
const retryDelay = (attempt: number) => Math.min(1000 * 2 ** attempt, 8000);

/** Safari's native HLS exposes the program date-time of the media start. */
type NativeVideo = HTMLVideoElement & { getStartDate?: () => Date };

/**
 * What the resident chose: `auto` (hls.js adapts), a rendition by name (`source`, `480p` …) or
 * `audio` — the room's audio-only playlist, which hls.js would drop from a multivariant
 * playlist that has video, so it is loaded by itself.
 */
export type Quality = 'auto' | 'audio' | string;

/** A rendition of the live stream, as the quality menu lists it. */
export interface Rendition {
  /** `source`, `720p` … (the media playlist's name). */
  name: string;
  height: number | null;
}

const QUALITY_KEY = 'radacast.player.quality';

/** The name of a rendition from its media playlist's URL (…/<room>/<name>.m3u8). */
const renditionName = (url: string): string => /([^/?]+)\.m3u8(?:\?|$)/.exec(url)?.[1] ?? url;

function storedQuality(): Quality {
  try {
    return globalThis.localStorage?.getItem(QUALITY_KEY) ?? 'auto';
  } catch {
    return 'auto';
  }
}

export class Player {
  #video: NativeVideo | null = null;
  #hls: Hls | null = null;
  #source = $state.raw<Source | null>(null);
  #startAt: number | null = null;
  #autoplay = true;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #lastMediaError = 0;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #serverNow: () => number;
  readonly #detach: (() => void)[] = [];
  /** Removes the listeners of a native (Safari) load. */
  #detachNative: (() => void) | null = null;

  #state = $state<VideoState>('idle');
  #playingDate = $state<number | null>(null);
  #currentTime = $state(0);
  #duration = $state(0);
  #paused = $state(true);
  #autoMuted = $state(false);
  #behindLive = $state(0);
  #quality = $state<Quality>(storedQuality());
  #renditions = $state.raw<Rendition[]>([]);
  /** The rendition hls.js plays now (automatic or chosen). */
  #playingRendition = $state<string | null>(null);
  /** Server time at the last tick: the latency keeps growing while the video is paused. */
  #now = $state(0);
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor(serverNow: () => number = Date.now) {
    this.#serverNow = serverNow;
  }

  get state(): VideoState {
    return this.#state;
  }

  /** Program date-time of the frame on screen (ms), when the stream carries it. */
  get playingDate(): number | null {
    return this.#playingDate;
  }

  get currentTime(): number {
    return this.#currentTime;
  }

  get duration(): number {
    return this.#duration;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Muted by the browser's autoplay rule (not by the resident): offer to turn the sound on. */
  get autoMuted(): boolean {
    return this.#autoMuted;
  }

  get source(): Source | null {
    return this.#source;
  }

  get live(): boolean {
    return this.#source?.kind === 'live';
  }

  /** Seconds from the moment on screen to now (server time): what a resident is behind the hall. */
  get latency(): number | null {
    if (!this.live || this.#playingDate === null || this.#state !== 'showing') return null;
    return Math.max(0, (this.#now - this.#playingDate) / 1000);
  }

  /** Far enough behind the live edge (or paused) that "back to live" makes sense. */
  get behindLive(): boolean {
    return this.live && this.#state === 'showing' && (this.#paused || this.#behindLive > BEHIND_LIVE_S);
  }

  /** The resident's choice (remembered on this device). */
  get quality(): Quality {
    return this.#quality;
  }

  /** The live stream's renditions with a picture, highest first (empty until the playlist is read). */
  get renditions(): Rendition[] {
    return this.#renditions;
  }

  /** The rendition on screen now; `audio` while listening only. */
  get playingRendition(): string | null {
    return this.#playingRendition;
  }

  /** Chooses the quality of the live stream; `auto` lets hls.js adapt again. */
  setQuality(quality: Quality): void {
    const was = this.#quality;
    this.#quality = quality;
    try {
      globalThis.localStorage?.setItem(QUALITY_KEY, quality);
    } catch {
      // Storage refused (private mode): the choice lasts for this page.
    }
    if (!this.live) return;
    // Audio only is another playlist: going there or back is a new load (from the live edge).
    if (was === 'audio' || quality === 'audio') {
      this.#autoplay = true;
      this.#start();
      return;
    }
    const hls = this.#hls;
    if (hls) hls.currentLevel = this.#levelOf(hls, quality);
  }

  /** The hls.js level of a chosen rendition; -1 (automatic) when it is `auto` or not offered. */
  #levelOf(hls: Hls, quality: Quality): number {
    return quality === 'auto' ? -1 : hls.levels.findIndex((l) => renditionName(l.url[0] ?? '') === quality);
  }

  /** Where a live source's audio-only playlist is: next to its multivariant playlist. */
  #url(source: Source): string {
    return source.kind === 'live' && this.#quality === 'audio' ? source.url.replace(/index\.m3u8$/, 'audio.m3u8') : source.url;
  }

  attach(video: HTMLVideoElement): void {
    this.#video = video;
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, listener: () => void) => {
      video.addEventListener(type, listener);
      this.#detach.push(() => video.removeEventListener(type, listener));
    };
    on('timeupdate', () => this.#tick());
    const picture = () => {
      clearTimeout(this.#stallTimer);
      this.#state = 'showing';
      this.#attempt = 0;
      this.#tick();
    };
    // A first frame counts as a picture even if the browser refused to start playing it.
    on('loadeddata', picture);
    on('playing', picture);
    on('waiting', () => {
      if (this.#state !== 'showing') return;
      this.#state = 'stalled';
      this.#stallTimer = setTimeout(() => {
        if (this.#state === 'stalled') this.#state = 'unavailable';
      }, STALL_TIMEOUT_MS);
    });
    on('pause', () => this.#tick());
    on('play', () => this.#tick());
    on('seeked', () => this.#tick());
    on('durationchange', () => this.#tick());
    on('volumechange', () => {
      if (!video.muted) this.#autoMuted = false;
    });
    this.#clock = setInterval(() => this.#tick(), 1000);
    if (this.#source) this.#start();
  }

  /**
   * Loads `source` (from `startAt` seconds of a recording) and, with `autoplay`, plays it; the
   * same source again changes nothing.
   */
  load(source: Source | null, startAt: number | null = null, autoplay = true): void {
    if (source?.url === this.#source?.url && source?.kind === this.#source?.kind) return;
    this.#source = source;
    this.#startAt = startAt;
    this.#autoplay = autoplay;
    this.#attempt = 0;
    this.#start();
  }

  /** Moves the playhead to `seconds` (a recording's chapter or vote) and plays. */
  seek(seconds: number): void {
    const video = this.#video;
    if (!video) return;
    if (this.#state === 'showing' || this.#state === 'stalled') {
      video.currentTime = seconds;
      this.#play();
      return;
    }
    // Not playing yet: start (again) from there.
    this.#startAt = seconds;
    this.#autoplay = true;
    if (this.#state === 'loading') this.#start();
  }

  backToLive(): void {
    const video = this.#video;
    if (!video) return;
    const edge = this.#hls?.liveSyncPosition ?? (video.seekable.length > 0 ? video.seekable.end(video.seekable.length - 1) - 3 : null);
    if (edge !== null && Number.isFinite(edge)) video.currentTime = edge;
    this.#play();
  }

  unmute(): void {
    if (!this.#video) return;
    this.#video.muted = false;
    this.#autoMuted = false;
  }

  #tick(): void {
    const video = this.#video;
    if (!video) return;
    this.#now = this.#serverNow();
    this.#currentTime = video.currentTime;
    this.#duration = Number.isFinite(video.duration) ? video.duration : 0;
    this.#paused = video.paused;
    const date = this.#hls ? this.#hls.playingDate : this.#nativeDate(video);
    this.#playingDate = date ? date.getTime() : null;
    const edge = this.#hls?.liveSyncPosition ?? null;
    this.#behindLive = edge !== null ? Math.max(0, edge - video.currentTime) : 0;
  }

  #nativeDate(video: NativeVideo): Date | null {
    const start = video.getStartDate?.();
    return start && !Number.isNaN(start.getTime()) ? new Date(start.getTime() + video.currentTime * 1000) : null;
  }

  #start(): void {
    this.#stop();
    const video = this.#video;
    const source = this.#source;
    if (!video || !source) {
      this.#state = 'idle';
      return;
    }
    this.#state = 'loading';
    if (Hls.isSupported()) this.#startHls(video, source);
    else if (video.canPlayType('application/vnd.apple.mpegurl')) this.#startNative(video, source);
    else this.#state = 'unavailable';
  }

  #startHls(video: HTMLVideoElement, source: Source): void {
    const hls = new Hls({
      startPosition: this.#startAt ?? -1,
      // Low-Latency HLS: parts and blocking reloads; the distance from the live edge comes from
      // the playlist's PART-HOLD-BACK, which hls.js uses only while liveSyncDuration(Count) is
      // left unset (bench/latency.ts measures the result glass to glass).
      lowLatencyMode: true,
      // Fallen behind (a stall, a slow network): catch up by playing slightly faster, not by a jump.
      maxLiveSyncPlaybackRate: 1.5,
      backBufferLength: 60,
    });
    this.#hls = hls;
    const audioOnly = source.kind === 'live' && this.#quality === 'audio';
    hls.on(Events.MANIFEST_PARSED, (_event, data) => {
      if (source.kind === 'live' && !audioOnly) {
        this.#renditions = data.levels
          .map((l) => ({ name: renditionName(l.url[0] ?? ''), height: l.height || null }))
          .sort((a, b) => (b.height ?? 0) - (a.height ?? 0));
        const level = this.#levelOf(hls, this.#quality);
        if (level >= 0) hls.currentLevel = level;
      }
      if (this.#autoplay) this.#play();
    });
    hls.on(Events.LEVEL_SWITCHED, (_event, data) => {
      const url = hls.levels[data.level]?.url[0];
      this.#playingRendition = audioOnly ? 'audio' : url ? renditionName(url) : null;
    });
    hls.on(Events.ERROR, (_event, data) => this.#onError(hls, data));
    hls.loadSource(this.#url(source));
    hls.attachMedia(video);
  }

  #startNative(video: HTMLVideoElement, source: Source): void {
    const startAt = this.#startAt;
    const ready = () => {
      if (startAt !== null) video.currentTime = startAt;
      if (this.#autoplay) this.#play();
    };
    const failed = () => this.#retryLater();
    video.addEventListener('loadedmetadata', ready, { once: true });
    video.addEventListener('error', failed, { once: true });
    this.#detachNative = () => {
      video.removeEventListener('loadedmetadata', ready);
      video.removeEventListener('error', failed);
    };
    video.src = this.#url(source);
  }

  #onError(hls: Hls, data: ErrorData): void {
    if (!data.fatal || hls !== this.#hls) return;
    if (data.type === ErrorTypes.MEDIA_ERROR) {
      const now = performance.now();
      if (now - this.#lastMediaError < MEDIA_ERROR_WINDOW_MS) hls.swapAudioCodec();
      this.#lastMediaError = now;
      hls.recoverMediaError();
      return;
    }
    // The playlist is gone (no encoder yet, or it dropped) or the network failed: start again
    // after a while — a live stream from its edge, a recording where it was.
    this.#retryLater();
  }

  #retryLater(): void {
    const video = this.#video;
    if (this.#source?.kind === 'recording' && video && video.currentTime > 0) this.#startAt = video.currentTime;
    if (video && !video.paused) this.#autoplay = true;
    this.#stop();
    this.#state = 'unavailable';
    const delay = retryDelay(this.#attempt);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => this.#start(), delay);
  }

  #play(): void {
    const video = this.#video;
    if (!video) return;
    video.play().catch((err: unknown) => {
      // Browsers refuse sound without a click: play muted and offer the sound.
      if (err instanceof DOMException && err.name === 'NotAllowedError' && !video.muted) {
        video.muted = true;
        this.#autoMuted = true;
        video.play().catch(() => undefined);
      }
    });
  }

  #stop(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#stallTimer);
    this.#retryTimer = undefined;
    this.#hls?.destroy();
    this.#hls = null;
    this.#detachNative?.();
    this.#detachNative = null;
    this.#playingDate = null;
    this.#playingRendition = null;
    // A native load set the src itself (hls.js clears its own on destroy).
    if (this.#video?.getAttribute('src')) {
      this.#video.removeAttribute('src');
      this.#video.load();
    }
  }

  destroy(): void {
    this.#stop();
    clearInterval(this.#clock);
    for (const off of this.#detach.splice(0)) off();
    this.#video = null;
    this.#source = null;
  }
}
