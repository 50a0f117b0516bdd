// One destination's relay: while it is wanted (enabled, and the room's ingest live) a supervised
// ffmpeg copies the room's FLV to the platform, joining at a keyframe. A failed push (refused
// key, TLS, network drop, platform hang-up) restarts after a capped backoff; a relay that does
// not keep up is killed rather than allowed to hold memory. Nothing here can reach the other
// destinations, the HLS packager or the recording: each relay only ever reads the shared tags.
// Every stderr line is scrubbed of the key before it is kept or logged.
import { EventEmitter } from 'node:events';
import type { DestinationProblemCode, DestinationState } from '../../../protocol/restream.ts';
import type { Logger } from '../../logger.ts';
import { backoffDelay, nextAttempt, type BackoffPolicy } from '../backoff.ts';
import { FfmpegProcess, type ExitInfo } from '../FfmpegProcess.ts';
import { tagParts, type FlvTag } from '../flv.ts';
import type { FlvFeed } from './FlvFeed.ts';
import { classifyRelayLine, scrubber } from './relayLog.ts';
import { relayArgs, targetUrl } from './restreamArgs.ts';

export interface RelayOptions {
  ffmpegPath: string;
  caFile: string | null;
  backoff: BackoffPolicy;
  /** No byte sent for this long while running: the push hangs, ffmpeg is killed. */
  stallTimeoutMs: number;
  /** ffmpeg not keeping up: more than this many bytes waiting on its stdin. */
  maxPendingBytes: number;
  /** The platform refused the key this many times in a row: stop retrying. */
  maxKeyRefusals: number;
  /** The bitrate is measured over this window. */
  bitrateWindowMs: number;
}

export interface RelaySnapshot {
  state: DestinationState;
  since: Date;
  bitrateKbps: number | null;
  problem: { code: DestinationProblemCode; at: Date } | null;
}

export type DestinationRelayEvents = {
  /** The state or problem changed, or a new bitrate figure. */
  status: [];
};

/** Where the relay sends: URL and key, read when each ffmpeg starts (an edit applies at the next start). */
export interface RelayTarget {
  url: string;
  /** null when the stored key cannot be decrypted. */
  key: string | null;
}

interface Running {
  process: FfmpegProcess;
  primed: boolean;
  problem: DestinationProblemCode | null;
  samples: { at: number; bytes: number }[];
  watchdog: NodeJS.Timeout | null;
  recent: string[];
  /** When the bitrate was last reported. */
  reportedAt: number;
}

export class DestinationRelay extends EventEmitter<DestinationRelayEvents> {
  readonly id: string;
  readonly #target: () => RelayTarget;
  readonly #options: RelayOptions;
  readonly #logger: Logger;
  #wanted = false;
  #running: Running | null = null;
  #timer: NodeJS.Timeout | null = null;
  #attempt = 0;
  #keyRefusals = 0;
  #restarting = false;
  #snapshot: RelaySnapshot = { state: 'off', since: new Date(), bitrateKbps: null, problem: null };
  #closed = false;

  constructor(id: string, target: () => RelayTarget, options: RelayOptions, logger: Logger) {
    super();
    this.id = id;
    this.#target = target;
    this.#options = options;
    this.#logger = logger.child({ destination: id });
  }

  get snapshot(): RelaySnapshot {
    return this.#snapshot;
  }

