// The media settings from the environment (merged into server/config.ts): ports, folders, the
// ffmpeg binary, the host encoders are told to use, retention, the demo camera and the renditions
// of the live picture.
import { z } from 'zod';

export interface MediaConfig {
  ffmpegPath: string;
  /** Live segments and recordings live under here; unset: <data dir>/media. */
  mediaDir: string | undefined;
  /** RTMP port for every room; 0 picks a free one (tests). */
  rtmpPort: number;
  /** UDP ports handed to rooms in the order they were created; empty: SRT off. */
  srtPorts: number[];
  /** Host name put in the encoder URLs; unset: the host the request came to. */
  ingestHost: string | undefined;
  /** Days a closed sitting's recording is kept; null: forever. */
  retentionDays: number | null;
  /** `npm run demo`: push a test pattern into the first room. */
  demoCamera: boolean;
  /** Heights of the transcoded renditions (RADACAST_RENDITIONS without source and audio), highest first. */
  ladder: number[];
  /** Hardware encoder for the ladder, used when present (probed at start); `off`: libx264. */
  hwEncoder: HwEncoder;
  /** libx264 preset of the ladder: `veryfast` keeps up on an ordinary server core per 720p. */
  ladderPreset: X264Preset;
}

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

export type HwEncoder = 'off' | 'vaapi' | 'nvenc';

/** Renditions: `source` and `audio` are always produced; `<height>p` adds a transcoded one. */
function renditionList(value: string, ctx: z.RefinementCtx): number[] {
  const names = value.split(',').map((n) => n.trim().toLowerCase());
  const heights: number[] = [];
  for (const name of names) {
    if (name === 'source' || name === 'audio') continue;
    const height = /^(\d{3,4})p$/.exec(name) ? Number.parseInt(name, 10) : NaN;
    if (!(height >= 144 && height <= 2160 && height % 2 === 0) || heights.includes(height)) {
      ctx.addIssue({ code: 'custom', message: `"${name}": renditions are source, audio and heights such as 720p or 480p (144p–2160p, each once)` });
      return z.NEVER;
    }
    heights.push(height);
  }
  if (!names.includes('source') || !names.includes('audio')) {
    ctx.addIssue({ code: 'custom', message: 'source and audio are always produced: list both, e.g. "source,720p,480p,audio"' });
    return z.NEVER;
  }
  if (heights.length > 4) {
    ctx.addIssue({ code: 'custom', message: 'at most four transcoded renditions' });
    return z.NEVER;
  }
  return heights.sort((a, b) => b - a);
}

// Digits only: coercing with Number() would read "" as 0 (a random port) and "0x50" as 80.
export const Port = z
  .string()
  .trim()
  .regex(/^\d+$/, 'a port number, 0–65535')
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535));

function portList(value: string, ctx: z.RefinementCtx): number[] {
  if (value === 'off') return [];
  const ports: number[] = [];
  for (const part of value.split(',')) {
    const range = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    const from = range ? Number(range[1]) : NaN;
    const to = range?.[2] ? Number(range[2]) : from;
    if (!range || from < 1 || to > 65535 || to < from || to - from > 1000) {
      ctx.addIssue({ code: 'custom', message: 'like "9000-9009", "9000,9002" or "off"' });
      return z.NEVER;
    }
    for (let p = from; p <= to; p++) if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}

export const MEDIA_ENV = {
  RADACAST_FFMPEG: z.string().min(1).default('/usr/bin/ffmpeg'),
  RADACAST_MEDIA_DIR: z.string().min(1).optional(),
  RADACAST_RTMP_PORT: Port.default(1935),
  RADACAST_SRT_PORTS: z.string().default('9000-9009').transform(portList),
  RADACAST_INGEST_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address')
    .optional(),
  RADACAST_RECORDING_RETENTION_DAYS: z
    .union([z.literal('keep'), z.coerce.number().int().min(1).max(100_000)])
    .default('keep'),
  RADACAST_DEMO_CAMERA: z.enum(['0', '1']).optional(),
  RADACAST_RENDITIONS: z.string().default('source,audio').transform(renditionList),
  RADACAST_HW_ENCODER: z.enum(['off', 'vaapi', 'nvenc']).default('off'),
  RADACAST_RENDITIONS_PRESET: z.enum(X264_PRESETS).default('veryfast'),
};

type MediaEnv = z.output<z.ZodObject<typeof MEDIA_ENV>>;

export function mediaConfig(env: MediaEnv, demo: boolean): MediaConfig {
  return {
    ffmpegPath: env.RADACAST_FFMPEG,
    mediaDir: env.RADACAST_MEDIA_DIR,
    rtmpPort: env.RADACAST_RTMP_PORT,
    srtPorts: env.RADACAST_SRT_PORTS,
    ingestHost: env.RADACAST_INGEST_HOST,
    retentionDays: env.RADACAST_RECORDING_RETENTION_DAYS === 'keep' ? null : env.RADACAST_RECORDING_RETENTION_DAYS,
    demoCamera: env.RADACAST_DEMO_CAMERA === undefined ? demo : env.RADACAST_DEMO_CAMERA === '1',
    ladder: env.RADACAST_RENDITIONS,
    hwEncoder: env.RADACAST_HW_ENCODER,
    ladderPreset: env.RADACAST_RENDITIONS_PRESET,
  };
}
