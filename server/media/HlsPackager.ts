// One packaging run: an ffmpeg that writes fMP4 HLS into its own run folder. Reports when its
// input opened and what streams it carries, each segment once it is complete (ffmpeg renames
// its playlist into place right after closing a segment; the folder is watched for that),
// known problems from stderr, and its exit. A watchdog kills a run whose segments stop coming.
// Restarting is the owner's job. Reading the folder is asynchronous and in order, off the
// event loop's critical path: the last segments are reported before the exit.
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaProblemCode } from '../../protocol/media.ts';
import type { Logger } from '../logger.ts';
import { packagerArgs, RUN_PLAYLIST, type PackagerArgs } from './ffmpegArgs.ts';
import { classifyLine } from './ffmpegLog.ts';
import { FfmpegProcess, type ExitInfo } from './FfmpegProcess.ts';
import { parseRunPlaylist } from './playlist.ts';

export interface StreamInfo {
  format: string;
  video: { codec: string; profile: string | null; width: number; height: number; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null; channels: string | null } | null;
}

export interface CompletedSegment {
  file: string;
  duration: number;
  bytes: number;
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
  segments: [segments: CompletedSegment[]];
  problem: [code: MediaProblemCode];
  exit: [info: PackagerExit];
};

export interface HlsPackagerOptions extends Omit<PackagerArgs, 'runDir'> {
  ffmpegPath: string;
  runDir: string;
  /** No new segment for this long after the input opened: the run is killed. */
  stallTimeoutMs: number;
  logger: Logger;
  /** Kept out of every line read from ffmpeg (the SRT passphrase). */
  redact?: string[];
}

export class HlsPackager extends EventEmitter<HlsPackagerEvents> {
  readonly runDir: string;
  readonly #process: FfmpegProcess;
  readonly #options: HlsPackagerOptions;
  readonly #reported = new Set<string>();
  readonly #problems = new Set<MediaProblemCode>();
  #section: 'before' | 'input' | 'output' = 'before';
  #streams: StreamInfo | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #stalled = false;
  /** Folder reads, one after the other. */
  #collecting: Promise<void> = Promise.resolve();
  readonly #watcher: FSWatcher;

  constructor(options: HlsPackagerOptions) {
    super();
    this.#options = options;
    this.runDir = options.runDir;
    this.#watcher = watch(options.runDir, (_event, file) => {
      if (file === RUN_PLAYLIST) void this.#queueCollect();
    });
    this.#watcher.on('error', (err) => options.logger.warn({ err: err.message, runDir: this.runDir }, 'run folder watch failed'));
    const args = packagerArgs(options);
    this.#process = new FfmpegProcess(options.ffmpegPath, args, { stdin: options.input.kind === 'flv-pipe', redact: options.redact ?? [] });
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
      case 'segment-opened':
        this.#arm();
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

  /** (Re)starts the watchdog: each opened segment proves the run is alive. */
  #arm(): void {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#stalled = true;
      this.#options.logger.warn({ runDir: this.runDir, stallTimeoutMs: this.#options.stallTimeoutMs }, 'no new segment, ffmpeg killed');
      this.emit('problem', 'stalled');
      void this.#process.kill();
    }, this.#options.stallTimeoutMs);
  }

  #queueCollect(): Promise<void> {
    this.#collecting = this.#collecting.then(() => this.#collect());
    return this.#collecting;
  }

  /** Reports the segments of ffmpeg's playlist not reported yet. */
  async #collect(): Promise<void> {
    const text = await readFile(join(this.runDir, RUN_PLAYLIST), 'utf8').catch(() => null);
    if (text === null) return;
    const fresh: CompletedSegment[] = [];
    for (const segment of parseRunPlaylist(text)) {
      if (this.#reported.has(segment.file)) continue;
      const size = await stat(join(this.runDir, segment.file)).then(
        (s) => s.size,
        () => null,
      );
      if (size === null) continue;
      this.#reported.add(segment.file);
      fresh.push({ ...segment, bytes: size });
    }
    if (fresh.length > 0) this.emit('segments', fresh);
  }

  async #onExit(info: ExitInfo): Promise<void> {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watcher.close();
    // ffmpeg lists the last segment as it exits.
    if (!this.#stalled && !info.spawnError) await this.#queueCollect();
    else await this.#collecting;
    this.emit('exit', {
      ...info,
      inputOpened: this.#section !== 'before',
      segments: this.#reported.size,
      recentLines: this.#process.recentLines,
    });
  }
}
