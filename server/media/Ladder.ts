// The transcoded renditions of one packaging run: a second ffmpeg, apart from the packager, so
// the program and its audio never wait for it. It reads the program's fragmented MP4 (the run's
// init section, then each part as it arrives) on stdin and writes each lower rendition to its
// own pipe. Its fragments are cut where the program's segments begin (same media time: the
// ladder forces keyframes where the source has them and passes timestamps through), grouped into
// LL-HLS parts like the program's, and handed to the room under the program's sequence numbers.
// How far it lags is measured as the age of the oldest program part not yet out of every
// rendition: past BEHIND_SECONDS the operator is told; past GIVE_UP_SECONDS (or with too much
// waiting to be read) the ladder stops for the rest of the run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { messageOf } from '../thrown.ts';
import { codecsOf, type InitFacts } from './audioTrack.ts';
import { ladderArgs, type LadderEncoder, type Rung } from './ffmpegArgs.ts';
import { FfmpegProcess } from './FfmpegProcess.ts';
import { Fmp4Reader, type Fmp4Fragment } from './fmp4.ts';
import { PART_MINIMUM, type PackagedPart } from './HlsPackager.ts';

export const BEHIND_SECONDS = 4;
export const GIVE_UP_SECONDS = 20;
/** Program bytes waiting for the ladder to read them, at most (≈ 40 s of a 6 Mbit/s program). */
const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;
/** A fragment begins a segment when it starts within this of the program segment's start. */
export const ALIGN_SECONDS = 0.25;

export const rungName = (height: number): string => `${height}p`;

export interface RungPart {
  index: number;
  duration: number;
  independent: boolean;
  data: Buffer;
}

/** Where the ladder's output goes: the live room. */
export interface LadderSink {
  /** The program's segment of this run beginning at this media time, if any. */
  segmentAt(mediaStart: number): number | null;
  init(name: string, facts: InitFacts): void;
  part(name: string, seq: number, part: RungPart): void;
  segment(name: string, seq: number, segment: { file: string; bytes: number; duration: number }): void;
  /** The ladder lags the program by more than BEHIND_SECONDS (once per run). */
  behind(seconds: number): void;
}

export interface LadderOptions {
  ffmpegPath: string;
  rungs: Rung[];
  encoder: LadderEncoder;
  preset: string;
  runDir: string;
  logger: Logger;
}

/** One rendition's cutting state. */
class RungCutter {
  readonly name: string;
  #seq: number | null = null;
  #parts = 0;
  #fragments: Buffer[] = [];
  #duration = 0;
  #pending: { fragments: Buffer[]; duration: number; independent: boolean } | null = null;
  /** Media time the rendition has produced up to. */
  progress = -Infinity;

  constructor(
    name: string,
    readonly sink: LadderSink,
    /** Resolves true once the file is written (false: it could not be, which is logged). */
    readonly write: (file: string, data: Buffer) => Promise<boolean>,
  ) {
    this.name = name;
  }

