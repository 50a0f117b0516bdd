// Configuration from the environment, validated at start: a bad value stops the server with a
// message naming the variable.
import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);

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
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  };
}
