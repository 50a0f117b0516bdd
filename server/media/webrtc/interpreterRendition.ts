// The sign-language interpreter's picture as residents get it: a small HLS rendition of its own
// (480x270, ~400 kb/s, H.264 with a keyframe every 2 s, program-date-time on every segment), not
// composited into the program. Compositing would decode and re-encode the full-size program for
// the whole sitting (one libx264 at 1080p per room: most of a core, see docs/webrtc.md) and bake
// the interpreter into everyone's picture; a rendition costs one small encode while an
// interpreter is on air and lets each resident hide or move it. Its program-date-time comes from
// the same wall clock as the program's, so the players keep the two roughly in step.
//
// Each time an interpreter goes on air is a run: ffmpeg writes all of the run's segments and a
// playlist listing them into interpreter/<room>/<run>/ (run = start time in ms). Residents' live
// playlist is the latest run's last few segments; a sitting's recording is every run within
// the sitting's time, one after another with a discontinuity between them. Runs stay on disk
// with the room's recordings.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Segments in the residents' live playlist. */
const LIVE_SEGMENTS = 6;
export const SEGMENT_SECONDS = 2;
export const RUN_PLAYLIST = 'index.m3u8';
export const RUN_NAME = /^\d{13}$/;
export const SEGMENT_NAME = /^seg-\d{1,9}\.ts$/;

/** ffmpeg's arguments: the interpreter's RTP (through `sdpFile`) → the run's HLS in `dir`. */
export function interpreterRenditionArgs(sdpFile: string, dir: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    '-protocol_whitelist', 'file,udp,rtp',
    '-analyzeduration', '3000000',
    '-i', sdpFile,
    '-map', '0:v:0', '-an',
    // Fit 480x270 whatever the camera's shape (a phone upright too), padded to the frame.
    '-vf', 'scale=480:270:force_original_aspect_ratio=decrease,pad=480:270:(ow-iw)/2:(oh-ih)/2,fps=25,format=yuv420p',
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main',
    '-b:v', '400k', '-maxrate', '500k', '-bufsize', '1000k',
    '-g', '50', '-keyint_min', '50', '-sc_threshold', '0',
    '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_list_size', '0',
    '-hls_flags', 'program_date_time+independent_segments+temp_file',
    '-hls_segment_filename', join(dir, 'seg-%d.ts'),
    join(dir, RUN_PLAYLIST),
  ]; // prettier-ignore
}

export interface RunSegment {
  /** ms since epoch (EXT-X-PROGRAM-DATE-TIME). */
  at: number;
  duration: number;
  file: string;
}

/** A run's segments from the playlist ffmpeg writes. */
export function parseRun(text: string): { segments: RunSegment[]; ended: boolean } {
  const segments: RunSegment[] = [];
  let at: number | null = null;
  let duration: number | null = null;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) at = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line && !line.startsWith('#') && SEGMENT_NAME.test(line) && duration !== null) {
      const previous = segments.at(-1);
      segments.push({ at: at ?? (previous ? previous.at + previous.duration * 1000 : 0), duration, file: line });
      at = null;
      duration = null;
    }
  }
  return { segments, ended: /#EXT-X-ENDLIST/.test(text) };
}

function header(targetDuration: number, mediaSequence: number, extra: string[] = []): string[] {
  return ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${Math.ceil(targetDuration)}`, `#EXT-X-MEDIA-SEQUENCE:${mediaSequence}`, ...extra];
}

const segmentLines = (s: RunSegment, uri: string): string[] => [
  `#EXT-X-PROGRAM-DATE-TIME:${new Date(s.at).toISOString()}`,
  `#EXTINF:${s.duration.toFixed(3)},`,
  uri,
];

