// Configuration from the environment, validated at start: a bad value stops the server with a
// message naming the variable.
import { z } from 'zod';
import { ILL_FORMED_MESSAGE, illFormedPath } from '../protocol/wellFormed.ts';
import { MEDIA_ENV, mediaConfig, Port, type MediaConfig } from './media/mediaConfig.ts';
import { RESTREAM_ENV, restreamConfig, type RestreamConfig } from './media/restream/restreamConfig.ts';
import { WEBRTC_ENV, webrtcConfig, type WebRtcConfig } from './media/webrtc/webrtcConfig.ts';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const Env = z.object({
  PORT: Port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  RADACAST_DATA_DIR: z.string().min(1).default('./data'),
  RADACAST_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  RADACAST_DEMO: z.enum(['0', '1']).default('0'),
  RADACAST_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL', 'OFF']).default('FULL'),
  RADACAST_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  RADACAST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RADACAST_LIVE_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  RADACAST_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  RADACAST_LIVE_MAX_BUFFERED_KB: z.coerce.number().int().min(16).max(1_000_000).default(1024),
  RADACAST_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'like "256kb" or "1mb"').default('256kb'),
  RADACAST_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  RADACAST_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  RADACAST_TIME_ZONE: z.string().refine(isTimeZone, 'an IANA time zone like "Europe/Kyiv"').default('Europe/Kyiv'),
  RADACAST_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  RADACAST_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  RADACAST_METRICS_PORT: Port.optional(),
  RADACAST_BACKUP_DIR: z.string().min(1).optional(),
  RADACAST_BACKUP_EVERY: z
    .string()
    .regex(/^\d+(m|h|d)$/, 'like "30m", "6h" or "1d"')
    .default('1d'),
  RADACAST_BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(14),
  RADACAST_WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim()).filter((h) => h !== '')),
  RADACAST_EMBED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter((o) => o !== ''))
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin))),
  RADACAST_SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(12 * 60),
  RADACAST_ROLE: z.enum(['all', 'writer', 'edge']).default('all'),
  RADACAST_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  RADACAST_WRITER_URL: z.url({ protocol: /^https?$/ }).optional(),
  ...MEDIA_ENV,
  ...RESTREAM_ENV,
  ...WEBRTC_ENV,
});

