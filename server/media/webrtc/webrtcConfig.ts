// WebRTC settings from the environment (merged into server/config.ts): the address browsers and
// OBS are told to send media to (RADACAST_WEBRTC_ANNOUNCED_IP behind NAT), the UDP port range the
// mediasoup worker may use, and the TURN server(s) browsers may relay through.
import { z } from 'zod';
import type { TurnConfig } from './turn.ts';

export interface WebRtcConfig {
  /** Address the worker's UDP sockets bind to. */
  listenIp: string;
  /** Address put in the ICE candidates (the public one behind NAT); unset: listenIp. */
  announcedIp: string | undefined;
  /** UDP ports for WebRTC media, inclusive. */
  minPort: number;
  maxPort: number;
  /** TURN with short-lived credentials (coturn `use-auth-secret`), or null. */
  turn: TurnConfig | null;
}

function portRange(value: string, ctx: z.RefinementCtx): { min: number; max: number } {
  const range = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(value);
  const min = Number(range?.[1]);
  const max = Number(range?.[2]);
  if (!range || min < 1024 || max > 65535 || max < min) {
    ctx.addIssue({ code: 'custom', message: 'a UDP port range like "40000-40999" (ports 1024–65535)' });
    return z.NEVER;
  }
  return { min, max };
}

const address = z.string().regex(/^[0-9A-Fa-f.:]+$|^[A-Za-z0-9.-]+$/, 'an IP address or host name');

export const WEBRTC_ENV = {
  RADACAST_WEBRTC_LISTEN_IP: address.default('0.0.0.0'),
  RADACAST_WEBRTC_ANNOUNCED_IP: address.optional(),
  RADACAST_WEBRTC_PORTS: z.string().default('40000-40999').transform(portRange),
  /** Space- or comma-separated, e.g. "turn:turn.rada.example:3478?transport=udp turns:turn.rada.example:5349". */
  RADACAST_TURN_URLS: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter((u) => u !== ''))
    .pipe(z.array(z.string().regex(/^turns?:[A-Za-z0-9.[\]:-]+(\?transport=(udp|tcp))?$/, 'turn: or turns: URLs like "turn:turn.rada.example:3478"'))),
  /** coturn's `static-auth-secret`. */
  RADACAST_TURN_SECRET: z.string().min(16, 'at least 16 characters (the static-auth-secret in turnserver.conf)').optional(),
  RADACAST_TURN_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(12 * 60),
};

type WebRtcEnv = z.output<z.ZodObject<typeof WEBRTC_ENV>>;

export function webrtcConfig(env: WebRtcEnv): WebRtcConfig {
  return {
    listenIp: env.RADACAST_WEBRTC_LISTEN_IP,
    announcedIp: env.RADACAST_WEBRTC_ANNOUNCED_IP,
    minPort: env.RADACAST_WEBRTC_PORTS.min,
    maxPort: env.RADACAST_WEBRTC_PORTS.max,
    turn:
      env.RADACAST_TURN_URLS.length > 0 && env.RADACAST_TURN_SECRET
        ? { urls: env.RADACAST_TURN_URLS, secret: env.RADACAST_TURN_SECRET, ttlSeconds: env.RADACAST_TURN_TTL_MINUTES * 60 }
        : null,
  };
}
