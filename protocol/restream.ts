// Restream destinations as clients see them: the admin's PUT body (validated here), the presets
// the console offers, and each destination's relay status (GET /api/rooms/:room/destinations and
// the `destinations` event on /clerk). A destination's key never appears here: only `keyHint`.
import { z } from 'zod';

export const DESTINATION_KINDS = ['youtube', 'facebook', 'telegram', 'custom'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** URLs the console fills in for each kind; Telegram shows its own per channel, so none there. */
export const DESTINATION_PRESETS = {
  youtube: { name: 'YouTube', urls: ['rtmps://a.rtmps.youtube.com:443/live2', 'rtmp://a.rtmp.youtube.com/live2'] },
  facebook: { name: 'Facebook', urls: ['rtmps://live-api-s.facebook.com:443/rtmp/'] },
  telegram: { name: 'Telegram', urls: [] },
  custom: { name: '', urls: [] },
} as const satisfies Record<DestinationKind, { name: string; urls: readonly string[] }>;

/** rtmp:// or rtmps://, a host, an optional port and the application path; no credentials in it. */
const RTMP_URL = /^rtmps?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[!-~]*$/;

export const DestinationUrl = z
  .string()
  .trim()
  .max(500)
  .regex(RTMP_URL, 'an rtmp:// or rtmps:// address with a path, e.g. rtmp://a.rtmp.youtube.com/live2 (no spaces, no user:password@)')
  .refine((url) => /^rtmps?:\/\/[^/]+\/[^/]/.test(url), 'the address needs the application path, e.g. /live2');

/** What platforms issue: printable ASCII without spaces (Facebook's keys carry `?` and `&`). */
export const StreamKey = z.string().max(512).regex(/^[!-~]*$/, 'printable Latin characters without spaces');

export const DestinationInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(DESTINATION_KINDS),
    url: DestinationUrl,
    /** Omitted: the stored key is kept. */
    key: StreamKey.optional(),
    enabled: z.boolean(),
  })
  .strict()
  .refine((d) => d.kind === 'custom' || d.key === undefined || d.key.length > 0, {
    message: 'a platform destination needs its stream key',
    path: ['key'],
  });
export type DestinationInput = z.infer<typeof DestinationInput>;

export const DESTINATION_STATES = ['off', 'starting', 'live', 'retrying', 'failed'] as const;
export type DestinationState = (typeof DESTINATION_STATES)[number];

export const DESTINATION_PROBLEMS = [
  'wrong-key',
  'tls',
  'dns',
  'refused',
  'timeout',
  'dropped',
  'slow',
  'ffmpeg-missing',
  'srt-ingest',
  'secret-key',
  'failed',
] as const;
export type DestinationProblemCode = (typeof DESTINATION_PROBLEMS)[number];

/** A platform rule the ingest breaks (warned, the relay still runs). */
export const DESTINATION_WARNINGS = ['keyframe-interval', 'bitrate'] as const;
export type DestinationWarningCode = (typeof DESTINATION_WARNINGS)[number];

export interface Advice<C extends string> {
  code: C;
  /** Ukrainian advice for the operator. */
  message: string;
  messages: { uk: string; en: string };
}

export interface DestinationStatus {
  state: DestinationState;
  since: string;
  /** What the relay sends, measured over the last seconds; null while nothing flows. */
  bitrateKbps: number | null;
  problem: (Advice<DestinationProblemCode> & { at: string }) | null;
  warnings: Advice<DestinationWarningCode>[];
}

export interface DestinationView {
  id: string;
  name: string;
  kind: DestinationKind;
  url: string;
  /** At most the last four characters of the key, after an ellipsis; null when there is no key. */
  keyHint: string | null;
  enabled: boolean;
  status: DestinationStatus;
}

/** One room's destinations, pushed to the consoles on each change. */
export interface RoomDestinations {
  room: string;
  destinations: DestinationView[];
}
