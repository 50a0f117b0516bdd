// WebRTC settings from the environment (merged into server/config.ts): the address browsers and
// OBS are told to send media to (RADACAST_WEBRTC_ANNOUNCED_IP behind NAT), the UDP port range the
// mediasoup worker may use.
import { z } from 'zod';

export interface WebRtcConfig {
  /** Address the worker's UDP sockets bind to. */
  listenIp: string;
  /** Address put in the ICE candidates (the public one behind NAT); unset: listenIp. */
  announcedIp: string | undefined;
  /** UDP ports for WebRTC media, inclusive. */
  minPort: number;
  maxPort: number;
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
};

type WebRtcEnv = z.output<z.ZodObject<typeof WEBRTC_ENV>>;

export function webrtcConfig(env: WebRtcEnv): WebRtcConfig {
  return {
    listenIp: env.RADACAST_WEBRTC_LISTEN_IP,
    announcedIp: env.RADACAST_WEBRTC_ANNOUNCED_IP,
    minPort: env.RADACAST_WEBRTC_PORTS.min,
    maxPort: env.RADACAST_WEBRTC_PORTS.max,
  };
}
