// One room's live picture: who is publishing (one ingest at a time, RTMP or SRT), the sliding
// window of segments served at /hls/<room>/index.m3u8 — continuing across encoder reconnects,
// ffmpeg restarts and server restarts with a discontinuity — and the room's ingest status.
//
// What HLS asks of a live playlist (RFC 8216 §6.2): media sequence numbers are never reused
// (the next one is kept on disk, so a restarted server continues the count); the target
// duration never changes within a playlist — a segment longer than the target (an encoder
// that came back with rarer keyframes) starts a new generation: the window empties and the
// playlist begins again with a target that covers it; and a segment that leaves the playlist
// stays on disk for its duration plus the playlist's. A room offline for long enough stops
// offering its stale window as live. File work is asynchronous and done in order.
//
// Low-Latency HLS (RFC 8216bis): the packager's parts are kept in memory — those of the
// segment being cut (numbered when its first part arrives) and of the newest segments — and
// listed with a preload hint for the next one. A blocking reload (_HLS_msn/_HLS_part) waits
// in a list that each arriving part or segment settles: nothing polls.
//
// Renditions: the window is also offered as the program's audio alone (cut from the same parts
// and segments, so it shares every boundary) and, when configured, as transcoded qualities from
// the run's ladder (a second ffmpeg; RungStore files them under the program's numbers); the
// multivariant playlist lists them all with what their segments measure.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { IngestProtocol, IngestStatus, MediaProblemCode } from '../../protocol/media.ts';
import type { Logger } from '../logger.ts';
import { AUDIO_INIT_FILE, INIT_FILE, rungKbps, type LadderEncoder } from './ffmpegArgs.ts';
import { ALIGN_SECONDS, Ladder } from './Ladder.ts';
import { RungStore, type ProgramSegment } from './RungStore.ts';
import type { FlvTag } from './flv.ts';
import { PART_TARGET, type CompletedSegment, type PackagedInit, type PackagedPart, type StreamInfo } from './HlsPackager.ts';
import {
  bitRates,
  renderMultivariant,
  renderPlaylist,
  type PlaylistPart,
  type PlaylistSegment,
  type RenditionReport,
  type Variant,
} from './playlist.ts';
import { placeSegments } from './timeline.ts';
import { messageOf } from '../thrown.ts';

export interface LiveSegment extends PlaylistSegment {
  /** Media sequence number in the room's live playlist. */
  seq: number;
  /** Discontinuity sequence number. */
  disc: number;
  /** A discontinuity lies between this segment and the one numbered before it. */
  discontinuity: boolean;
  bytes: number;
  path: string;
  initPath: string;
  /** Its parts while the newest segments keep them in memory. */
  parts?: LivePart[] | null;
  /** Media time of its start on the run's own clock (the ladder's segments are matched by it). */
  mediaStart?: number;
  /** The same segment in the audio-only rendition (a file in the same run folder). */
  audio?: { file: string; bytes: number; path: string } | null;
}

export interface LivePart extends PlaylistPart {
  /** File name within the run, e.g. part-41.2.m4s. */
  file: string;
  data: Buffer;
  /** The part's audio alone: the audio-only rendition's part. */
  audio?: Buffer | null;
}

/**
 * The media playlists under a room's multivariant playlist: the program as the encoder sent it,
 * and its audio alone (both cut from the same fragments, so they share every boundary).
 */
export type MirrorRendition = 'source' | 'audio';
/** `source`, `audio`, or a transcoded rendition such as `480p`. */
export type RenditionName = MirrorRendition | `${number}p`;

/** The segment being cut: numbered and timed by its first part, completed by the packager. */
interface OpenSegment {
  runId: string;
  /** The packager's number of the segment within its run. */
  local: number;
  seq: number;
  disc: number;
  discontinuity: boolean;
  start: number;
  parts: LivePart[];
  /** Media time of its first part on the run's own clock (where the ladder's segment begins too). */
  mediaStart: number | undefined;
}

/** Answer to a blocking reload: there at once, refused as too far ahead, or wait (false: timed out). */
export type BlockingAnswer = 'ready' | 'too-far' | Promise<boolean>;

interface Waiter {
  rendition: RenditionName;
  msn: number;
  part: number | null;
  done: (ready: boolean) => void;
}

