// Helpers for the media tests: real ffmpeg as the encoder (RTMP or SRT), ffprobe as the
// checker, waiting on the media service's events, and reading playlists.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import type { IngestStatus } from '../../protocol/media.ts';
import type { MediaService } from '../../server/media/MediaService.ts';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

export interface Encoder {
  process: ChildProcess;
  /** Exit code and the end of stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
  kill(): Promise<void>;
  /** Stops as an operator would: ffmpeg closes its output properly. */
  stop(): Promise<void>;
}

/**
 * A test pattern with a tone, encoded as the docs recommend (keyframe each second, no B-frames);
 * `keyframeSeconds` sets another keyframe interval, `size` another picture, `bFrames` B-frames
 * between references (as OBS's x264 sends by default).
 */
export function pushTestPattern(url: string, seconds: number, format: 'flv' | 'mpegts' = 'flv', keyframeSeconds = 1, size = '320x180', bFrames = 0): Encoder {
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'info',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=25`,
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(25 * keyframeSeconds),
    '-bf',
    String(bFrames),
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-f',
    format,
    url,
  ];
  const process = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  process.stderr.setEncoding('utf8');
  process.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    process.once('close', (code) => resolve({ code, stderr })),
  );
  return {
    process,
    exited,
    async kill() {
      if (process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (process.exitCode === null && process.signalCode === null) process.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves with the arguments of the first `event` that satisfies `predicate`. */
export function nextEvent<A extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  predicate: (...args: A) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" event in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]) => {
      if (!predicate(...(args as A))) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args as A);
    };
    emitter.on(event, listener);
  });
}

/** The room's status once it satisfies `predicate` (now, or at a later status event). */
export async function statusWhen(media: MediaService, room: string, predicate: (s: IngestStatus) => boolean): Promise<IngestStatus> {
  const now = media.status(room)!;
  if (predicate(now)) return now;
  const [status] = await nextEvent<[IngestStatus]>(media, 'status', (s) => s.room === room && predicate(s));
  return status;
}

/** Waits until `count` segments of `room` have been added to its live playlist (from now). */
export async function segmentsAdded(media: MediaService, room: string, count: number, runId?: string): Promise<void> {
  let seen = 0;
  await nextEvent<[string, { runId: string }]>(media, 'segment', (r, s) => {
    if (r === room && (runId === undefined || s.runId === runId)) seen += 1;
    return seen >= count;
  });
}

export interface ProbeResult {
  format: { duration?: string; format_name: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
}

export function ffprobe(target: string, extra: string[] = []): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFPROBE, ['-v', 'error', ...extra, '-show_format', '-show_streams', '-of', 'json', target]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ProbeResult) : reject(new Error(`ffprobe failed [code:${code}] ${err}`))));
  });
}

/** Counts the decodable video frames (decodes every one of them). */
export function countFrames(target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', target]);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(Number.parseInt(out.trim(), 10)) : reject(new Error(`ffprobe failed [code:${code}]`))));
  });
}

export interface ParsedSegment {
  uri: string;
  duration: number;
  programDateTime: number | null;
  map: string;
  discontinuity: boolean;
}

export interface ParsedPlaylist {
  header: Record<string, string>;
  segments: ParsedSegment[];
  ended: boolean;
}

/** Reads a media playlist the way a player does. */
export function parsePlaylist(text: string): ParsedPlaylist {
  const header: Record<string, string> = {};
  const segments: ParsedSegment[] = [];
  let map = '';
  let pdt: number | null = null;
  let duration: number | null = null;
  let discontinuity = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-MAP:')) map = /URI="([^"]+)"/.exec(line)![1]!;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (line.startsWith('#EXT-X-') && line.includes(':')) {
      const at = line.indexOf(':');
      header[line.slice(1, at)] = line.slice(at + 1);
    } else if (line !== '' && !line.startsWith('#')) {
      segments.push({ uri: line, duration: duration!, programDateTime: pdt, map, discontinuity });
      pdt = null;
      duration = null;
      discontinuity = false;
    }
  }
  return { header, segments, ended: text.includes('#EXT-X-ENDLIST') };
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
