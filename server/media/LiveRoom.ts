// One room's live picture: who is publishing (one ingest at a time, RTMP or SRT), the sliding
// window of segments served at /hls/<room>/index.m3u8 — continuing across encoder reconnects
// and ffmpeg restarts with a discontinuity — and the room's ingest status. Files that slide out
// of the window are deleted (recordings keep their own hard links); a room offline for long
// enough stops offering its stale window as live.
import { EventEmitter } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { IngestProtocol, IngestStatus, MediaProblemCode } from '../../protocol/media.ts';
import type { Logger } from '../logger.ts';
import { INIT_FILE } from './ffmpegArgs.ts';
import type { FlvTag } from './flv.ts';
import type { CompletedSegment, StreamInfo } from './HlsPackager.ts';
import { renderPlaylist, type PlaylistSegment } from './playlist.ts';
import { placeSegments } from './timeline.ts';

export interface LiveSegment extends PlaylistSegment {
  /** Media sequence number in the room's live playlist. */
  seq: number;
  /** Discontinuity sequence number. */
  disc: number;
  bytes: number;
  path: string;
  initPath: string;
}

export interface Run {
  runId: string;
  dir: string;
}

export type LiveRoomEvents = {
  segment: [segment: LiveSegment];
  /** Something shown in the status changed. */
  status: [];
  claimed: [protocol: IngestProtocol];
  released: [protocol: IngestProtocol];
  /** Each FLV tag of an RTMP publisher, as received (the restream relays copy it). */
  tag: [tag: FlvTag];
};

export interface LiveRoomOptions {
  /** Segments listed in the live playlist. */
  windowSize: number;
  /** Segments kept on disk after sliding out, for players still fetching them. */
  keepAfterWindow: number;
  segmentSeconds: number;
  /** Status updates caused by new segments alone are sent at most this often. */
  statusIntervalMs: number;
  /** After this long without a publisher the window is cleared (a short drop keeps it). */
  offlineResetMs: number;
}

type Problem = { code: MediaProblemCode; at: Date };
export type RoomStatus = Omit<IngestStatus, 'storage' | 'problem'> & { liveBytes: number; problem: Problem | null };

/** What the publishing ingest may do while it holds the room; inert once released. */
export class IngestLease {
  #room: LiveRoom | null;
  readonly protocol: IngestProtocol;

  constructor(room: LiveRoom, protocol: IngestProtocol) {
    this.#room = room;
    this.protocol = protocol;
  }

  get released(): boolean {
    return this.#room === null;
  }

  streams(info: StreamInfo, audioTranscoded: boolean): void {
    this.#room?.setStreams(info, audioTranscoded);
  }

  keyframeInterval(seconds: number): void {
    this.#room?.setKeyframeInterval(seconds);
  }

  segments(run: Run, segments: CompletedSegment[], now: number): void {
    this.#room?.addSegments(run, segments, now);
  }

  problem(code: MediaProblemCode): void {
    this.#room?.problem(code);
  }

  tag(tag: FlvTag): void {
    this.#room?.emit('tag', tag);
  }

  release(): void {
    const room = this.#room;
    this.#room = null;
    room?.release(this);
  }
}

/** What a run id looks like (see `createRun`): a requested name is a path component only when it matches. */
export const RUN_ID = /^[a-z0-9]+-[a-f0-9]{4}$/;

