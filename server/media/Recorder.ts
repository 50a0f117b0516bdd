// Recordings of sittings. While a sitting is live, every segment of its room is kept: hard-linked
// (copied when recordings are on another volume) into recordings/<sittingId>/<run>/ and listed
// in segments.jsonl (so a restart loses nothing).
// When the sitting closes — once the segment in progress at that moment is in — the recording
// is finalized as a VOD playlist. Retention, when configured, expires old recordings.
import { EventEmitter } from 'node:events';
import { appendFileSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { INIT_FILE, SEGMENT_FILE } from './ffmpegArgs.ts';
import { RUN_ID, type LiveSegment } from './LiveRoom.ts';
import { renderPlaylist, type PlaylistSegment } from './playlist.ts';

const SEGMENTS = 'segments.jsonl';
const PLAYLIST = 'index.m3u8';
const EXPIRED = 'expired.json';
/** Rendered playlists kept: a long sitting's runs to megabytes, and every viewer asks for it. */
const RENDERED_KEPT = 8;

/** A hard link costs no space; across volumes (EXDEV) a copy is the only way. */
function keepFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
  }
}

export type RecordingState = 'recording' | 'closing' | 'complete' | 'expired';

export interface Recording {
  sittingId: string;
  room: string;
  state: RecordingState;
  segments: PlaylistSegment[];
  bytes: number;
  /** ms since epoch; set once the sitting closed. */
  closedAt: number | null;
  /** Once expired: what it was. */
  expired: { at: string; duration: number; startedAt: string | null } | null;
}

export type RecorderEvents = {
  finalized: [sittingId: string];
};

export interface RecorderOptions {
  /** After a sitting closes, how long to wait for the segment that was being written. */
  closeGraceMs: number;
}

export class Recorder extends EventEmitter<RecorderEvents> {
  readonly #dir: string;
  readonly #options: RecorderOptions;
  readonly #logger: Logger;
  readonly #recordings = new Map<string, Recording>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** The latest rendering of recently asked-for playlists, newest last; valid while the count of segments and the state hold. */
  readonly #rendered = new Map<string, { segments: number; complete: boolean; text: string }>();
  #closed = false;

  constructor(dir: string, options: RecorderOptions, logger: Logger) {
    super();
    this.#dir = dir;
    this.#options = options;
    this.#logger = logger;
    mkdirSync(dir, { recursive: true });
  }

  #folder(sittingId: string): string {
    return join(this.#dir, sittingId);
  }

  /** Reads what is on disk for a sitting (at start-up); finishes one left unfinished by a stop. */
  load(sittingId: string, room: string, closedAt: number | null): void {
    const folder = this.#folder(sittingId);
    if (existsSync(join(folder, EXPIRED))) {
      const expired = JSON.parse(readFileSync(join(folder, EXPIRED), 'utf8')) as Recording['expired'];
      this.#recordings.set(sittingId, { sittingId, room, state: 'expired', segments: [], bytes: 0, closedAt, expired });
      return;
    }
    if (!existsSync(join(folder, SEGMENTS))) {
      if (closedAt === null) this.begin(sittingId, room);
      return;
    }
    const segments: PlaylistSegment[] = [];
    let bytes = 0;
    for (const line of readFileSync(join(folder, SEGMENTS), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const s = JSON.parse(line) as PlaylistSegment & { bytes: number };
        segments.push({ runId: s.runId, file: s.file, duration: s.duration, start: s.start });
        bytes += s.bytes;
      } catch {
        // A line cut short by a crash: everything before it is intact.
      }
    }
    for (const run of new Set(segments.map((s) => s.runId))) {
      const init = join(folder, run, INIT_FILE);
      if (existsSync(init)) bytes += statSync(init).size;
    }
    const recording: Recording = { sittingId, room, state: 'recording', segments, bytes, closedAt, expired: null };
    this.#recordings.set(sittingId, recording);
    if (closedAt !== null) {
      if (existsSync(join(folder, PLAYLIST))) recording.state = 'complete';
      else this.#finalize(recording);
    }
  }

  /** The sitting went live: from now on its room's segments are kept. */
  begin(sittingId: string, room: string): void {
    if (this.#recordings.has(sittingId)) return;
    this.#recordings.set(sittingId, { sittingId, room, state: 'recording', segments: [], bytes: 0, closedAt: null, expired: null });
  }

  /** The sitting closed at `closedAt`; `roomLive` tells whether a segment may still be coming. */
  end(sittingId: string, closedAt: number, roomLive: boolean): void {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.state !== 'recording') return;
    recording.state = 'closing';
    recording.closedAt = closedAt;
    if (!roomLive) return this.#finalize(recording);
    this.#timers.set(sittingId, setTimeout(() => this.#finalize(recording), this.#options.closeGraceMs));
  }

