// HLS media playlists radacast serves — the live sliding window (one per room, continuing
// across encoder reconnects with EXT-X-DISCONTINUITY, with the Low-Latency HLS parts of its
// newest segments, the segment being cut and a preload hint), and a recording's EVENT or VOD
// playlist. Every segment carries EXT-X-PROGRAM-DATE-TIME; a new run brings its own EXT-X-MAP.

export interface PlaylistSegment {
  runId: string;
  file: string;
  duration: number;
  /** ms since epoch */
  start: number;
  /** Marks a break before the first segment listed (e.g. a server restart); between runs it is implied. */
  discontinuity?: boolean;
  /** Its LL-HLS parts, when they are still listed. */
  parts?: readonly PlaylistPart[] | null;
}

export interface PlaylistPart {
  /** Relative to the playlist, e.g. <run>/part-41.2.m4s. */
  uri: string;
  duration: number;
  /** Begins with a keyframe. */
  independent: boolean;
}

/** Low-Latency HLS (RFC 8216bis §4.4.4.9, §4.4.5.2, §6.2.5.2) on a live playlist. */
export interface LowLatency {
  partTarget: number;
  partHoldBack: number;
  /** The segment being cut: only its parts so far (no EXTINF yet). */
  open: Omit<PlaylistSegment, 'file' | 'duration'> | null;
  /** URI of the next part, not yet there. */
  preloadHint: string | null;
  /** Where the room's other renditions stand (RFC 8216bis §4.4.5.4), so a player switches without a blind reload. */
  renditionReports?: readonly RenditionReport[];
}

export interface RenditionReport {
  /** The other media playlist, relative to this one. */
  uri: string;
  lastMsn: number;
  /** Index of its last part in segment `lastMsn`; null when that segment lists no parts. */
  lastPart: number | null;
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
  /** Name of each run's init section (`init.mp4`; the audio rendition's is `audio-init.mp4`). */
  initFile?: string;
  lowLatency?: LowLatency;
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
  const ll = options.lowLatency;
  if (ll) {
    lines.push(`#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${ll.partHoldBack.toFixed(3)}`);
    lines.push(`#EXT-X-PART-INF:PART-TARGET=${ll.partTarget.toFixed(3)}`);
  }
  let run: string | null = null;
  /** The tags before a segment's (or the open segment's) parts and URI. */
  const head = (s: Omit<PlaylistSegment, 'file' | 'duration'>) => {
    if (s.runId !== run) {
      if (run !== null || s.discontinuity === true) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-MAP:URI="${s.runId}/${options.initFile ?? 'init.mp4'}"`);
      run = s.runId;
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.start).toISOString()}`);
    for (const p of s.parts ?? []) {
      lines.push(`#EXT-X-PART:DURATION=${p.duration.toFixed(5)},URI="${p.uri}"${p.independent ? ',INDEPENDENT=YES' : ''}`);
    }
  };
  for (const s of segments) {
    head(s);
    lines.push(`#EXTINF:${s.duration.toFixed(6)},`);
    lines.push(`${s.runId}/${s.file}`);
  }
  if (ll?.open) head(ll.open);
  if (ll?.preloadHint) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${ll.preloadHint}"`);
  for (const r of ll?.renditionReports ?? []) {
    lines.push(`#EXT-X-RENDITION-REPORT:URI="${r.uri}",LAST-MSN=${r.lastMsn}${r.lastPart === null ? '' : `,LAST-PART=${r.lastPart}`}`);
  }
  if (kind === 'vod' || options.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

/** One EXT-X-STREAM-INF of a multivariant playlist, from what its segments measure. */
export interface Variant {
  uri: string;
  /** Peak segment bit rate, bits/s (RFC 8216bis §4.4.6.2). */
  bandwidth: number;
  averageBandwidth: number;
  /** RFC 6381 codec strings. */
  codecs: string[];
  resolution: { width: number; height: number } | null;
  frameRate: number | null;
}

/** Peak and average bit rate of a run of segments. */
export function bitRates(segments: readonly { bytes: number; duration: number }[]): Pick<Variant, 'bandwidth' | 'averageBandwidth'> {
  const measured = segments.filter((s) => s.duration > 0);
  const bytes = measured.reduce((sum, s) => sum + s.bytes, 0);
  const seconds = measured.reduce((sum, s) => sum + s.duration, 0);
  return {
    bandwidth: Math.ceil(Math.max(0, ...measured.map((s) => (s.bytes * 8) / s.duration))),
    averageBandwidth: seconds > 0 ? Math.ceil((bytes * 8) / seconds) : 0,
  };
}

/** A multivariant playlist: highest bit rate first (the order a player that does not measure tries). */
export function renderMultivariant(variants: readonly Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of [...variants].sort((a, b) => b.bandwidth - a.bandwidth)) {
    const attributes = [`BANDWIDTH=${v.bandwidth}`, `AVERAGE-BANDWIDTH=${v.averageBandwidth}`, `CODECS="${v.codecs.join(',')}"`];
    if (v.resolution) attributes.push(`RESOLUTION=${v.resolution.width}x${v.resolution.height}`);
    if (v.frameRate !== null) attributes.push(`FRAME-RATE=${v.frameRate.toFixed(3)}`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, v.uri);
  }
  return lines.join('\n') + '\n';
}