  /** Runs while wanted; a change of mind starts at once or stops politely. */
  want(wanted: boolean): void {
    if (this.#closed) return;
    const was = this.#wanted;
    this.#wanted = wanted;
    if (wanted) {
      if (was) return;
      this.#attempt = 0;
      this.#keyRefusals = 0;
      this.#start();
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#running) void this.#running.process.stop();
    else if (this.#snapshot.state !== 'off') this.#set('off', null);
  }

  /** The URL or key changed: a running push ends and starts again with the new target. */
  restart(): void {
    if (this.#running) {
      this.#restarting = true;
      void this.#running.process.stop();
      return;
    }
    // Waiting to retry, or given up on a refused key: try the new target now.
    if (!this.#wanted) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#attempt = 0;
    this.#keyRefusals = 0;
    this.#start();
  }

  /** Cannot run at all (no ffmpeg, ingest it cannot read): shown as failed while wanted. */
  fail(code: DestinationProblemCode): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#set('failed', code);
  }

  /** One tag of the room's stream; `keyframe` tells where a fresh ffmpeg may join. */
  tag(tag: FlvTag, keyframe: boolean, feed: FlvFeed): void {
    const running = this.#running;
    const stdin = running?.process.stdin;
    if (!running || !stdin) return;
    if (!running.primed) {
      if (!keyframe) return;
      running.primed = true;
      const { header, tags } = feed.opening(tag);
      stdin.write(header);
      this.#write(running, [...tags, tag]);
      return;
    }
    this.#write(running, [tag]);
  }

  #write(running: Running, tags: FlvTag[]): void {
    const stdin = running.process.stdin;
    if (!stdin) return;
    if (stdin.writableLength > this.#options.maxPendingBytes) {
      this.#logger.warn({ pending: stdin.writableLength }, 'restream relay is not keeping up, killed');
      running.problem ??= 'slow';
      void running.process.kill();
      return;
    }
    stdin.cork();
    for (const tag of tags) for (const part of tagParts(tag)) stdin.write(part);
    stdin.uncork();
  }

  #start(): void {
    if (this.#closed || !this.#wanted || this.#running) return;
    const { url, key } = this.#target();
    if (key === null) {
      this.#logger.error('the stored stream key cannot be decrypted: was the secret key file replaced? Enter the key again');
      this.fail('secret-key');
      return;
    }
    const scrub = scrubber(key);
    const args = relayArgs({ target: targetUrl(url, key), caFile: this.#options.caFile });
    const process = new FfmpegProcess(this.#options.ffmpegPath, args, { stdin: true });
    const running: Running = { process, primed: false, problem: null, samples: [], watchdog: null, recent: [], reportedAt: Date.now() };
    this.#running = running;
    this.#logger.info({ pid: process.pid, args: args.map(scrub) }, 'restream relay started');
    this.#set('starting', this.#snapshot.problem?.code ?? null);
    this.#arm(running);
    process.on('line', (raw) => this.#line(running, scrub(raw)));
    process.once('exit', (exit) => this.#exited(running, exit));
  }

  /** Each progress line that shows bytes leaving proves the push alive. */
  #arm(running: Running): void {
    if (running.watchdog) clearTimeout(running.watchdog);
    running.watchdog = setTimeout(() => {
      this.#logger.warn({ stallTimeoutMs: this.#options.stallTimeoutMs }, 'restream relay sent nothing, killed');
      running.problem ??= 'timeout';
      void running.process.kill();
    }, this.#options.stallTimeoutMs);
  }

  #line(running: Running, line: string): void {
    running.recent.push(line);
    if (running.recent.length > 20) running.recent.shift();
    const signal = classifyRelayLine(line);
    if (!signal) return;
    if (signal.kind === 'problem') {
      if (running.problem === null) this.#logger.warn({ problem: signal.code, line }, 'restream relay reported a problem');
      running.problem ??= signal.code;
      return;
    }
    const now = Date.now();
    const last = running.samples.at(-1);
    if (last && signal.bytes <= last.bytes) return;
    const sample = { at: now, bytes: signal.bytes };
    running.samples.push(sample);
    // Drop the oldest while the one after it is older than the window (two kept at least).
    const young = running.samples.findIndex((s, i) => i > 0 && now - s.at < this.#options.bitrateWindowMs);
    running.samples.splice(0, Math.min(young === -1 ? Infinity : young - 1, running.samples.length - 2));
    this.#arm(running);
    const first = running.samples[0] ?? sample;
    const seconds = (now - first.at) / 1000;
    const kbps = seconds > 0 ? Math.round(((signal.bytes - first.bytes) * 8) / seconds / 1000) : null;
    if (this.#snapshot.state !== 'live') {
      this.#keyRefusals = 0;
      this.#logger.info('restream relay live');
      this.#set('live', null, kbps);
    } else if (kbps !== null && now - running.reportedAt >= this.#options.bitrateWindowMs) {
      // A new figure once per window: the consoles need no more.
      running.reportedAt = now;
      this.#snapshot = { ...this.#snapshot, bitrateKbps: kbps };
      this.emit('status');
    }
  }

  #exited(running: Running, exit: ExitInfo): void {
    if (running.watchdog) clearTimeout(running.watchdog);
    this.#running = null;
    if (this.#closed || !this.#wanted) {
      this.#restarting = false;
      this.#set('off', null);
      return;
    }
    if (this.#restarting) {
      this.#restarting = false;
      this.#attempt = 0;
      this.#start();
      return;
    }
    if (exit.spawnError) {
      this.#logger.error({ err: exit.spawnError.message, ffmpeg: this.#options.ffmpegPath }, 'ffmpeg could not be started for a restream relay');
      this.fail('ffmpeg-missing');
      return;
    }
    const problem = running.problem ?? 'failed';
    this.#logger.warn({ code: exit.code, signal: exit.signal, problem, recent: running.recent.slice(-8) }, 'restream relay exited');
    this.#keyRefusals = problem === 'wrong-key' ? this.#keyRefusals + 1 : 0;
    if (this.#keyRefusals >= this.#options.maxKeyRefusals) {
      this.fail('wrong-key');
      return;
    }
    const delay = backoffDelay(this.#options.backoff, this.#attempt);
    this.#attempt = nextAttempt(this.#options.backoff, this.#attempt, exit.ranMs);
    this.#set('retrying', problem);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#start();
    }, delay);
  }

  #set(state: DestinationState, problem: DestinationProblemCode | null, bitrateKbps: number | null = null): void {
    const previous = this.#snapshot;
    const sameProblem = (previous.problem?.code ?? null) === problem;
    this.#snapshot = {
      state,
      since: previous.state === state ? previous.since : new Date(),
      bitrateKbps: state === 'live' ? bitrateKbps : null,
      problem: problem === null ? null : sameProblem && previous.problem ? previous.problem : { code: problem, at: new Date() },
    };
    this.emit('status');
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Stops the push (ffmpeg ends cleanly) and any pending retry; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.want(false);
    this.#closed = true;
    await this.#running?.process.stop();
  }
}
