// What the server hands a WebRTC client besides SDP: the ICE servers to use (TURN with
// short-lived credentials, coturn's `use-auth-secret` scheme), for browsers behind networks that
// let no UDP or direct TCP through to the media ports. Shared by the server and the pages.
import { z } from 'zod';

export const IceServer = z.object({
  urls: z.array(z.string().regex(/^turns?:/)),
  username: z.string(),
  credential: z.string(),
});
export type IceServer = z.infer<typeof IceServer>;

/** GET /api/webrtc/ice-servers/:room: empty when no TURN server is configured. */
export const IceServersAnswer = z.object({
  iceServers: z.array(IceServer),
  /** When the credentials stop working (ISO 8601), or null without TURN. */
  expiresAt: z.string().nullable(),
});
export type IceServersAnswer = z.infer<typeof IceServersAnswer>;
