// One packaging run: an ffmpeg that writes fragmented MP4 to its stdout, and radacast cutting
// it for Low-Latency HLS: each 200 ms fragment is a part (kept in memory by the live room), and
// the parts from one keyframe to the first keyframe after `segmentSeconds` make a segment, written
// into the run folder as the full segments of plain HLS and the recording. Reports when its
// input opened and what streams it carries, each part and each segment (once on disk), known
// problems from stderr, and its exit. A watchdog kills a run whose fragments stop coming.
// Restarting is the owner's job. File writes are asynchronous and in order with the reports:
// a segment is reported before the first part of the next one, the last one before the exit.
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaProblemCode } from '../../protocol/media.ts';
import type { Logger } from '../logger.ts';
import { AUDIO_INIT_FILE, audioSegmentFile, INIT_FILE, packagerArgs, segmentFile, type PackagerArgs } from './ffmpegArgs.ts';
import { classifyLine } from './ffmpegLog.ts';
import { FfmpegProcess, type ExitInfo } from './FfmpegProcess.ts';
import { audioOnlyFragment, audioOnlyInit, codecsOf, type AudioInit, type InitFacts } from './audioTrack.ts';
import { Fmp4Reader, type Fmp4Fragment } from './fmp4.ts';
import { errnoCode, messageOf } from '../thrown.ts';
import { joined } from './joined.ts';

export interface StreamInfo {
  format: string;
  video: { codec: string; profile: string | null; width: number; height: number; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null; channels: string | null } | null;
}

export interface CompletedSegment {
  file: string;
  duration: number;
  bytes: number;
  /** The same segment of the audio-only rendition (null when the program has no audio). */
  audio?: { file: string; bytes: number } | null;
}

/** A run's initialisation section, as the renditions need it. */
export interface PackagedInit {
  /** The program's init section (ftyp + moov). */
  data: Buffer;
  /** RFC 6381 codec strings and picture size, for the multivariant playlist. */
  codecs: InitFacts;
  /** The audio-only rendition's init section, or null without audio. */
  audio: AudioInit | null;
}

/**
 * EXT-X-PART-INF's PART-TARGET: the 200 ms fragments fit with room for one frame more at rates
 * such as 24 fps (208 ms), and still make the 85 % of it every part but a segment's last must
 * reach (RFC 8216bis §4.4.4.9).
 */
export const PART_TARGET = 0.23;
export const PART_MINIMUM = 0.85 * PART_TARGET;

/** One LL-HLS part: one or more fragments of the segment numbered `segment` within the run. */
export interface PackagedPart {
  segment: number;
  /** Index within its segment. */
  index: number;
  duration: number;
  independent: boolean;
  data: Buffer;
  /** The part's audio alone (the audio-only rendition's part); null without audio. */
  audio?: Buffer | null;
  /** The run's init section (the same object for every part of a run). */
  init?: PackagedInit;
  /** Media time of its first video sample, seconds on the run's own clock. */
  start?: number;
}

export interface PackagerExit extends ExitInfo {
  /** ffmpeg opened its input (for SRT: a caller connected). */
  inputOpened: boolean;
  segments: number;
  /** The last stderr lines, for the log when the exit was not a clean one. */
  recentLines: string[];
}

export type HlsPackagerEvents = {
  input: [];
  streams: [info: StreamInfo];
  part: [part: PackagedPart];
  segments: [segments: CompletedSegment[]];
  problem: [code: MediaProblemCode];
  exit: [info: PackagerExit];
};

export interface HlsPackagerOptions extends PackagerArgs {
  ffmpegPath: string;
  /** Folder of this run: init.mp4 and seg-NNNNN.m4s. */
  runDir: string;
  /** Shortest segment: a new one begins at the first keyframe after this many seconds. */
  segmentSeconds: number;
  /** No new fragment for this long after the input opened: the run is killed. */
  stallTimeoutMs: number;
  logger: Logger;
  /** Kept out of every line read from ffmpeg (the SRT passphrase). */
  redact?: string[];
}