const UNIT_MS = new Map([
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

/** "30m", "6h", "1d" → milliseconds (the shape is checked by the schema). */
function durationMs(text: string): number {
  const unit = UNIT_MS.get(text.slice(-1));
  if (unit === undefined) throw new ConfigError(`invalid configuration: a duration like 30m, 6h or 1d, not "${text}"`);
  return Number(text.slice(0, -1)) * unit;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
  trustProxy: boolean;
  logLevel: z.infer<typeof Env>['RADACAST_LOG_LEVEL'];
  bodyLimit: string;
  /** Cap of /live connections per client address (an IPv6 /64). */
  liveMaxPerAddress: number;
  /** Cap of socket connections (engine.io) in all. */
  maxConnections: number;
  /** Unsent bytes a socket client may have waiting before it is dropped. */
  liveMaxBufferedBytes: number;
  /** Base of absolute links in notifications; unset: http://localhost:<port> (or the bound host). */
  publicUrl: string | undefined;
  /** Origins besides the server's own that may send state-changing requests and open /clerk. */
  allowedOrigins: string[];
  /** The council's time zone, for times shown on published pages. */
  timeZone: string;
  /** Wait before a failed webhook delivery's first retry; doubles with each failure (capped). */
  webhookBackoffMs: number;
  webhookMaxAttempts: number;
  /** Internal hosts webhooks may be sent to (names or addresses as written in the URL); others must be public. */
  webhookAllowHosts: string[];
  /** Origins whose pages may show the published vote tables in a frame (CSP frame-ancestors); none by default. */
  embedOrigins: string[];
  /** A console login lasts this long from its last renewal (the console renews while in use). */
  sessionTtlMs: number;
  /** Ingest, HLS and recording (server/media). */
  media: MediaConfig;
  /** Prometheus metrics without login on 127.0.0.1:<port>; unset: only admins on the main port. */
  metricsPort: number | null;
  /** Scheduled backups: off unless RADACAST_BACKUP_DIR is set. */
  backup: { dir: string; everyMs: number; keep: number } | null;
  /** Restream destinations: the key file that seals their stream keys, extra CAs for RTMPS. */
  restream: RestreamConfig;
  /** WHIP/WHEP through mediasoup: bind and announced addresses, UDP ports. */
  webrtc: WebRtcConfig;
  /**
   * `all`: one process, no Redis. `writer`: the record, the clerk's channel and media, publishing
   * live updates through Redis. `edge`: pages, /live and the public reads for residents, from
   * Redis and the writer (docs/scaling.md).
   */
  role: 'all' | 'writer' | 'edge';
  redisUrl: string | null;
  /** The writer's base URL (an edge fetches what Redis does not hold from it). */
  writerUrl: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Settings are input too: text that is not well-formed Unicode (protocol/wellFormed.ts).
  const illFormed = Object.keys(Env.shape).filter((name) => illFormedPath(env[name]) !== null);
  if (illFormed.length > 0) {
    throw new ConfigError(`invalid configuration: ${illFormed.map((name) => `${name}: ${ILL_FORMED_MESSAGE}`).join('; ')}`);
  }
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.RADACAST_ROLE !== 'all' && !e.RADACAST_REDIS_URL) throw new ConfigError(`invalid configuration: RADACAST_REDIS_URL: required when RADACAST_ROLE is ${e.RADACAST_ROLE}`);
  if (e.RADACAST_ROLE === 'edge' && !e.RADACAST_WRITER_URL) throw new ConfigError('invalid configuration: RADACAST_WRITER_URL: required when RADACAST_ROLE is edge');
  if (e.RADACAST_TURN_URLS.length > 0 && !e.RADACAST_TURN_SECRET) throw new ConfigError('invalid configuration: RADACAST_TURN_SECRET: required when RADACAST_TURN_URLS is set');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.RADACAST_DATA_DIR,
    adminPassword: e.RADACAST_ADMIN_PASSWORD,
    demo: e.RADACAST_DEMO === '1',
    synchronous: e.RADACAST_SQLITE_SYNCHRONOUS,
    trustProxy: e.RADACAST_TRUST_PROXY === '1',
    logLevel: e.RADACAST_LOG_LEVEL,
    bodyLimit: e.RADACAST_BODY_LIMIT,
    liveMaxPerAddress: e.RADACAST_LIVE_MAX_PER_ADDRESS,
    maxConnections: e.RADACAST_MAX_CONNECTIONS,
    liveMaxBufferedBytes: e.RADACAST_LIVE_MAX_BUFFERED_KB * 1024,
    publicUrl: e.RADACAST_PUBLIC_URL,
    allowedOrigins: [...e.RADACAST_ALLOWED_ORIGINS, ...(e.RADACAST_PUBLIC_URL ? [e.RADACAST_PUBLIC_URL] : [])].map(
      (url) => new URL(url).origin,
    ),
    timeZone: e.RADACAST_TIME_ZONE,
    webhookBackoffMs: e.RADACAST_WEBHOOK_BACKOFF_MS,
    webhookMaxAttempts: e.RADACAST_WEBHOOK_MAX_ATTEMPTS,
    webhookAllowHosts: e.RADACAST_WEBHOOK_ALLOW_HOSTS,
    embedOrigins: e.RADACAST_EMBED_ORIGINS,
    sessionTtlMs: e.RADACAST_SESSION_TTL_MINUTES * 60_000,
    media: mediaConfig(e, e.RADACAST_DEMO === '1'),
    metricsPort: e.RADACAST_METRICS_PORT ?? null,
    backup: e.RADACAST_BACKUP_DIR
      ? { dir: e.RADACAST_BACKUP_DIR, everyMs: durationMs(e.RADACAST_BACKUP_EVERY), keep: e.RADACAST_BACKUP_KEEP }
      : null,
    restream: restreamConfig(e),
    webrtc: webrtcConfig(e),
    role: e.RADACAST_ROLE,
    redisUrl: e.RADACAST_REDIS_URL ?? null,
    writerUrl: e.RADACAST_WRITER_URL?.replace(/\/$/, '') ?? null,
  };
}
