// Configuration from the environment, validated at start: a bad value stops the server with a
// message naming the variable.
import { z } from 'zod';
import { ILL_FORMED_MESSAGE, illFormedPath } from '../protocol/wellFormed.ts';
import { MEDIA_ENV, mediaConfig, Port, type MediaConfig } from './media/mediaConfig.ts';

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
  ...MEDIA_ENV,
});

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
  /** Cap of /live connections per client address. */
  liveMaxPerAddress: number;
  /** Base of absolute links in notifications; unset: http://localhost:<port> (or the bound host). */
  publicUrl: string | undefined;
  /** Origins besides the server's own that may send state-changing requests and open /clerk. */
  allowedOrigins: string[];
  /** The council's time zone, for times shown on published pages. */
  timeZone: string;
  /** Wait before a failed webhook delivery's first retry; doubles with each failure (capped). */
  webhookBackoffMs: number;
  webhookMaxAttempts: number;
  /** Ingest, HLS and recording (server/media). */
  media: MediaConfig;
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
    publicUrl: e.RADACAST_PUBLIC_URL,
    allowedOrigins: [...e.RADACAST_ALLOWED_ORIGINS, ...(e.RADACAST_PUBLIC_URL ? [e.RADACAST_PUBLIC_URL] : [])].map(
      (url) => new URL(url).origin,
    ),
    timeZone: e.RADACAST_TIME_ZONE,
    webhookBackoffMs: e.RADACAST_WEBHOOK_BACKOFF_MS,
    webhookMaxAttempts: e.RADACAST_WEBHOOK_MAX_ATTEMPTS,
    media: mediaConfig(e, e.RADACAST_DEMO === '1'),
  };
}