export class HlsPackager extends EventEmitter<HlsPackagerEvents> {
  readonly runDir: string;
  readonly #process: FfmpegProcess;
  readonly #options: HlsPackagerOptions;
  #segments = 0;
  /** The segment being cut: its fragments so far. */
  #current: { index: number; fragments: Buffer[]; audio: Buffer[]; duration: number; parts: number } | null = null;
  #init: PackagedInit | null = null;
  /**
   * Fragments not yet reported as a part: ffmpeg closes a fragment when any track reaches 200 ms,
   * so audio running ahead of late video makes a short one, which waits to be joined by the next.
   */
  #pending: { fragments: Buffer[]; duration: number; independent: boolean; start: number } | null = null;
  readonly #problems = new Set<MediaProblemCode>();
  #section: 'before' | 'input' | 'output' = 'before';
  #streams: StreamInfo | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #stalled = false;
  /** File writes and the reports that follow them, one after the other. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: HlsPackagerOptions) {
    super();
    this.#options = options;
    this.runDir = options.runDir;
    const args = packagerArgs(options);
    const reader = new Fmp4Reader(
      (init) => this.#onInit(init.data),
      (fragment) => this.#fragment(fragment),
    );
    this.#process = new FfmpegProcess(options.ffmpegPath, args, {
      stdin: options.input.kind === 'flv-pipe',
      stdout: (chunk) => {
        try {
          reader.push(chunk);
        } catch (err) {
          options.logger.error({ err: messageOf(err) }, 'ffmpeg wrote MP4 radacast cannot read, killed');
          void this.#process.kill();
        }
      },
      redact: options.redact ?? [],
    });
    this.#process.on('line', (line) => this.#onLine(line));
    this.#process.once('exit', (info) => void this.#onExit(info));
    options.logger.debug({ pid: this.#process.pid, args }, 'ffmpeg packager started');
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** Where FLV goes (RTMP path); null once ffmpeg stopped reading. */
  get stdin() {
    return this.#process.stdin;
  }

  get exited(): boolean {
    return this.#process.exited;
  }

  stop(): Promise<ExitInfo> {
    return this.#process.stop();
  }

  kill(): Promise<ExitInfo> {
    return this.#process.kill();
  }

