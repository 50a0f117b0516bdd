// Recordings of sittings. While a sitting is live, every segment of its room is kept: hard-linked
// (copied when recordings are on another volume) into recordings/<sittingId>/<run>/ and listed
// in segments.jsonl (so a restart loses nothing). Keeping is asynchronous and in order, off the
// event loop; a segment is listed once its file is in place.
// When the sitting closes — once the segment in progress at that moment is in — the recording
// is finalized as a VOD playlist. A finished recording keeps only its totals in memory: its
// segment list is read from disk when asked for, and a few recently asked-for lists are kept.
// Retention, when configured, expires old recordings. The audio-only rendition is kept beside the
// program (audio-init.mp4, audio-seg-*.m4s; /recordings/<sittingId>/audio.m3u8): a light download
// of the whole sitting. The transcoded renditions are for live viewing only.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { appendFile, copyFile, link, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../logger.ts';
import { AUDIO_INIT_FILE, AUDIO_SEGMENT_FILE, INIT_FILE, SEGMENT_FILE } from './ffmpegArgs.ts';
import { RUN_ID, type LiveSegment } from './LiveRoom.ts';
import { renderPlaylist, type PlaylistSegment } from './playlist.ts';
import { errnoCode } from '../thrown.ts';
import { dropOldest } from '../dropOldest.ts';

const SEGMENTS = 'segments.jsonl';

/** A recorded segment: the program's file, and its audio alone when the program had audio. */
export interface RecordedSegment extends PlaylistSegment {
  audio?: string;
}
const PLAYLIST = 'index.m3u8';
const EXPIRED = 'expired.json';
/** A line of segments.jsonl, as #keep writes it. */
const SegmentLine = z.object({ runId: z.string(), file: z.string(), duration: z.number(), start: z.number(), audio: z.string().optional(), bytes: z.number() });
/** expired.json: what an expired recording was. */
const ExpiryNote = z.object({ at: z.string(), duration: z.number(), startedAt: z.string().nullable() });
/** Rendered playlists kept: a long sitting's runs to megabytes, and every viewer asks for it. */
const RENDERED_KEPT = 8;
/** Segment lists of finished recordings kept in memory, most recently asked for. */
const LISTS_KEPT = 4;

/** A hard link costs no space; across volumes (EXDEV) a copy is the only way. Kept already: fine. */
async function keepFile(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV') throw err;
    await copyFile(from, to);
  }
}

export type VideoRecordingState = 'recording' | 'closing' | 'complete' | 'expired';

export interface VideoRecording {
  sittingId: string;
  room: string;
  state: VideoRecordingState;
  /** The segment list while it grows; null once finished (see `VideoRecorder.segments`). */
  segments: RecordedSegment[] | null;
  /** Totals, kept whatever the list's whereabouts. */
  count: number;
  duration: number;
  /** ms since epoch of the first segment. */
  startedAt: number | null;
  bytes: number;
  /** ms since epoch; set once the sitting closed. */
  closedAt: number | null;
  /** Once expired: what it was. */
  expired: z.infer<typeof ExpiryNote> | null;
}

export type VideoRecorderEvents = {
  finalized: [sittingId: string];
};

export interface VideoRecorderOptions {
  /** After a sitting closes, how long to wait for the segment that was being written. */
  closeGraceMs: number;
}

