// HLS media playlists: reading the segment list ffmpeg writes for one run, and writing the
// playlists radacast serves — the live sliding window (one per room, continuing across encoder
// reconnects with EXT-X-DISCONTINUITY), and a recording's EVENT or VOD playlist. Every segment
// carries EXT-X-PROGRAM-DATE-TIME; a new run brings its own EXT-X-MAP.

export interface RunSegment {
  /** File name inside the run folder, e.g. seg-00003.m4s. */
  file: string;
  /** Seconds. */
  duration: number;
}

/** The segments of ffmpeg's playlist, in order. */
export function parseRunPlaylist(text: string): RunSegment[] {
  const segments: RunSegment[] = [];
  let duration: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#') && duration !== null) {
      if (Number.isFinite(duration)) segments.push({ file: line.slice(line.lastIndexOf('/') + 1), duration });
      duration = null;
    }
  }
  return segments;
}

export interface PlaylistSegment {
  runId: string;
  file: string;
  duration: number;
  /** ms since epoch */
  start: number;
  /** Marks a break before the first segment listed (e.g. a server restart); between runs it is implied. */
  discontinuity?: boolean;
}

export interface PlaylistOptions {
  kind: 'live' | 'event' | 'vod';
  segments: readonly PlaylistSegment[];
  /** Media sequence number of the first segment listed. */
  mediaSequence: number;
  /** Discontinuities before the first segment listed (they slid out of a live window). */
  discontinuitySequence: number;
  /** A floor for EXT-X-TARGETDURATION (a live playlist's must never shrink). */
  minTargetDuration: number;
  /** EVENT playlist that will not grow any more. */
  ended?: boolean;
}

/** The target duration fitting these segments: each EXTINF, rounded, must not exceed it. */
export function targetDuration(segments: readonly { duration: number }[], floor: number): number {
  return segments.reduce((max, s) => Math.max(max, Math.round(s.duration)), Math.max(1, floor));
}

export function renderPlaylist(options: PlaylistOptions): string {
  const { kind, segments } = options;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${targetDuration(segments, options.minTargetDuration)}`,
    `#EXT-X-MEDIA-SEQUENCE:${options.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${options.discontinuitySequence}`,
  ];
  if (kind === 'vod') lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  if (kind === 'event') lines.push('#EXT-X-PLAYLIST-TYPE:EVENT');
  lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  let run: string | null = null;
  for (const s of segments) {
    if (s.runId !== run) {
      if (run !== null || s.discontinuity === true) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-MAP:URI="${s.runId}/init.mp4"`);
      run = s.runId;
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.start).toISOString()}`);
    lines.push(`#EXTINF:${s.duration.toFixed(6)},`);
    lines.push(`${s.runId}/${s.file}`);
  }
  if (kind === 'vod' || options.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