/** The room's runs on disk, as the rendition's files. */
export class InterpreterRuns {
  readonly #dir: string;
  /** Parsed playlists by path, kept while the file is unchanged (a live one is asked for every 2 s). */
  readonly #parsed = new Map<string, { mtimeMs: number; run: ReturnType<typeof parseRun> }>();
  /**
   * Per room (rooms that exist: the routes check), its runs in order of start as last listed: a
   * run opened or deleted here lists the room again.
   */
  readonly #rooms = new Map<string, string[]>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A new run's folder. */
  open(room: string, now: Date): { run: string; dir: string } {
    const run = String(now.getTime());
    const dir = join(this.#dir, room, run);
    mkdirSync(dir, { recursive: true });
    this.#rooms.delete(room);
    return { run, dir };
  }

  /** A segment's file, or null for a name that is not one. */
  file(room: string, run: string, name: string): string | null {
    if (!RUN_NAME.test(run) || !SEGMENT_NAME.test(name)) return null;
    const path = join(this.#dir, room, run, name);
    return existsSync(path) ? path : null;
  }

  #runs(room: string): string[] {
    let listed = this.#rooms.get(room);
    if (!listed) {
      const dir = join(this.#dir, room);
      listed = existsSync(dir) ? readdirSync(dir).filter((r) => RUN_NAME.test(r)).sort() : [];
      this.#rooms.set(room, listed);
    }
    return listed;
  }

  /** Where a run's playlist ends now (ms): its last segment's end, or its start when it has none. */
  #reachedBy(room: string, run: string): number {
    const last = this.#read(room, run).segments.at(-1);
    return last ? last.at + last.duration * 1000 : Number(run);
  }

  #read(room: string, run: string): ReturnType<typeof parseRun> {
    const path = join(this.#dir, room, run, RUN_PLAYLIST);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return { segments: [], ended: false };
    }
    const kept = this.#parsed.get(path);
    if (kept && kept.mtimeMs === mtimeMs) return kept.run;
    const parsed = parseRun(readFileSync(path, 'utf8'));
    this.#parsed.set(path, { mtimeMs, run: parsed });
    if (this.#parsed.size > 32) this.#parsed.delete(this.#parsed.keys().next().value ?? path);
    return parsed;
  }

  /** Deletes the runs that ended before `cutoff` (ms), with the recordings' retention. Returns how many went. */
  expireBefore(cutoff: number): number {
    let removed = 0;
    const rooms = existsSync(this.#dir) ? readdirSync(this.#dir) : [];
    for (const room of rooms) {
      const runs = this.#runs(room);
      for (const [i, run] of runs.entries()) {
        // A run ended before the next one started (one interpreter per room at a time): only a
        // run whose successor started after the cut-off, or the latest, is read.
        const next = runs[i + 1];
        const end = next !== undefined && Number(next) < cutoff ? Number(next) : this.#reachedBy(room, run);
        if (end >= cutoff) continue;
        rmSync(join(this.#dir, room, run), { recursive: true, force: true });
        this.#parsed.delete(join(this.#dir, room, run, RUN_PLAYLIST));
        removed += 1;
      }
      this.#rooms.delete(room);
    }
    return removed;
  }

  /** The residents' live playlist of the run on air: its last few segments. Null before the first segment. */
  livePlaylist(room: string, run: string): string | null {
    const { segments } = this.#read(room, run);
    if (segments.length === 0) return null;
    const first = Math.max(0, segments.length - LIVE_SEGMENTS);
    const shown = segments.slice(first);
    const lines = header(Math.max(SEGMENT_SECONDS, ...shown.map((s) => s.duration)), first, ['#EXT-X-INDEPENDENT-SEGMENTS']);
    for (const s of shown) lines.push(...segmentLines(s, `${run}/${s.file}`));
    return lines.join('\n') + '\n';
  }

  /**
   * Every segment of the room's runs between `from` and `to` (ms), as one VOD playlist with a
   * discontinuity between runs: the interpreter's picture in a sitting's recording. Null when no
   * interpreter was on air then.
   */
  recordingPlaylist(room: string, from: number, to: number): string | null {
    const lines: string[] = [];
    let target = SEGMENT_SECONDS;
    let count = 0;
    const runs = this.#runs(room);
    for (const [i, run] of runs.entries()) {
      // Runs are named by their start and follow one another: none after this one starts within
      // the time asked for, and one whose successor started before it ended before it too.
      if (Number(run) >= to) break;
      const next = runs[i + 1];
      if (next !== undefined && Number(next) <= from) continue;
      const inside = this.#read(room, run).segments.filter((s) => s.at + s.duration * 1000 > from && s.at < to);
      if (inside.length === 0) continue;
      if (count > 0) lines.push('#EXT-X-DISCONTINUITY');
      for (const s of inside) {
        lines.push(...segmentLines(s, `${run}/${s.file}`));
        target = Math.max(target, s.duration);
      }
      count += inside.length;
    }
    if (count === 0) return null;
    return [...header(target, 0, ['#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS']), ...lines, '#EXT-X-ENDLIST'].join('\n') + '\n';
  }
}