  fragment(f: Fmp4Fragment): void {
    const seq = f.independent ? this.sink.segmentAt(f.start) : null;
    if (seq !== null) {
      void this.close();
      this.#seq = seq;
    }
    this.progress = f.start + f.duration;
    if (this.#seq === null) return;
    const pending = (this.#pending ??= { fragments: [], duration: 0, independent: f.independent });
    pending.fragments.push(f.data);
    pending.duration += f.duration;
    if (pending.duration >= PART_MINIMUM) this.#flush();
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending || this.#seq === null) return;
    const data = Buffer.concat(pending.fragments);
    this.sink.part(this.name, this.#seq, { index: this.#parts++, duration: pending.duration, independent: pending.independent, data });
    this.#fragments.push(data);
    this.#duration += pending.duration;
  }

  /** Writes the segment being cut and hands it over. */
  async close(): Promise<void> {
    this.#flush();
    const seq = this.#seq;
    const data = Buffer.concat(this.#fragments);
    const duration = this.#duration;
    this.#seq = null;
    this.#parts = 0;
    this.#fragments = [];
    this.#duration = 0;
    if (seq === null || data.length === 0) return;
    const file = `${this.name}-seg-${seq}.m4s`;
    if (await this.write(file, data)) this.sink.segment(this.name, seq, { file, bytes: data.length, duration });
  }
}

export class Ladder {
  readonly #process: FfmpegProcess;
  readonly #options: LadderOptions;
  readonly #sink: LadderSink;
  readonly #cutters: RungCutter[];
  /** Program parts fed and not yet out of every rendition: their media start and arrival. */
  readonly #fed: { start: number; at: number }[] = [];
  #initSent = false;
  #toldBehind = false;
  #gaveUp = false;
  readonly #timer: NodeJS.Timeout;
  /** File writes in order (a segment is handed over once on disk). */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: LadderOptions, sink: LadderSink) {
    this.#options = options;
    this.#sink = sink;
    const write = (file: string, data: Buffer): Promise<boolean> => {
      const done = this.#queue.then(() => writeFile(join(options.runDir, file), data)).then(
        () => true,
        (err: unknown) => {
          // The run folder may be gone already (the room closed while the ladder finished).
          options.logger.warn({ err: messageOf(err) }, 'ladder write failed');
          return false;
        },
      );
      this.#queue = done.then(() => undefined);
      return done;
    };
    this.#cutters = options.rungs.map((r) => new RungCutter(rungName(r.height), sink, write));
    const readers = this.#cutters.map(
      (cutter) =>
        new Fmp4Reader(
          (init) => {
            void write(`${cutter.name}-init.mp4`, init.data).then((written) => written && sink.init(cutter.name, codecsOf(init.data)));
          },
          (fragment) => {
            cutter.fragment(fragment);
            this.#progressed();
          },
        ),
    );
    const args = ladderArgs(options);
    this.#process = new FfmpegProcess(options.ffmpegPath, args, {
      stdin: true,
      outputs: readers.map((reader) => (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch (err) {
          options.logger.error({ err: messageOf(err) }, 'ladder wrote MP4 radacast cannot read, stopped');
          void this.#process.kill();
        }
      }),
    });
    this.#process.once('exit', (info) => {
      clearInterval(this.#timer);
      if (!info.stopped) options.logger.warn({ code: info.code, signal: info.signal, lines: this.#process.recentLines.slice(-8) }, 'ladder ffmpeg exited');
      // What a ladder that finished its input wrote last is a segment still (not so when it was given up).
      if (!this.#gaveUp) void Promise.all(this.#cutters.map((c) => c.close()));
    });
    this.#timer = setInterval(() => this.#check(Date.now()), 1000);
    options.logger.debug({ pid: this.#process.pid, args }, 'ladder ffmpeg started');
  }

  /** A part of the program (in order, from the run's first). */
  feed(part: PackagedPart, now: number): void {
    const stdin = this.#process.stdin;
    if (!stdin || this.#gaveUp || !part.init || part.start === undefined) return;
    if (!this.#initSent) {
      stdin.write(part.init.data);
      this.#initSent = true;
    }
    stdin.write(part.data);
    this.#fed.push({ start: part.start, at: now });
  }

  #progressed(): void {
    const done = Math.min(...this.#cutters.map((c) => c.progress));
    const behind = this.#fed.findIndex((f) => f.start >= done - 0.05);
    this.#fed.splice(0, behind === -1 ? this.#fed.length : behind);
  }

  /** Seconds the slowest rendition lags the program. */
  lag(now: number): number {
    const oldest = this.#fed[0];
    return oldest ? (now - oldest.at) / 1000 : 0;
  }

  #check(now: number): void {
    const lag = this.lag(now);
    const backlog = this.#process.stdin?.writableLength ?? 0;
    if (lag >= BEHIND_SECONDS && !this.#toldBehind) {
      this.#toldBehind = true;
      this.#options.logger.warn({ lag }, 'the ladder falls behind the program');
      this.#sink.behind(lag);
    }
    if ((lag >= GIVE_UP_SECONDS || backlog > MAX_BACKLOG_BYTES) && !this.#gaveUp) {
      this.#gaveUp = true;
      this.#options.logger.warn({ lag, backlog }, 'ladder stopped for this run: it cannot keep up');
      void this.#process.kill();
    }
  }

  /** The run ended: ffmpeg finishes what it was given. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#process.stop();
    await this.#queue;
  }
}