/** Parts of a file name: [<rendition>-]part-<msn>.<index>.m4s (audio, 480p …; none: the program). */
export const PART_FILE = /^(?:(audio|\d{3,4}p)-)?part-(\d+)\.(\d+)\.m4s$/;
const RUNG_INIT = /^(\d{3,4}p)-init\.mp4$/;
const RUNG_SEGMENT = /^(\d{3,4}p)-seg-(\d+)\.m4s$/;
/** How far behind the newest part a low-latency player plays: three part targets (RFC 8216bis §4.4.3.7). */
export const PART_HOLD_BACK = 3 * PART_TARGET;
/** A request further ahead than this many parts is refused (RFC 8216bis §6.2.5.2). */
const ADVANCE_PART_LIMIT = 3;
/**
 * Held reloads per room at most. Anyone may send one, so their memory is capped: past this a
 * reload is answered at once with the playlist as it is (as on a timeout, not to be cached).
 */
export const MAX_HELD_RELOADS = 20_000;
/** Completed segments whose parts stay in memory (and listed). */
const SEGMENTS_WITH_PARTS = 2;

export interface Run {
  runId: string;
  dir: string;
  /** When the run's first media reached the server (ms), set by an ingest that sees it (RTMP). */
  startedAt?: number;
}

export type LiveRoomEvents = {
  segment: [segment: LiveSegment];
  /** An LL-HLS part of segment `seq` arrived (after held reloads were answered). */
  part: [seq: number, part: LivePart];
  /** Something shown in the status changed. */
  status: [];
  claimed: [protocol: IngestProtocol];
  released: [protocol: IngestProtocol];
  /** Each FLV tag of an RTMP publisher, as received (the restream relays copy it). */
  tag: [tag: FlvTag];
  /** Each part of the program as packaged, with its run's init section (the WHEP feed reads them). */
  packaged: [part: PackagedPart];
  /** An ffmpeg run began (a new encoder connection, or ffmpeg restarted). */
  run: [];
};

export interface LiveRoomOptions {
  /** Segments listed in the live playlist. */
  windowSize: number;
  segmentSeconds: number;
  /** Status updates caused by new segments alone are sent at most this often. */
  statusIntervalMs: number;
  /** After this long without a publisher the window is cleared (a short drop keeps it). */
  offlineResetMs: number;
  /** Transcoded renditions (none: only the program and its audio). */
  ladder?: LadderSettings | null;
}

export interface LadderSettings {
  ffmpegPath: string;
  /** Heights, highest first; those above the program's own are skipped. */
  heights: number[];
  encoder: LadderEncoder;
  preset: string;
}

type Problem = { code: MediaProblemCode; at: Date };
export type RoomStatus = Omit<IngestStatus, 'storage' | 'problem'> & { liveBytes: number; problem: Problem | null };

/** Numbers skipped after a restart, in case the last save of the next number was cut short. */
const SEQUENCE_MARGIN = 10;

