// Restream settings from the environment (merged into server/config.ts): where the key that
// encrypts the destinations' stream keys lives, and extra certificate authorities an RTMPS
// destination may be signed by (a private relay, the tests' own terminator).
import { z } from 'zod';

export interface RestreamConfig {
  /** The 32-byte key file; unset: <data dir>/restream.key, generated on first start. */
  secretKeyFile: string | undefined;
  /** PEM file of trusted CAs for rtmps:// destinations; unset: the system's trust store. */
  caFile: string | undefined;
}

export const RESTREAM_ENV = {
  RADACAST_SECRET_KEY_FILE: z.string().min(1).optional(),
  RADACAST_RESTREAM_CA_FILE: z.string().min(1).optional(),
};

type RestreamEnv = z.output<z.ZodObject<typeof RESTREAM_ENV>>;

export function restreamConfig(env: RestreamEnv): RestreamConfig {
  return { secretKeyFile: env.RADACAST_SECRET_KEY_FILE, caFile: env.RADACAST_RESTREAM_CA_FILE };
}
