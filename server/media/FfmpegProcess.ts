// One ffmpeg child process: spawned without a shell, stderr split into lines (the recent ones
// kept in a ring for diagnostics), a start-up failure (no binary, not executable) told apart
// from a later exit, and a polite stop (end of input, or SIGTERM) that becomes SIGKILL after a
// timeout. Restarting is the owner's decision.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { LineSplitter } from './ffmpegLog.ts';
import { pipeFrom } from '../childProcesses.ts';

export interface ExitInfo {
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError: Error | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit followed stop() or kill(). */
  stopped: boolean;
  ranMs: number;
}

export type FfmpegProcessEvents = {
  line: [line: string];
  exit: [info: ExitInfo];
};

export interface FfmpegProcessOptions {
  /** Pipe stdin (the RTMP path feeds FLV there); otherwise stdin is closed. */
  stdin: boolean;
  /** Receives what ffmpeg writes to stdout (the packager's fragmented MP4); otherwise stdout is discarded. */
  stdout: ((chunk: Buffer) => void) | null;
  /** How long a polite stop may take before SIGKILL. */
  killAfterMs: number;
  recentLines: number;
  /** Secrets (a stream key) replaced in every stderr line before anyone sees it. */
  redact: string[];
  /** More outputs, on file descriptors 3, 4, … (`pipe:3` …): each receives what ffmpeg writes there. */
  outputs: ((chunk: Buffer) => void)[];
}

const DEFAULTS: FfmpegProcessOptions = { stdin: false, stdout: null, killAfterMs: 5000, recentLines: 40, redact: [], outputs: [] };
const REDACTED = '[redacted]';

export class FfmpegProcess extends EventEmitter<FfmpegProcessEvents> {
  readonly #child: ChildProcess;
  readonly #options: FfmpegProcessOptions;
  readonly #recent: string[] = [];
  readonly #startedAt = Date.now();
  readonly #exited: Promise<ExitInfo>;
  #exit: ExitInfo | null = null;
  #stopped = false;
  #killTimer: NodeJS.Timeout | null = null;

  constructor(bin: string, args: string[], options: Partial<FfmpegProcessOptions> = {}) {
    super();
    this.#options = { ...DEFAULTS, ...options };
    const onStdout = this.#options.stdout;
    const outputs = this.#options.outputs;
    this.#child = spawn(bin, args, {
      stdio: [this.#options.stdin ? 'pipe' : 'ignore', onStdout ? 'pipe' : 'ignore', 'pipe', ...outputs.map(() => 'pipe' as const)],
    });
    if (onStdout) pipeFrom(this.#child, 1).on('data', onStdout);
    outputs.forEach((onData, i) => pipeFrom(this.#child, 3 + i).on('data', onData));
    let resolveExit!: (info: ExitInfo) => void;
    this.#exited = new Promise((resolve) => (resolveExit = resolve));
    const finish = (info: Omit<ExitInfo, 'stopped' | 'ranMs'>) => {
      if (this.#exit) return;
      if (this.#killTimer) clearTimeout(this.#killTimer);
      this.#exit = { ...info, stopped: this.#stopped, ranMs: Date.now() - this.#startedAt };
      resolveExit(this.#exit);
      this.emit('exit', this.#exit);
    };
    const splitter = new LineSplitter();
    const stderr = pipeFrom(this.#child, 2);
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) this.#line(line);
    });
    this.#child.stdin?.on('error', () => {
      // EPIPE when ffmpeg exits first; the exit itself is reported through 'close'.
    });
    this.#child.once('error', (err) => {
      if (this.#child.pid === undefined) finish({ spawnError: err, code: null, signal: null });
    });
    this.#child.once('close', (code, signal) => {
      for (const line of splitter.end()) this.#line(line);
      finish({ spawnError: null, code, signal });
    });
  }

  #line(raw: string): void {
    let line = raw;
    for (const secret of this.#options.redact) if (secret !== '') line = line.replaceAll(secret, REDACTED);
    this.#recent.push(line);
    if (this.#recent.length > this.#options.recentLines) this.#recent.shift();
    this.emit('line', line);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** ffmpeg's stdin when piped and still open. */
  get stdin(): Writable | null {
    const stdin = this.#child.stdin;
    return stdin && !stdin.destroyed && stdin.writable ? stdin : null;
  }

  /** The last lines of stderr, oldest first. */
  get recentLines(): string[] {
    return [...this.#recent];
  }

  get exited(): boolean {
    return this.#exit !== null;
  }

  /** Resolves when the process has exited (or failed to start). */
  whenExited(): Promise<ExitInfo> {
    return this.#exited;
  }

  /** Ends the input (or sends SIGTERM) so ffmpeg finishes the last segment; SIGKILL after the timeout. */
  stop(): Promise<ExitInfo> {
    if (this.#exit || this.#stopped) return this.#exited;
    this.#stopped = true;
    const stdin = this.stdin;
    if (stdin) stdin.end();
    else this.#child.kill('SIGTERM');
    this.#killTimer = setTimeout(() => this.#child.kill('SIGKILL'), this.#options.killAfterMs);
    return this.#exited;
  }

  /** Kills at once (a stalled process has nothing worth finishing). */
  kill(): Promise<ExitInfo> {
    if (this.#exit) return this.#exited;
    this.#stopped = true;
    this.#child.kill('SIGKILL');
    return this.#exited;
  }

  get closed(): boolean {
    return this.#exit !== null;
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