  #onLine(line: string): void {
    const signal = classifyLine(line);
    if (!signal) return;
    switch (signal.kind) {
      case 'input-opened':
        this.#section = 'input';
        this.#streams = { format: signal.format, video: null, audio: null };
        this.#arm();
        this.emit('input');
        return;
      case 'video':
        if (this.#section === 'input' && this.#streams && !this.#streams.video) {
          const { kind: _kind, ...video } = signal;
          this.#streams.video = video;
        }
        return;
      case 'audio':
        if (this.#section === 'input' && this.#streams && !this.#streams.audio) {
          const { kind: _kind, ...audio } = signal;
          this.#streams.audio = audio;
        }
        return;
      case 'output-opened':
        if (this.#section === 'input' && this.#streams) this.emit('streams', this.#streams);
        this.#section = 'output';
        return;
      case 'problem':
        if (this.#problems.has(signal.code)) return;
        this.#problems.add(signal.code);
        this.#options.logger.warn({ problem: signal.code, line }, 'ffmpeg reported a problem');
        this.emit('problem', signal.code);
        return;
      default: {
        const never: never = signal;
        throw new Error(`unknown log signal [${JSON.stringify(never)}]`);
      }
    }
  }

  #onInit(data: Buffer): void {
    const audio = audioOnlyInit(data);
    this.#init = { data, codecs: codecsOf(data), audio };
    this.#then(async () => {
      await writeFile(join(this.runDir, INIT_FILE), data);
      if (audio) await writeFile(join(this.runDir, AUDIO_INIT_FILE), audio.data);
    });
  }

  /** (Re)starts the watchdog: each fragment proves the run is alive. */
  #arm(): void {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#stalled = true;
      this.#options.logger.warn({ runDir: this.runDir, stallTimeoutMs: this.#options.stallTimeoutMs }, 'no new fragment, ffmpeg killed');
      this.emit('problem', 'stalled');
      void this.#process.kill();
    }, this.#options.stallTimeoutMs);
  }

  /** Queues work after what is already queued; a failed write is logged and ends the run. */
  #then(work: () => Promise<unknown> | void): void {
    this.#queue = this.#queue
      .then(work)
      .then(
        () => undefined,
        (err: unknown) => {
          this.#options.logger.error({ err: messageOf(err), runDir: this.runDir }, 'live segment write failed');
          if (errnoCode(err) === 'ENOSPC') this.emit('problem', 'disk-full');
          void this.#process.kill();
        },
      );
  }

  /**
   * A fragment joins the segment being cut — or, at a keyframe late enough, begins the next one —
   * and becomes a part as soon as it is long enough (at once, at the usual 200 ms).
   */
  #fragment(fragment: Fmp4Fragment): void {
    this.#arm();
    const pending = this.#pending;
    const cut = (this.#current?.duration ?? 0) + (pending?.duration ?? 0);
    if (fragment.independent && cut > 0 && cut >= this.#options.segmentSeconds - 0.001) this.#closeSegment();
    else if (pending && pending.duration + fragment.duration <= PART_TARGET) {
      pending.fragments.push(fragment.data);
      pending.duration += fragment.duration;
    } else this.#flushPart();
    this.#pending ??= { fragments: [fragment.data], duration: fragment.duration, independent: fragment.independent, start: fragment.start };
    if (this.#pending.duration >= PART_MINIMUM) this.#flushPart();
  }

  /** Reports the pending fragments as the next part of the segment being cut. */
  #flushPart(): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    const init = this.#init;
    if (!init) return;
    const segment = (this.#current ??= { index: this.#segments++, fragments: [], audio: [], duration: 0, parts: 0 });
    const audioInit = init.audio;
    const audio = audioInit ? pending.fragments.flatMap((f) => audioOnlyFragment(f, audioInit) ?? []) : [];
    const part: PackagedPart = {
      segment: segment.index,
      index: segment.parts++,
      duration: pending.duration,
      independent: pending.independent,
      data: joined(pending.fragments),
      audio: audioInit ? Buffer.concat(audio) : null,
      init,
      start: pending.start,
    };
    segment.fragments.push(...pending.fragments);
    segment.audio.push(...audio);
    segment.duration += pending.duration;
    this.#then(() => void this.emit('part', part));
  }

  /** Writes the segment being cut and reports it. */
  #closeSegment(): void {
    this.#flushPart();
    const segment = this.#current;
    this.#current = null;
    if (!segment || segment.fragments.length === 0) return;
    const file = segmentFile(segment.index);
    const data = Buffer.concat(segment.fragments);
    const audio = this.#init?.audio ? { file: audioSegmentFile(segment.index), data: Buffer.concat(segment.audio) } : null;
    this.#then(async () => {
      await writeFile(join(this.runDir, file), data);
      if (audio) await writeFile(join(this.runDir, audio.file), audio.data);
      this.emit('segments', [{ file, duration: segment.duration, bytes: data.length, audio: audio && { file: audio.file, bytes: audio.data.length } }]);
    });
  }

  async #onExit(info: ExitInfo): Promise<void> {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    // What ffmpeg wrote before it exited is a segment still (a stalled run's tail is dropped).
    if (!this.#stalled) this.#closeSegment();
    await this.#queue;
    this.emit('exit', {
      ...info,
      inputOpened: this.#section !== 'before',
      segments: this.#segments,
      recentLines: this.#process.recentLines,
    });
  }
}
