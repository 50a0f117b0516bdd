// The ffmpeg command lines radacast runs, built by pure functions (one test per shape): the
// packager that turns one ingest into fragmented MP4 on its stdout without re-encoding video
// (radacast cuts the LL-HLS parts and the segments from it, see HlsPackager), and the demo camera.
// Always an argument array for spawn(), never a shell string.

/**
 * What ffmpeg reads: FLV remuxed from RTMP on stdin, or an SRT listener of its own. The SRT
 * listener's URL carries the passphrase (the stream key), so it is not put on the command line
 * (which `ps` shows to every user of the machine): ffmpeg reads it from a one-entry ffconcat
 * script (`srtListenerScript`), a file only the server's user can read.
 */
export type PackagerInput = { kind: 'flv-pipe' } | { kind: 'srt-listener'; script: string };

export interface PackagerArgs {
  input: PackagerInput;
  /** `copy` when the encoder already sends AAC; otherwise audio is transcoded to AAC. */
  audio: 'copy' | 'aac';
}

/**
 * Length of one MP4 fragment, i.e. one LL-HLS part: ffmpeg closes a fragment at each keyframe
 * and once it holds this much media, so at 25, 30, 50 or 60 fps every part is exactly 200 ms
 * and a one- or two-second GOP divides into whole parts.
 */
export const FRAGMENT_SECONDS = 0.2;
export const INIT_FILE = 'init.mp4';
export const SEGMENT_FILE = /^seg-(\d{5,})\.m4s$/;
/** The audio-only rendition's files sit next to the program's in the run folder. */
export const AUDIO_INIT_FILE = 'audio-init.mp4';
export const AUDIO_SEGMENT_FILE = /^audio-seg-(\d{5,})\.m4s$/;
export const segmentFile = (index: number): string => `seg-${String(index).padStart(5, '0')}.m4s`;
export const audioSegmentFile = (index: number): string => `audio-${segmentFile(index)}`;

const AAC_BITRATE = '128k';
/** Audio as HLS players and RTMP platforms take it: AAC at 48 kHz (an encoder's Opus or odd rate re-encoded). */
export const AAC_48K = ['-c:a', 'aac', '-b:a', AAC_BITRATE, '-ar', '48000'];

/** A video bitrate held to `kbps` over a one-second buffer (what low-latency encodes here use). */
export const cappedVideoRate = (kbps: number): string[] => ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`];

export function srtListenerUrl(input: { host: string; port: number; passphrase: string }): string {
  const query = new URLSearchParams({ mode: 'listener', passphrase: input.passphrase });
  return `srt://${input.host}:${input.port}?${query.toString()}`;
}

/** The ffconcat script naming the SRT listener (URL-encoded, so it holds no quote). */
export function srtListenerScript(input: { host: string; port: number; passphrase: string }): string {
  return [
    'ffconcat version 1.0',
    `file '${srtListenerUrl(input)}'`,
    // Probing a live MPEG-TS otherwise waits out ffmpeg's default 5 s before the first segment.
    'option analyzeduration 2000000',
    '',
  ].join('\n');
}

export function packagerArgs(options: PackagerArgs): string[] {
  const { input, audio } = options;
  const source =
    input.kind === 'flv-pipe'
      ? ['-f', 'flv', '-i', 'pipe:0']
      : ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,srt,udp', '-i', input.script];
  const audioCodec = audio === 'copy' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', AAC_BITRATE];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...source,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-c:v',
    'copy',
    ...audioCodec,
    '-f',
    'mp4',
    // The moov first and empty, then moof+mdat pairs, each written out as soon as it closes.
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
    '-frag_duration',
    String(Math.round(FRAGMENT_SECONDS * 1_000_000)),
    'pipe:1',
  ];
}

export interface DemoCameraArgs {
  /** Complete RTMP publish URL, key included. */
  url: string;
  width: number;
  height: number;
  fps: number;
  videoKbps: number;
}

/** A test pattern with the wall clock burned in and a tone, encoded as the docs recommend. */
export function demoCameraArgs(options: DemoCameraArgs): string[] {
  const { url, width, height, fps, videoKbps } = options;
  const clock = [
    "drawtext=text='%{localtime\\:%T}'",
    'fontsize=' + Math.round(height / 8),
    'fontcolor=white',
    'box=1',
    'boxcolor=black@0.6',
    'boxborderw=12',
    'x=(w-text_w)/2',
    'y=h-text_h-40',
  ].join(':');
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'warning',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-vf',
    clock,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(fps),
    '-keyint_min',
    String(fps),
    '-sc_threshold',
    '0',
    '-bf',
    '0',
    ...cappedVideoRate(videoKbps),
    ...AAC_48K,
    '-f',
    'flv',
    url,
  ];
}

/** A transcoded rendition: its height (the width follows the source's aspect) and video bit rate. */
export interface Rung {
  height: number;
  kbps: number;
}

/** Video bit rate for a rendition of this height (H.264, talking heads and slides: modest). */
export function rungKbps(height: number): number {
  const table: [number, number][] = [
    [1080, 4500],
    [720, 2500],
    [540, 1600],
    [480, 1200],
    [360, 800],
    [240, 400],
  ];
  return table.find(([h]) => height >= h)?.[1] ?? 250;
}

/** The encoder a ladder uses: libx264, or a hardware one found present at start. */
export type LadderEncoder = 'libx264' | 'vaapi' | 'nvenc';
export const VAAPI_DEVICE = '/dev/dri/renderD128';

export interface LadderArgs {
  rungs: Rung[];
  encoder: LadderEncoder;
  /** libx264 preset; `veryfast` keeps up in real time on a server core per 720p. */
  preset: string;
}

/**
 * The ladder: one ffmpeg reading the program's fragmented MP4 on stdin and writing each lower
 * rendition as fragmented MP4 to its own pipe (fd 3, 4, …). Keyframes are forced where the
 * source has them and timestamps pass through unchanged, so every rendition's segments begin
 * exactly where the program's do; audio is copied.
 */
export function ladderArgs(options: LadderArgs): string[] {
  const { rungs, encoder, preset } = options;
  const device = encoder === 'vaapi' ? ['-vaapi_device', VAAPI_DEVICE] : [];
  const outputs = rungs.flatMap((rung, i) => {
    const rate = [`-b:v`, `${rung.kbps}k`, '-maxrate', `${rung.kbps}k`, '-bufsize', `${2 * rung.kbps}k`];
    const video =
      encoder === 'vaapi'
        ? ['-vf', `format=nv12,hwupload,scale_vaapi=w=-2:h=${rung.height}`, '-c:v', 'h264_vaapi']
        : encoder === 'nvenc'
          ? ['-vf', `scale=-2:${rung.height}`, '-c:v', 'h264_nvenc', '-preset', 'p4', '-tune', 'll']
          : ['-vf', `scale=-2:${rung.height}`, '-c:v', 'libx264', '-preset', preset, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'];
    return [
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      ...video,
      ...rate,
      '-force_key_frames',
      'source',
      '-sc_threshold',
      '0',
      '-bf',
      '0',
      '-fps_mode',
      'passthrough',
      '-c:a',
      'copy',
      '-f',
      'mp4',
      '-movflags',
      'frag_keyframe+empty_moov+default_base_moof',
      '-frag_duration',
      String(Math.round(FRAGMENT_SECONDS * 1_000_000)),
      `pipe:${3 + i}`,
    ];
  });
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...device, '-copyts', '-f', 'mp4', '-i', 'pipe:0', ...outputs];
}