export class VideoRecorder extends EventEmitter<VideoRecorderEvents> {
  readonly #dir: string;
  readonly #options: VideoRecorderOptions;
  readonly #logger: Logger;
  readonly #recordings = new Map<string, VideoRecording>();
  /** Run folders made per recording (its init file is in). */
  readonly #runs = new Map<string, Set<string>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** The latest rendering of recently asked-for playlists, newest last; valid while the count of segments and the state hold. */
  readonly #rendered = new Map<string, { segments: number; complete: boolean; text: string }>();
  /** Segment lists of finished recordings read back from disk, newest last. */
  readonly #lists = new Map<string, RecordedSegment[]>();
  /** File work, in order. */
  #io: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(dir: string, options: VideoRecorderOptions, logger: Logger) {
    super();
    this.#dir = dir;
    this.#options = options;
    this.#logger = logger;
    mkdirSync(dir, { recursive: true });
  }

  #folder(sittingId: string): string {
    return join(this.#dir, sittingId);
  }

  /** Queues file work after what is already queued; a failure is logged, the queue goes on. */
  #later(sittingId: string, work: () => Promise<unknown>): void {
    this.#io = this.#io.then(work).then(
      () => undefined,
      (err: unknown) => this.#logger.error({ err, sittingId }, 'recording could not be written'),
    );
  }

  /** Resolves when the file work queued so far is done. */
  settled(): Promise<void> {
    return this.#io;
  }

  /** Segment lists held in memory, over every recording (live ones and those read back). */
  get residentSegments(): number {
    let n = 0;
    for (const r of this.#recordings.values()) n += r.segments?.length ?? 0;
    for (const list of this.#lists.values()) n += list.length;
    return n;
  }

  /** The segments on disk and their bytes (start-up, and a finished recording asked for). */
  #read(sittingId: string): { segments: RecordedSegment[]; bytes: number } {
    const folder = this.#folder(sittingId);
    const segments: RecordedSegment[] = [];
    let bytes = 0;
    const text = existsSync(join(folder, SEGMENTS)) ? readFileSync(join(folder, SEGMENTS), 'utf8') : '';
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const s = SegmentLine.parse(JSON.parse(line));
        segments.push({ runId: s.runId, file: s.file, duration: s.duration, start: s.start, ...(s.audio ? { audio: s.audio } : {}) });
        bytes += s.bytes;
      } catch {
        // A line cut short by a crash: everything before it is intact.
      }
    }
    return { segments, bytes };
  }

  /** Reads what is on disk for a sitting (at start-up); finishes one left unfinished by a stop. */
  load(sittingId: string, room: string, closedAt: number | null): void {
    const folder = this.#folder(sittingId);
    const empty = { count: 0, duration: 0, startedAt: null, bytes: 0 };
    if (existsSync(join(folder, EXPIRED))) {
      const expired = ExpiryNote.parse(JSON.parse(readFileSync(join(folder, EXPIRED), 'utf8')));
      this.#recordings.set(sittingId, { sittingId, room, state: 'expired', segments: null, ...empty, closedAt, expired });
      return;
    }
    if (!existsSync(join(folder, SEGMENTS))) {
      if (closedAt === null) this.begin(sittingId, room);
      return;
    }
    const { segments, bytes } = this.#read(sittingId);
    const runs = new Set(segments.map((s) => s.runId));
    let initBytes = 0;
    for (const run of runs) {
      const init = join(folder, run, INIT_FILE);
      if (existsSync(init)) initBytes += statSync(init).size;
    }
    this.#runs.set(sittingId, runs);
    const recording: VideoRecording = {
      sittingId,
      room,
      state: 'recording',
      segments,
      count: segments.length,
      duration: segments.reduce((sum, s) => sum + s.duration, 0),
      startedAt: segments[0]?.start ?? null,
      bytes: bytes + initBytes,
      closedAt,
      expired: null,
    };
    this.#recordings.set(sittingId, recording);
    if (closedAt === null) return;
    if (!existsSync(join(folder, PLAYLIST))) return this.#finalize(recording);
    recording.state = 'complete';
    recording.segments = null;
  }

  /** The sitting went live: from now on its room's segments are kept. */
  begin(sittingId: string, room: string): void {
    if (this.#recordings.has(sittingId)) return;
    this.#recordings.set(sittingId, {
      sittingId,
      room,
      state: 'recording',
      segments: [],
      count: 0,
      duration: 0,
      startedAt: null,
      bytes: 0,
      closedAt: null,
      expired: null,
    });
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
      if (recording.state === 'recording') this.#keep(recording, segment);
      else if (recording.state === 'closing' && recording.closedAt !== null) {
        if (segment.start < recording.closedAt) this.#keep(recording, segment);
        if (segment.start + segment.duration * 1000 >= recording.closedAt) this.#finalize(recording);
      }
    }
  }

  /** The room's ingest ended: nothing more will come for a closing recording. */
  onRoomOffline(room: string): void {
    for (const recording of this.#recordings.values()) {
      if (recording.room === room && recording.state === 'closing') this.#finalize(recording);
    }
  }

  #keep(recording: VideoRecording, segment: LiveSegment): void {
    const { sittingId } = recording;
    const folder = this.#folder(sittingId);
    const runs = this.#runs.get(sittingId) ?? new Set<string>();
    this.#runs.set(sittingId, runs);
    const audio = segment.audio ?? null;
    const entry: RecordedSegment = { runId: segment.runId, file: segment.file, duration: segment.duration, start: segment.start, ...(audio ? { audio: audio.file } : {}) };
    this.#later(sittingId, async () => {
      const runDir = join(folder, segment.runId);
      if (!runs.has(segment.runId)) {
        await mkdir(runDir, { recursive: true });
        await keepFile(segment.initPath, join(runDir, INIT_FILE));
        recording.bytes += (await stat(segment.initPath)).size;
        if (audio) {
          const audioInit = join(dirname(segment.initPath), AUDIO_INIT_FILE);
          await keepFile(audioInit, join(runDir, AUDIO_INIT_FILE));
          recording.bytes += (await stat(audioInit)).size;
        }
        runs.add(segment.runId);
      }
      await keepFile(segment.path, join(runDir, segment.file));
      if (audio) await keepFile(audio.path, join(runDir, audio.file));
      const bytes = segment.bytes + (audio?.bytes ?? 0);
      await appendFile(join(folder, SEGMENTS), JSON.stringify({ ...entry, bytes }) + '\n');
      recording.segments?.push(entry);
      recording.count += 1;
      recording.duration += entry.duration;
      recording.startedAt ??= entry.start;
      recording.bytes += bytes;
    });
  }

  /** Decided at once (nothing more is kept); written once the segments queued before are in. */
  #finalize(recording: VideoRecording): void {
    const timer = this.#timers.get(recording.sittingId);
    if (timer) clearTimeout(timer);
    this.#timers.delete(recording.sittingId);
    if (recording.state === 'complete' || recording.state === 'expired') return;
    recording.state = 'complete';
    const folder = this.#folder(recording.sittingId);
    this.#later(recording.sittingId, async () => {
      const segments = recording.segments ?? [];
      if (segments.length > 0) {
        const text = renderPlaylist({ kind: 'vod', segments, mediaSequence: 0, discontinuitySequence: 0, minTargetDuration: 1 });
        await writeFile(join(folder, `${PLAYLIST}.tmp`), text);
        await rename(join(folder, `${PLAYLIST}.tmp`), join(folder, PLAYLIST));
        this.#logger.info({ sittingId: recording.sittingId, segments: segments.length, bytes: recording.bytes }, 'recording complete');
      }
      // Finished: the list is read back from disk when someone asks for it.
      recording.segments = null;
      this.emit('finalized', recording.sittingId);
    });
  }

  get(sittingId: string): VideoRecording | undefined {
    return this.#recordings.get(sittingId);
  }

  /** A recording's segments: in memory while it grows, read back (and kept a while) once finished. */
  segments(sittingId: string): RecordedSegment[] {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.state === 'expired') return [];
    if (recording.segments) return recording.segments;
    let list = this.#lists.get(sittingId);
    this.#lists.delete(sittingId);
    list ??= this.#read(sittingId).segments;
    this.#lists.set(sittingId, list);
    if (this.#lists.size > LISTS_KEPT) dropOldest(this.#lists);
    return list;
  }

  /**
   * EVENT playlist while recording, VOD once complete — of the program, or of its audio alone
   * (the segments that had audio); undefined when there is nothing to play.
   */
  playlist(sittingId: string, rendition: 'source' | 'audio' = 'source'): { text: string; complete: boolean } | undefined {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.count === 0 || recording.state === 'expired') return undefined;
    const complete = recording.state === 'complete';
    const key = rendition === 'audio' ? `${sittingId}/audio` : sittingId;
    let rendered = this.#rendered.get(key);
    this.#rendered.delete(key);
    if (rendered?.segments !== recording.count || rendered.complete !== complete) {
      const all = this.segments(sittingId);
      const segments = rendition === 'audio' ? all.flatMap((s) => (s.audio ? [{ ...s, file: s.audio }] : [])) : all;
      if (segments.length === 0) return undefined;
      const text = renderPlaylist({
        kind: complete ? 'vod' : 'event',
        segments,
        mediaSequence: 0,
        discontinuitySequence: 0,
        minTargetDuration: 1,
        initFile: rendition === 'audio' ? AUDIO_INIT_FILE : INIT_FILE,
      });
      rendered = { segments: recording.count, complete, text };
    }
    this.#rendered.set(key, rendered);
    if (this.#rendered.size > RENDERED_KEPT) dropOldest(this.#rendered);
    return { text: rendered.text, complete };
  }

  /** Path of a recorded file, or null when the recording holds no such file. */
  file(sittingId: string, runId: string, file: string): string | null {
    const recording = this.#recordings.get(sittingId);
    if (!recording || recording.state === 'expired' || !RUN_ID.test(runId)) return null;
    if (file !== INIT_FILE && file !== AUDIO_INIT_FILE && !SEGMENT_FILE.test(file) && !AUDIO_SEGMENT_FILE.test(file)) return null;
    const path = join(this.#folder(sittingId), runId, file);
    return existsSync(path) ? path : null;
  }

  /** Disk use of the recordings made in a room. */
  usage(room: string): { bytes: number; count: number } {
    let bytes = 0;
    let count = 0;
    for (const r of this.#recordings.values()) {
      if (r.room !== room || r.state === 'expired' || r.count === 0) continue;
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
      const startedAt = recording.startedAt === null ? null : new Date(recording.startedAt).toISOString();
      const note = { at: now.toISOString(), duration: recording.duration, startedAt };
      for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
      writeFileSync(join(folder, EXPIRED), JSON.stringify(note));
      Object.assign(recording, { state: 'expired', segments: null, count: 0, bytes: 0, expired: note } satisfies Partial<VideoRecording>);
      this.#rendered.delete(recording.sittingId);
      this.#rendered.delete(`${recording.sittingId}/audio`);
      this.#lists.delete(recording.sittingId);
      this.#logger.info({ sittingId: recording.sittingId }, 'recording expired (retention)');
      expired.push(recording.sittingId);
    }
    return expired;
  }

  /** Stops the timers; resolves when the queued file work is done. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const timer of this.#timers.values()) clearTimeout(timer);
      this.#timers.clear();
    }
    return this.#io;
  }
}