export class LiveRoom extends EventEmitter<LiveRoomEvents> {
  readonly id: string;
  readonly #dir: string;
  readonly #options: LiveRoomOptions;
  readonly #logger: Logger;
  #lease: IngestLease | null = null;
  #since: Date | null = null;
  #streams: { info: StreamInfo; transcoded: boolean } | null = null;
  #keyframeInterval: number | null = null;
  #problem: Problem | null = null;
  #segments: LiveSegment[] = [];
  /** Kept segments per run folder; a folder goes when its last segment does. */
  readonly #runs = new Map<string, { dir: string; kept: number; open: boolean }>();
  #nextSeq = 0;
  #disc = 0;
  #targetFloor: number;
  #lastStatusAt = 0;
  #resetTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(id: string, dir: string, options: LiveRoomOptions, logger: Logger) {
    super();
    this.id = id;
    this.#dir = dir;
    this.#options = options;
    this.#targetFloor = Math.ceil(options.segmentSeconds);
    this.#logger = logger.child({ room: id });
    // Live segments do not outlive the process: a restart begins a fresh window.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  get live(): boolean {
    return this.#lease !== null;
  }

  get protocol(): IngestProtocol | null {
    return this.#lease?.protocol ?? null;
  }

  /** Takes the room for one publisher; null when another one holds it. */
  claim(protocol: IngestProtocol): IngestLease | null {
    if (this.#lease || this.#closed) return null;
    if (this.#resetTimer) clearTimeout(this.#resetTimer);
    this.#resetTimer = null;
    this.#lease = new IngestLease(this, protocol);
    this.#since = new Date();
    this.#streams = null;
    this.#keyframeInterval = null;
    this.#problem = null;
    this.#logger.info({ protocol }, 'ingest live');
    this.emit('claimed', protocol);
    this.#changed();
    return this.#lease;
  }

  /** Called by IngestLease.release(). */
  release(lease: IngestLease): void {
    if (this.#lease !== lease) return;
    this.#lease = null;
    this.#since = new Date();
    this.#logger.info({ protocol: lease.protocol }, 'ingest offline');
    this.#resetTimer = setTimeout(() => this.#reset(), this.#options.offlineResetMs);
    this.emit('released', lease.protocol);
    this.#changed();
  }

  /** Long offline: the old picture is no longer offered as live. Numbering continues. */
  #reset(): void {
    this.#resetTimer = null;
    this.#drop(this.#segments.length);
    this.#changed();
  }

  /** A fresh folder for one ffmpeg run; ids sort by time and never repeat across restarts. */
  createRun(): Run {
    const runId = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    const dir = join(this.#dir, runId);
    mkdirSync(dir, { recursive: true });
    this.#runs.set(runId, { dir, kept: 0, open: true });
    return { runId, dir };
  }

  /** The run's ffmpeg exited; its folder goes once none of its segments is kept. */
  endRun(run: Run): void {
    const entry = this.#runs.get(run.runId);
    if (!entry) return;
    entry.open = false;
    this.#dropRunIfEmpty(run.runId);
  }

  setStreams(info: StreamInfo, transcoded: boolean): void {
    this.#streams = { info, transcoded };
    this.#changed();
  }

  setKeyframeInterval(seconds: number): void {
    const previous = this.#keyframeInterval;
    this.#keyframeInterval = seconds;
    if (previous === null || Math.abs(previous - seconds) > 0.1 * previous) this.#changed();
  }

  problem(code: MediaProblemCode): void {
    this.#problem = { code, at: new Date() };
    this.#changed();
  }

  addSegments(run: Run, completed: CompletedSegment[], now: number): void {
    const last = this.#segments.at(-1);
    const previous = last ? { runId: last.runId, end: last.start + last.duration * 1000 } : null;
    const starts = placeSegments(previous, run.runId, completed.map((c) => c.duration), now);
    const entry = this.#runs.get(run.runId);
    completed.forEach((c, i) => {
      const before = this.#segments.at(-1);
      if (before && before.runId !== run.runId) this.#disc += 1;
      const segment: LiveSegment = {
        runId: run.runId,
        file: c.file,
        duration: c.duration,
        start: starts[i]!,
        seq: this.#nextSeq++,
        disc: this.#disc,
        bytes: c.bytes,
        path: join(run.dir, c.file),
        initPath: join(run.dir, INIT_FILE),
      };
      this.#targetFloor = Math.max(this.#targetFloor, Math.round(c.duration));
      this.#segments.push(segment);
      if (entry) entry.kept += 1;
      this.emit('segment', segment);
    });
    this.#trim();
    if (Date.now() - this.#lastStatusAt >= this.#options.statusIntervalMs) this.#changed();
  }

  #trim(): void {
    this.#drop(this.#segments.length - (this.#options.windowSize + this.#options.keepAfterWindow));
  }

  /** Deletes the `count` oldest segments (and run folders left empty). */
  #drop(count: number): void {
    for (let i = 0; i < count; i++) {
      const gone = this.#segments.shift()!;
      rmSync(gone.path, { force: true });
      const entry = this.#runs.get(gone.runId);
      if (entry) entry.kept -= 1;
      this.#dropRunIfEmpty(gone.runId);
    }
  }

  #dropRunIfEmpty(runId: string): void {
    const entry = this.#runs.get(runId);
    if (!entry || entry.open || entry.kept > 0) return;
    this.#runs.delete(runId);
    rmSync(entry.dir, { recursive: true, force: true });
  }

  #window(): LiveSegment[] {
    return this.#segments.slice(-this.#options.windowSize);
  }

  /** The live playlist; null while there is nothing to play. */
  playlist(): string | null {
    const window = this.#window();
    const first = window[0];
    if (!first) return null;
    return renderPlaylist({
      kind: 'live',
      segments: window,
      mediaSequence: first.seq,
      discontinuitySequence: first.disc,
      minTargetDuration: this.#targetFloor,
    });
  }

  /** Path of a file the live playlist may reference (kept segment or its run's init). */
  file(runId: string, file: string): string | null {
    if (!RUN_ID.test(runId)) return null;
    if (file === INIT_FILE) {
      const entry = this.#runs.get(runId);
      return entry && entry.kept > 0 ? join(entry.dir, INIT_FILE) : null;
    }
    const segment = this.#segments.find((s) => s.runId === runId && s.file === file);
    return segment ? segment.path : null;
  }

  status(): RoomStatus {
    const window = this.#window();
    const seconds = window.reduce((sum, s) => sum + s.duration, 0);
    const bytes = window.reduce((sum, s) => sum + s.bytes, 0);
    const last = this.#segments.at(-1);
    const live = this.#lease !== null;
    const info = live ? this.#streams?.info : undefined;
    const currentRun = live && last ? window.filter((s) => s.runId === last.runId) : [];
    return {
      room: this.id,
      state: live ? 'live' : 'offline',
      since: this.#since?.toISOString() ?? null,
      protocol: this.#lease?.protocol ?? null,
      video: info?.video ?? null,
      audio: info?.audio ? { ...info.audio, transcoded: this.#streams!.transcoded } : null,
      keyframeInterval: live
        ? (this.#keyframeInterval ?? (currentRun.length > 0 ? Math.max(...currentRun.map((s) => s.duration)) : null))
        : null,
      bitrateKbps: live && seconds > 0 ? Math.round((bytes * 8) / seconds / 1000) : null,
      lastSegmentAt: last ? new Date(last.start + last.duration * 1000).toISOString() : null,
      liveBytes: this.#segments.reduce((sum, s) => sum + s.bytes, 0),
      problem: this.#problem,
    };
  }

  #changed(): void {
    this.#lastStatusAt = Date.now();
    this.emit('status');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#resetTimer) clearTimeout(this.#resetTimer);
    this.#lease?.release();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