const SavedSequence = z.object({ nextSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), disc: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
type SavedSequence = z.infer<typeof SavedSequence>;

/** A segment's audio-only rendition, where the caller has checked every segment has one. */
function audioOf(segment: LiveSegment): { file: string; bytes: number; path: string } {
  if (!segment.audio) throw new Error(`live segment ${segment.seq} has no audio rendition`);
  return segment.audio;
}

/** A transcoded rendition's name, e.g. 480p. */
const isRungName = (name: string): name is `${number}p` => /^\d{3,4}p$/.test(name);

function readSaved(path: string): SavedSequence | null {
  try {
    const saved = SavedSequence.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return saved.success ? saved.data : null;
  } catch {
    return null;
  }
}

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

  part(run: Run, part: PackagedPart, now: number): void {
    this.#room?.addPart(run, part, now);
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
  /** The window: segments listed in the playlist. */
  #segments: LiveSegment[] = [];
  /** Segments that left the window, still served until `deleteAt`, oldest first. */
  #leaving: { segment: LiveSegment; deleteAt: number }[] = [];
  #deleteTimer: NodeJS.Timeout | null = null;
  /** The segment numbered last (listed or not): runs, discontinuities and clocks continue from it. */
  #last: LiveSegment | null = null;
  /** Segments on disk per run folder; a folder goes when its last segment does. */
  readonly #runs = new Map<string, { dir: string; kept: number; open: boolean; init?: PackagedInit }>();
  #nextSeq = 0;
  #disc = 0;
  /** A restart of the server lies between the last segment served before it and the next one. */
  #restarted = false;
  readonly #targetFloor: number;
  /** EXT-X-TARGETDURATION of the current generation; null until its first segment. */
  #target: number | null = null;
  readonly #sequenceFile: string;
  /** File work, in order. */
  #io: Promise<void> = Promise.resolve();
  #lastStatusAt = 0;
  /** The segment being cut, listed by its parts. */
  #open: OpenSegment | null = null;
  /** Held blocking reloads. */
  readonly #waiters = new Set<Waiter>();
  /** Each playlist rendered for the current content (thousands of held requests share one). */
  readonly #rendered = new Map<RenditionName | 'multivariant', string>();
  /** The transcoded renditions' segments and parts. */
  readonly #rungs = new RungStore();
  /** The ladder of the current run, if renditions are configured. */
  #ladder: { runId: string; ladder: Ladder } | null = null;
  #resetTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(id: string, dir: string, options: LiveRoomOptions, logger: Logger) {
    super();
    this.id = id;
    this.#dir = dir;
    this.#options = options;
    this.#targetFloor = Math.ceil(options.segmentSeconds);
    this.#logger = logger.child({ room: id });
    this.#sequenceFile = `${dir}.sequence.json`;
    const saved = readSaved(this.#sequenceFile);
    if (saved) {
      this.#nextSeq = saved.nextSeq + SEQUENCE_MARGIN;
      this.#disc = saved.disc + 1;
      this.#restarted = true;
    }
    // Live segments do not outlive the process: a restart begins a fresh window.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  /** Queues file work after what is already queued; a failure is logged, the queue goes on. */
  #later(what: string, work: () => Promise<unknown>): void {
    this.#io = this.#io.then(work).then(
      () => undefined,
      (err: unknown) => this.#logger.warn({ err: messageOf(err) }, `live ${what} failed`),
    );
  }

  /** Resolves when the file work queued so far is done. */
  settled(): Promise<void> {
    return this.#io;
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
    this.#unlist(this.#segments.length, Date.now());
    // A segment left unfinished by a run that stalled goes too.
    this.#open = null;
    this.#target = null;
    this.#contentChanged();
    this.#changed();
  }

  /** A fresh folder for one ffmpeg run; ids sort by time and never repeat across restarts. */
  createRun(): Run {
    const runId = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    const dir = join(this.#dir, runId);
    // Once per run, not per segment: ffmpeg needs the folder before it starts.
    mkdirSync(dir, { recursive: true });
    this.#runs.set(runId, { dir, kept: 0, open: true });
    this.emit('run');
    return { runId, dir };
  }

  /** The run's ffmpeg exited; its folder goes once none of its segments is kept. */
  endRun(run: Run): void {
    const entry = this.#runs.get(run.runId);
    if (!entry) return;
    entry.open = false;
    if (this.#ladder?.runId === run.runId) {
      void this.#ladder.ladder.stop();
      this.#ladder = null;
    }
    this.#dropOpen(run.runId);
    this.#dropRunIfEmpty(run.runId);
  }

  /**
   * A segment its run never finished (ffmpeg killed as stalled) leaves the playlist; its number
   * is given back when nothing was numbered after it.
   */
  #dropOpen(runId: string): void {
    const open = this.#open;
    if (!open || open.runId !== runId) return;
    this.#open = null;
    if (this.#nextSeq === open.seq + 1) {
      this.#nextSeq = open.seq;
      if (this.#last) this.#disc = this.#last.disc;
    }
    this.#contentChanged();
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

  /** Numbers the next segment of `runId`: a new run follows a discontinuity. */
  #number(runId: string): { seq: number; disc: number; discontinuity: boolean } {
    const before = this.#last;
    const discontinuity = (before !== null && before.runId !== runId) || (before === null && this.#restarted);
    if (before && before.runId !== runId) this.#disc += 1;
    return { seq: this.#nextSeq++, disc: this.#disc, discontinuity };
  }

  #previousEnd(): { runId: string; end: number } | null {
    const last = this.#last;
    return last ? { runId: last.runId, end: last.start + last.duration * 1000 } : null;
  }

  /** A part from the packager: the first of a segment opens (numbers and times) it. */
  addPart(run: Run, packaged: PackagedPart, now: number): void {
    if (packaged.index === 0) {
      const previous = this.#previousEnd();
      // A new run begins when its first media reached the server, if the ingest knows (ffmpeg
      // delivers a run's start in a burst after probing its input: arrival would date it late).
      const start =
        run.startedAt !== undefined && previous?.runId !== run.runId
          ? Math.max(run.startedAt, previous?.end ?? run.startedAt)
          : (placeSegments(previous, run.runId, [packaged.duration], now)[0] ?? now);
      this.#open = { runId: run.runId, local: packaged.segment, ...this.#number(run.runId), start, parts: [], mediaStart: packaged.start };
      if (packaged.segment === 0) this.#startLadder(run, packaged);
    }
    const open = this.#open;
    if (!open || open.runId !== run.runId || open.local !== packaged.segment || open.parts.length !== packaged.index) return;
    const entry = this.#runs.get(run.runId);
    if (entry && packaged.init) entry.init = packaged.init;
    const file = `part-${open.seq}.${packaged.index}.m4s`;
    const part: LivePart = {
      file,
      uri: `${run.runId}/${file}`,
      duration: packaged.duration,
      independent: packaged.independent,
      data: packaged.data,
      audio: packaged.audio ?? null,
    };
    open.parts.push(part);
    if (this.#ladder?.runId === run.runId) this.#ladder.ladder.feed(packaged, now);
    this.emit('packaged', packaged);
    this.#contentChanged();
    this.emit('part', open.seq, part);
  }

  /** A run's first part: its ladder starts (the previous run's is stopped), when renditions are configured. */
  #startLadder(run: Run, first: PackagedPart): void {
    void this.#ladder?.ladder.stop();
    this.#ladder = null;
    const settings = this.#options.ladder;
    const height = first.init?.codecs.picture?.height;
    if (!settings || !height || this.#closed) return;
    const rungs = settings.heights.filter((h) => h <= height).map((h) => ({ height: h, kbps: rungKbps(h) }));
    if (rungs.length === 0) return;
    const runId = run.runId;
    const dir = run.dir;
    const program = (): ProgramSegment[] => [...this.#segments, ...(this.#open ? [this.#open] : [])];
    const ladder = new Ladder(
      { ffmpegPath: settings.ffmpegPath, rungs, encoder: settings.encoder, preset: settings.preset, runDir: dir, logger: this.#logger.child({ ladder: runId }) },
      {
        segmentAt: (mediaStart) => {
          const all: { runId: string; seq: number; mediaStart?: number | undefined }[] = program();
          return all.find((s) => s.runId === runId && s.mediaStart !== undefined && Math.abs(s.mediaStart - mediaStart) < ALIGN_SECONDS)?.seq ?? null;
        },
        init: (name, facts) => this.#rungs.init(name, facts),
        // A ladder so late that the program's segment has left the window adds nothing (it would never be listed or deleted).
        part: (name, seq, part) => {
          if (!program().some((s) => s.seq === seq)) return;
          this.#rungs.part(name, runId, seq, part);
          this.#contentChanged();
        },
        segment: (name, seq, segment) => {
          if (!program().some((s) => s.seq === seq)) return;
          this.#rungs.segment(name, runId, seq, segment);
          this.#contentChanged();
        },
        behind: () => this.problem('renditions-behind'),
      },
    );
    this.#ladder = { runId, ladder };
  }

  addSegments(run: Run, completed: CompletedSegment[], now: number): void {
    const entry = this.#runs.get(run.runId);
    completed.forEach((c) => {
      // The packager reports a segment right after its last part: it is the open one.
      const open = this.#open?.runId === run.runId ? this.#open : null;
      this.#open = null;
      const numbered = open ?? { ...this.#number(run.runId), start: placeSegments(this.#previousEnd(), run.runId, [c.duration], now)[0] ?? now, parts: null };
      const segment: LiveSegment = {
        runId: run.runId,
        file: c.file,
        duration: c.duration,
        start: numbered.start,
        seq: numbered.seq,
        disc: numbered.disc,
        discontinuity: numbered.discontinuity,
        bytes: c.bytes,
        path: join(run.dir, c.file),
        initPath: join(run.dir, INIT_FILE),
        parts: numbered.parts,
        mediaStart: open?.mediaStart,
        audio: c.audio ? { ...c.audio, path: join(run.dir, c.audio.file) } : null,
      };
      this.#fitTarget(segment, now);
      this.#last = segment;
      this.#segments.push(segment);
      if (entry) entry.kept += 1;
      this.emit('segment', segment);
    });
    this.#unlist(this.#segments.length - this.#options.windowSize, now);
    // Only the newest segments keep their parts.
    for (const segment of this.#segments.slice(0, -SEGMENTS_WITH_PARTS)) segment.parts = null;
    this.#saveSequence();
    this.#contentChanged();
    if (Date.now() - this.#lastStatusAt >= this.#options.statusIntervalMs) this.#changed();
  }

  /** The playlist changed: held reloads it now satisfies are answered. */
  #contentChanged(): void {
    this.#rendered.clear();
    for (const waiter of this.#waiters) {
      if (!this.#has(waiter.msn, waiter.part, waiter.rendition)) continue;
      this.#waiters.delete(waiter);
      waiter.done(true);
    }
  }

  /** The playlist holds segment `msn` complete, or (with `part`) that part of it, or anything later. */
  #has(msn: number, part: number | null, rendition: RenditionName): boolean {
    if (rendition !== 'source' && rendition !== 'audio') return this.#rungs.has(rendition, msn, part);
    if (this.#last && this.#last.seq >= msn) return true;
    const open = this.#open;
    if (!open) return false;
    return open.seq > msn || (open.seq === msn && part !== null && open.parts.length > part);
  }

  /**
   * A blocking playlist reload (RFC 8216bis §6.2.5.2): answered once the playlist holds segment
   * `msn` (or its part `part`); refused when that lies further ahead than two segments or three
   * parts; given up after `timeoutMs`.
   */
  blockFor(msn: number, part: number | null, timeoutMs: number, rendition: RenditionName = 'source'): BlockingAnswer {
    if (this.#has(msn, part, rendition)) return 'ready';
    const open = this.#open;
    const lastSeq = this.#last?.seq ?? this.#nextSeq - 1;
    if (msn > lastSeq + 2) return 'too-far';
    if (part !== null) {
      // Parts beyond the newest listed one (the rest of the open segment is not known yet).
      const edge = open?.seq ?? this.#nextSeq;
      const ahead = msn === edge ? part - (open?.parts.length ?? 0) + 1 : msn === edge + 1 ? part + 1 : Infinity;
      if (ahead > ADVANCE_PART_LIMIT) return 'too-far';
    }
    if (this.#waiters.size >= MAX_HELD_RELOADS) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        rendition,
        msn,
        part,
        done: (ready) => {
          clearTimeout(timer);
          resolve(ready);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** How long a blocking reload may be held: three target durations. */
  get blockingTimeoutMs(): number {
    return 3 * (this.#target ?? this.#targetFloor) * 1000;
  }

  /** A part still in memory (of the program or of its audio), by its run and file name. */
  part(runId: string, file: string): Buffer | null {
    const match = PART_FILE.exec(file);
    if (!match) return null;
    const seq = Number(match[2]);
    const rendition = match[1];
    if (rendition !== undefined && rendition !== 'audio') return this.#rungs.partData(rendition, runId, seq, file);
    const audio = rendition === 'audio';
    const open = this.#open;
    const parts = open?.seq === seq ? open.parts : this.#segments.find((s) => s.seq === seq)?.parts;
    const name = audio ? file.slice('audio-'.length) : file;
    const part = parts?.find((p) => p.file === name && p.uri.startsWith(`${runId}/`));
    return (audio ? part?.audio : part?.data) ?? null;
  }

  /**
   * Keeps EXT-X-TARGETDURATION fixed within a playlist: the first segment of a generation sets
   * it; a longer one (rarer keyframes) ends the generation — its window is unlisted — and the
   * operator is told.
   */
  #fitTarget(segment: LiveSegment, now: number): void {
    const needed = Math.max(this.#targetFloor, Math.round(segment.duration));
    if (this.#target !== null && needed <= this.#target) return;
    const restart = this.#target !== null;
    if (restart) {
      this.#logger.warn({ from: this.#target, to: needed }, 'segment longer than the target duration: live playlist restarted');
      this.#unlist(this.#segments.length, now);
    }
    this.#target = needed;
    if (restart) this.problem('playlist-restarted');
  }

  #saveSequence(): void {
    const text = JSON.stringify({ nextSeq: this.#nextSeq, disc: this.#disc } satisfies SavedSequence);
    const file = this.#sequenceFile;
    this.#later('sequence save', async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
  }

  /**
   * Takes the `count` oldest segments out of the window. Each stays on disk for its duration
   * plus the duration of the playlist it was last listed in (RFC 8216 §6.2.2): a player that
   * loaded that playlist just before may still ask for it.
   */
  #unlist(count: number, now: number): void {
    if (count <= 0) return;
    let listed = this.#segments.reduce((sum, s) => sum + s.duration, 0);
    for (const segment of this.#segments.splice(0, count)) {
      this.#leaving.push({ segment, deleteAt: now + Math.ceil((segment.duration + listed) * 1000) });
      listed -= segment.duration;
    }
    this.#scheduleDeletes();
  }

  #scheduleDeletes(): void {
    const next = this.#leaving[0];
    if (this.#deleteTimer || !next || this.#closed) return;
    this.#deleteTimer = setTimeout(() => {
      this.#deleteTimer = null;
      this.#deleteDue(Date.now());
      this.#scheduleDeletes();
    }, Math.max(0, next.deleteAt - Date.now()));
  }

  /** Deletes the segments whose time is up (and run folders left empty). */
  #deleteDue(now: number): void {
    for (let due = this.#leaving[0]; due && due.deleteAt <= now; due = this.#leaving[0]) {
      this.#leaving.shift();
      const { segment } = due;
      const rungFiles = this.#rungs.drop(segment.seq).flatMap(({ runId, file }) => {
        const dir = this.#runs.get(runId)?.dir;
        return dir ? [join(dir, file)] : [];
      });
      this.#later('segment delete', async () => {
        await rm(segment.path, { force: true });
        if (segment.audio) await rm(segment.audio.path, { force: true });
        for (const path of rungFiles) await rm(path, { force: true });
      });
      const entry = this.#runs.get(segment.runId);
      if (entry) entry.kept -= 1;
      this.#dropRunIfEmpty(segment.runId);
    }
  }

  #dropRunIfEmpty(runId: string): void {
    const entry = this.#runs.get(runId);
    if (!entry || entry.open || entry.kept > 0) return;
    this.#runs.delete(runId);
    this.#later('run folder delete', () => rm(entry.dir, { recursive: true, force: true }));
  }

  #window(): LiveSegment[] {
    return this.#segments;
  }

  /** A media playlist of the room (the program's by default); null while there is nothing to play. */
  playlist(rendition: RenditionName = 'source'): string | null {
    let text = this.#rendered.get(rendition);
    if (text === undefined) {
      text = this.#render(rendition);
      this.#rendered.set(rendition, text);
    }
    return text || null;
  }

  #render(rendition: RenditionName): string {
    if (rendition !== 'source' && rendition !== 'audio') return this.#renderRung(rendition);
    const window = this.#window();
    const open = this.#open;
    const first = window[0] ?? open;
    if (!first || (window.length === 0 && open?.parts.length === 0)) return '';
    const audio = rendition === 'audio';
    // The audio rendition is offered while every segment listed has its audio.
    if (audio && (window.some((s) => !s.audio) || open?.parts.some((p) => !p.audio))) return '';
    const prefix = audio ? 'audio-' : '';
    const partsOf = (parts: readonly LivePart[] | null | undefined) =>
      parts && audio ? parts.map((p) => ({ ...p, uri: `${p.uri.slice(0, -p.file.length)}${prefix}${p.file}` })) : parts;
    const hint = this.#lease ? this.#nextPartUri(open) : null;
    return renderPlaylist({
      kind: 'live',
      segments: audio ? window.map((s) => ({ ...s, file: audioOf(s).file, parts: partsOf(s.parts) })) : window,
      mediaSequence: first.seq,
      // A discontinuity tag on the first segment counts for it (RFC 8216 §6.2.2).
      discontinuitySequence: first.disc - (first.discontinuity ? 1 : 0),
      minTargetDuration: this.#target ?? this.#targetFloor,
      initFile: audio ? AUDIO_INIT_FILE : INIT_FILE,
      lowLatency: {
        partTarget: PART_TARGET,
        partHoldBack: PART_HOLD_BACK,
        open: open && { ...open, parts: partsOf(open.parts) },
        preloadHint: hint && `${hint.runId}/${prefix}${hint.file}`,
        renditionReports: this.#reports(rendition),
      },
    });
  }

  /** Where every rendition but `self` stands: its newest segment and part. */
  #reports(self: RenditionName): RenditionReport[] {
    const window = this.#window();
    const open = this.#open;
    const last = window.at(-1);
    const edge = open && open.parts.length > 0 ? { lastMsn: open.seq, lastPart: open.parts.length - 1 } : last ? { lastMsn: last.seq, lastPart: last.parts ? last.parts.length - 1 : null } : null;
    const reports: RenditionReport[] = [];
    if (edge) {
      reports.push({ uri: 'source.m3u8', ...edge });
      if (window.every((s) => s.audio) && open?.parts.every((p) => p.audio) !== false) reports.push({ uri: 'audio.m3u8', ...edge });
    }
    for (const name of this.#rungs.names()) {
      const listed = this.#rungs.listed(name, open ? [...window, open] : window);
      const newest = listed.open ?? listed.segments.at(-1);
      if (!listed.first || listed.segments.length === 0 || !newest) continue;
      const lastMsn = listed.first.seq + listed.segments.length - (listed.open ? 0 : 1);
      reports.push({ uri: `${name}.m3u8`, lastMsn, lastPart: newest.parts ? newest.parts.length - 1 : null });
    }
    return reports.filter((r) => r.uri !== `${self}.m3u8`);
  }

  /** A transcoded rendition's playlist: the program's window as far as the ladder has it. */
  #renderRung(name: `${number}p`): string {
    const window = this.#window();
    const listed = this.#rungs.listed(name, this.#open ? [...window, this.#open] : window);
    const first = listed.first;
    if (!first || listed.segments.length === 0) return '';
    return renderPlaylist({
      kind: 'live',
      segments: listed.segments,
      mediaSequence: first.seq,
      discontinuitySequence: first.disc - (first.discontinuity ? 1 : 0),
      minTargetDuration: this.#target ?? this.#targetFloor,
      initFile: `${name}-init.mp4`,
      lowLatency: {
        partTarget: PART_TARGET,
        partHoldBack: PART_HOLD_BACK,
        open: listed.open,
        preloadHint: this.#lease && listed.next ? `${listed.next.runId}/${listed.next.file}` : null,
        renditionReports: this.#reports(name),
      },
    });
  }

  /** The part to come: the next of the segment being cut, or the first of the next segment. */
  #nextPartUri(open: OpenSegment | null): { runId: string; file: string } | null {
    if (open) return { runId: open.runId, file: `part-${open.seq}.${open.parts.length}.m4s` };
    return this.#last ? { runId: this.#last.runId, file: `part-${this.#nextSeq}.0.m4s` } : null;
  }

  /**
   * The room's multivariant playlist: each rendition with what its segments in the window
   * measure (peak and average bit rate) and what the stream is (codecs, picture size, frame
   * rate); null while there is nothing to play.
   */
  multivariant(): string | null {
    let text = this.#rendered.get('multivariant');
    if (text === undefined) {
      text = this.#variants().length > 0 ? renderMultivariant(this.#variants()) : '';
      this.#rendered.set('multivariant', text);
    }
    return text || null;
  }

  #variants(): Variant[] {
    const window = this.#window();
    const last = window.at(-1);
    const codecs = last && this.#runs.get(last.runId)?.init?.codecs;
    if (!last || !codecs || this.playlist('source') === null) return [];
    const video = this.#streams?.info.video ?? null;
    const variants: Variant[] = [
      {
        uri: 'source.m3u8',
        ...bitRates(window.map((s) => ({ bytes: s.bytes, duration: s.duration }))),
        codecs: [codecs.video, codecs.audio].filter((c) => c !== null),
        resolution: codecs.picture ?? (video && { width: video.width, height: video.height }),
        frameRate: video?.fps ?? null,
      },
    ];
    for (const name of this.#rungs.names()) {
      const facts = this.#rungs.facts(name);
      const listed = this.#rungs.listed(name, window);
      if (!facts?.video || listed.segments.length === 0 || !isRungName(name) || this.playlist(name) === null) continue;
      variants.push({
        uri: `${name}.m3u8`,
        ...bitRates(listed.segments.map((s) => ({ bytes: this.#rungs.bytesOf(name, s), duration: s.duration }))),
        codecs: [facts.video, facts.audio].filter((c) => c !== null),
        resolution: facts.picture,
        frameRate: video?.fps ?? null,
      });
    }
    if (codecs.audio && this.playlist('audio') !== null) {
      variants.push({
        uri: 'audio.m3u8',
        ...bitRates(window.map((s) => ({ bytes: audioOf(s).bytes, duration: s.duration }))),
        codecs: [codecs.audio],
        resolution: null,
        frameRate: null,
      });
    }
    return variants;
  }

  /** Path of a file the live playlist may reference (kept segment or its run's init). */
  file(runId: string, file: string): string | null {
    if (!RUN_ID.test(runId)) return null;
    const rungSegment = RUNG_SEGMENT.exec(file);
    if (rungSegment) {
      const entry = this.#runs.get(runId);
      const [, rung = '', seq] = rungSegment;
      return entry && this.#rungs.segmentFile(rung, runId, Number(seq), file) ? join(entry.dir, file) : null;
    }
    if (file === INIT_FILE || file === AUDIO_INIT_FILE || RUNG_INIT.test(file)) {
      const entry = this.#runs.get(runId);
      return entry && (entry.kept > 0 || this.#open?.runId === runId) ? join(entry.dir, file) : null;
    }
    const found = (s: LiveSegment) => s.runId === runId && (s.file === file || s.audio?.file === file);
    const segment = this.#segments.find(found) ?? this.#leaving.find((l) => found(l.segment))?.segment;
    if (!segment) return null;
    return segment.file === file ? segment.path : audioOf(segment).path;
  }

  status(): RoomStatus {
    const window = this.#window();
    const seconds = window.reduce((sum, s) => sum + s.duration, 0);
    const bytes = window.reduce((sum, s) => sum + s.bytes, 0);
    const last = this.#last;
    const live = this.#lease !== null;
    const streams = live ? this.#streams : null;
    const info = streams?.info;
    const currentRun = live && last ? window.filter((s) => s.runId === last.runId) : [];
    return {
      room: this.id,
      state: live ? 'live' : 'offline',
      since: this.#since?.toISOString() ?? null,
      protocol: this.#lease?.protocol ?? null,
      video: info?.video ?? null,
      audio: info?.audio && streams ? { ...info.audio, transcoded: streams.transcoded } : null,
      keyframeInterval: live
        ? (this.#keyframeInterval ?? (currentRun.length > 0 ? Math.max(...currentRun.map((s) => s.duration)) : null))
        : null,
      bitrateKbps: live && seconds > 0 ? Math.round((bytes * 8) / seconds / 1000) : null,
      lastSegmentAt: last ? new Date(last.start + last.duration * 1000).toISOString() : null,
      liveBytes: [...this.#segments, ...this.#leaving.map((l) => l.segment)].reduce((sum, s) => sum + s.bytes + (s.audio?.bytes ?? 0), 0) + this.#rungs.bytes(),
      targetDuration: this.#target,
      problem: this.#problem,
    };
  }

  #changed(): void {
    // The preload hint follows the publisher.
    this.#rendered.clear();
    this.#lastStatusAt = Date.now();
    this.emit('status');
  }

  /** Releases the room and deletes its live files; resolves when they are gone. */
  close(): Promise<void> {
    if (this.#closed) return this.#io;
    this.#closed = true;
    const ladder = this.#ladder?.ladder;
    this.#ladder = null;
    if (this.#resetTimer) clearTimeout(this.#resetTimer);
    if (this.#deleteTimer) clearTimeout(this.#deleteTimer);
    this.#lease?.release();
    // The ladder's ffmpeg finishes (and writes its last segment) before the folder goes.
    this.#later('folder delete', async () => {
      await ladder?.stop();
      await rm(this.#dir, { recursive: true, force: true });
    });
    return this.#io;
  }
}
