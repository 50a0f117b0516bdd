// A room's SRT ingest: an ffmpeg waiting on the room's own UDP port, the stream key as the SRT
// passphrase (ffmpeg 5.1 cannot route callers by streamid, so each room has a port). When a
// caller connects the room goes live; when it leaves, a fresh listener takes its place. While
// an RTMP publisher holds the room the listener is stopped, so a second publisher cannot get in.
// The listener's pid is kept in a file, so one orphaned by a killed server is reaped at start.
// The passphrase never reaches ffmpeg's command line or a log line: ffmpeg reads the listener
// URL from a script file readable by the server's user only, and its stderr is scrubbed.
import { rmSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logger.ts';
import { backoffDelay, nextAttempt, type BackoffPolicy } from './backoff.ts';
import { srtListenerScript } from './ffmpegArgs.ts';
import { HlsPackager } from './HlsPackager.ts';
import type { IngestLease, LiveRoom } from './LiveRoom.ts';
import { forgetPid, reapOrphan, writePid } from './orphans.ts';

export interface SrtListenerOptions {
  ffmpegPath: string;
  host: string;
  port: number;
  segmentSeconds: number;
  stallTimeoutMs: number;
  backoff: BackoffPolicy;
  /** Where the running listener's pid is kept. */
  pidFile: string;
  /** Where the listener's ffconcat script (its URL, passphrase included) is written. */
  scriptFile: string;
}

export class SrtListener {
  readonly port: number;
  readonly #room: LiveRoom;
  readonly #passphrase: () => string;
  readonly #options: SrtListenerOptions;
  readonly #logger: Logger;
  #packager: HlsPackager | null = null;
  #timer: NodeJS.Timeout | null = null;
  #attempt = 0;
  #closed = false;
  readonly #onClaimed = () => {
    if (this.#room.protocol !== 'srt') this.#pause();
  };
  readonly #onReleased = () => this.#schedule(0);

  constructor(room: LiveRoom, passphrase: () => string, options: SrtListenerOptions, logger: Logger) {
    this.#room = room;
    this.#passphrase = passphrase;
    this.#options = options;
    this.port = options.port;
    this.#logger = logger.child({ room: room.id, srtPort: options.port });
    // The script's path names this room's listener on the command line.
    const orphan = reapOrphan(options.pidFile, options.scriptFile);
    if (orphan !== null) this.#logger.warn({ pid: orphan }, 'killed an SRT listener left behind by a previous run');
    room.on('claimed', this.#onClaimed);
    room.on('released', this.#onReleased);
    this.#schedule(0);
  }

  /** The passphrase changed: an idle listener restarts with the new one; a live one keeps going. */
  rekey(): void {
    if (this.#packager && this.#room.protocol !== 'srt') this.#pause();
    this.#schedule(0);
  }

  #schedule(delay: number): void {
    if (this.#closed || this.#timer || this.#packager) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#room.live) this.#listen();
    }, delay);
  }

  #pause(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#packager?.stop();
  }

  #listen(): void {
    const run = this.#room.createRun();
    const { host, port, scriptFile } = this.#options;
    const passphrase = this.#passphrase();
    // Once per listener start (not per segment); rewritten, so a rotated key takes effect.
    writeFileSync(scriptFile, srtListenerScript({ host, port, passphrase }), { mode: 0o600 });
    const packager = new HlsPackager({
      ffmpegPath: this.#options.ffmpegPath,
      input: { kind: 'srt-listener', script: scriptFile },
      redact: [passphrase, encodeURIComponent(passphrase)],
      audio: 'aac',
      runDir: run.dir,
      segmentSeconds: this.#options.segmentSeconds,
      stallTimeoutMs: this.#options.stallTimeoutMs,
      logger: this.#logger,
    });
    this.#packager = packager;
    if (packager.pid !== undefined) writePid(this.#options.pidFile, packager.pid);
    let lease: IngestLease | null = null;
    let problemReported = false;
    packager.on('input', () => {
      lease = this.#room.claim('srt');
      if (!lease) {
        this.#logger.warn('SRT caller refused: the room is busy');
        this.#room.problem('second-publisher');
        void packager.kill();
      }
    });
    // The codec is only known once the caller is in, so SRT audio is always encoded to AAC.
    packager.on('streams', (info) => lease?.streams(info, info.audio !== null));
    packager.on('segments', (segments) => lease?.segments(run, segments, Date.now()));
    packager.on('part', (part) => lease?.part(run, part, Date.now()));
    packager.on('problem', (code) => {
      problemReported = true;
      if (code === 'srt-wrong-passphrase') this.#logger.warn('SRT caller refused: wrong passphrase (stream key)');
      if (lease) lease.problem(code);
      else this.#room.problem(code);
    });
    packager.once('exit', (exit) => {
      this.#packager = null;
      forgetPid(this.#options.pidFile);
      this.#room.endRun(run);
      const wasLive = lease !== null;
      lease?.release();
      if (this.#closed) return;
      if (exit.spawnError) {
        this.#logger.error({ err: exit.spawnError.message }, 'ffmpeg could not be started for SRT');
        this.#room.problem('ffmpeg-missing');
      } else if (!wasLive && !exit.stopped) {
        this.#logger.error({ code: exit.code, recent: exit.recentLines }, 'SRT listener failed');
        if (!problemReported) this.#room.problem('ffmpeg-failed');
      }
      // A caller that came and went is the normal cycle: listen again at once.
      this.#attempt = wasLive || exit.stopped ? 0 : nextAttempt(this.#options.backoff, this.#attempt, exit.ranMs);
      this.#schedule(this.#attempt === 0 ? 0 : backoffDelay(this.#options.backoff, this.#attempt - 1));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#room.off('claimed', this.#onClaimed);
    this.#room.off('released', this.#onReleased);
    if (this.#timer) clearTimeout(this.#timer);
    await this.#packager?.stop();
    rmSync(this.#options.scriptFile, { force: true });
  }
}
