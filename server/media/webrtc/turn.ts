// Short-lived TURN credentials in coturn's `use-auth-secret` (TURN REST API) scheme: the username
// is `<expiry unix seconds>:<who>`, the password the base64 HMAC-SHA1 of the username under the
// secret radacast and coturn share. coturn checks both without asking radacast; a credential
// handed to a browser stops working at its expiry, so a leaked one is worth little.
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../../protocol/webrtc.ts';

export interface TurnConfig {
  /** turn: and turns: URLs of the server(s) sharing the secret. */
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

/** The ICE servers for `who` (a short name for coturn's log): none without TURN configured. */
export function turnIceServers(turn: TurnConfig | null, who: string, now = Date.now()): { iceServers: IceServer[]; expiresAt: Date | null } {
  if (!turn) return { iceServers: [], expiresAt: null };
  const expiry = Math.floor(now / 1000) + turn.ttlSeconds;
  // coturn splits the username at its first colon: whatever follows names the user.
  const username = `${expiry}:${who.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { iceServers: [{ urls: turn.urls, username, credential }], expiresAt: new Date(expiry * 1000) };
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** `Link` header values for a WHIP/WHEP response (RFC 9725 §4.6), one per URL. */
export function iceServerLinks(servers: IceServer[]): string[] {
  return servers.flatMap((server) =>
    server.urls.map(
      (url) => `<${url}>; rel="ice-server"; username=${quoted(server.username)}; credential=${quoted(server.credential)}; credential-type="password"`,
    ),
  );
}