  onSegment(room: string, segment: LiveSegment): void {
    for (const recording of this.#recordings.values()) {
      if (recording.room !== room) continue;
      try {
        if (recording.state === 'recording') this.#keep(recording, segment);
        else if (recording.state === 'closing') {
          if (segment.start < recording.closedAt!) this.#keep(recording, segment);
          if (segment.start + segment.duration * 1000 >= recording.closedAt!) this.#finalize(recording);
        }
      } catch (err) {
        this.#logger.error({ err, sittingId: recording.sittingId, file: segment.file }, 'segment could not be recorded');
      }
    }
  }

  /** The room's ingest ended: nothing more will come for a closing recording. */
  onRoomOffline(room: string): void {
    for (const recording of this.#recordings.values()) {
      if (recording.room === room && recording.state === 'closing') this.#finalize(recording);
    }
  }

  #keep(recording: Recording, segment: LiveSegment): void {
    const folder = this.#folder(recording.sittingId);
    const runDir = join(folder, segment.runId);
    if (!existsSync(runDir)) {
      mkdirSync(runDir, { recursive: true });
      keepFile(segment.initPath, join(runDir, INIT_FILE));
      recording.bytes += statSync(segment.initPath).size;
    }
    keepFile(segment.path, join(runDir, segment.file));
    const entry = { runId: segment.runId, file: segment.file, duration: segment.duration, start: segment.start };
    appendFileSync(join(folder, SEGMENTS), JSON.stringify({ ...entry, bytes: segment.bytes }) + '\n');
    recording.segments.push(entry);
    recording.bytes += segment.bytes;
  }

  #finalize(recording: Recording): void {
    const timer = this.#timers.get(recording.sittingId);
    if (timer) clearTimeout(timer);
    this.#timers.delete(recording.sittingId);
    if (recording.state === 'complete' || recording.state === 'expired') return;
    recording.state = 'complete';
    if (recording.segments.length > 0) {
      const folder = this.#folder(recording.sittingId);
      const text = renderPlaylist({ kind: 'vod', segments: recording.segments, mediaSequence: 0, discontinuitySequence: 0, minTargetDuration: 1 });
      writeFileSync(join(folder, `${PLAYLIST}.tmp`), text);
      renameSync(join(folder, `${PLAYLIST}.tmp`), join(folder, PLAYLIST));
      this.#logger.info({ sittingId: recording.sittingId, segments: recording.segments.length, bytes: recording.bytes }, 'recording complete');
    }
    this.emit('finalized', recording.sittingId);
  }

  get(sittingId: string): Recording | undefined {
    return this.#recordings.get(sittingId);
  }

  /** EVENT playlist while recording, VOD once complete; undefined when there is nothing to play. */
  playlist(sittingId: string): { text: string; complete: boolean } | undefined {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.segments.length === 0 || recording.state === 'expired') return undefined;
    const complete = recording.state === 'complete';
    let rendered = this.#rendered.get(sittingId);
    this.#rendered.delete(sittingId);
    if (rendered?.segments !== recording.segments.length || rendered.complete !== complete) {
      const text = renderPlaylist({
        kind: complete ? 'vod' : 'event',
        segments: recording.segments,
        mediaSequence: 0,
        discontinuitySequence: 0,
        minTargetDuration: 1,
      });
      rendered = { segments: recording.segments.length, complete, text };
    }
    this.#rendered.set(sittingId, rendered);
    if (this.#rendered.size > RENDERED_KEPT) this.#rendered.delete(this.#rendered.keys().next().value!);
    return { text: rendered.text, complete };
  }

  /** Path of a recorded file, or null when the recording holds no such file. */
  file(sittingId: string, runId: string, file: string): string | null {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.state === 'expired' || !RUN_ID.test(runId)) return null;
    if (file !== INIT_FILE && !SEGMENT_FILE.test(file)) return null;
    const path = join(this.#folder(sittingId), runId, file);
    return existsSync(path) ? path : null;
  }

  /** Disk use of the recordings made in a room. */
  usage(room: string): { bytes: number; count: number } {
    let bytes = 0;
    let count = 0;
    for (const r of this.#recordings.values()) {
      if (r.room !== room || r.state === 'expired' || r.segments.length === 0) continue;
      bytes += r.bytes;
      count += 1;
    }
    return { bytes, count };
  }

  /** Deletes the media of complete recordings closed before `cutoff` (ms); keeps a note of them. */
  expireBefore(cutoff: number, now: Date): string[] {
    const expired: string[] = [];
    for (const recording of this.#recordings.values()) {
      if (recording.state !== 'complete' || recording.closedAt === null || recording.closedAt >= cutoff) continue;
      const folder = this.#folder(recording.sittingId);
      const duration = recording.segments.reduce((sum, s) => sum + s.duration, 0);
      const first = recording.segments[0];
      const note = { at: now.toISOString(), duration, startedAt: first ? new Date(first.start).toISOString() : null };
      for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
      writeFileSync(join(folder, EXPIRED), JSON.stringify(note));
      Object.assign(recording, { state: 'expired', segments: [], bytes: 0, expired: note } satisfies Partial<Recording>);
      this.#rendered.delete(recording.sittingId);
      this.#logger.info({ sittingId: recording.sittingId }, 'recording expired (retention)');
      expired.push(recording.sittingId);
    }
    return expired;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
