// Request forgery from other sites (issue 12): a browser sends the admin's cookie with a POST
// from a sibling subdomain or another port of the same host, and a WebSocket handshake from any
// page. Every state-changing request and every /clerk handshake that carries an `Origin` must
// come from this server's own origin (as the request names it: Host, and behind a trusted proxy
// X-Forwarded-Host/-Proto) or one listed in RADACAST_ALLOWED_ORIGINS / RADACAST_PUBLIC_URL.
// A cookie-authenticated request must also be one no HTML form can send: a JSON body, or the
// `X-Requested-With` header (which needs a CORS preflight, and none is ever granted).
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { refuse } from './errors.ts';

export interface OriginPolicy {
  /** Origins allowed besides the server's own, e.g. "https://rada.example" (no path). */
  allowed: readonly string[];
  /** Read the scheme and host from X-Forwarded-Proto / X-Forwarded-Host (RADACAST_TRUST_PROXY). */
  trustProxy: boolean;
}

const firstValue = (header: string | string[] | undefined): string | undefined =>
  (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim() || undefined;

/** True when the request reached us over TLS, directly or (trusted) through a proxy. */
export function cameOverTls(req: IncomingMessage, trustProxy: boolean): boolean {
  const forwarded = trustProxy ? firstValue(req.headers['x-forwarded-proto']) : undefined;
  return forwarded !== undefined ? forwarded === 'https' : req.socket instanceof TLSSocket && req.socket.encrypted;
}

/** The origin this request was addressed to, e.g. "http://127.0.0.1:8080". */
export function ownOrigin(req: IncomingMessage, trustProxy: boolean): string | null {
  const host = (trustProxy ? firstValue(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
  return host ? `${cameOverTls(req, trustProxy) ? 'https' : 'http'}://${host.toLowerCase()}` : null;
}

/** No `Origin` (a non-browser client) passes; one that is present must be ours or listed. */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const own = ownOrigin(req, policy.trustProxy);
  return (own !== null && origin.toLowerCase() === own) || policy.allowed.includes(origin.toLowerCase());
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseForgedRequests(policy: OriginPolicy): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (!originAllowed(req, policy)) return refuse(res, 'cross-origin', { origin: String(req.headers.origin).slice(0, 200) });
    // A bearer token is never sent by a browser on its own; only ambient credentials need this.
    const bearer = req.headers.authorization?.startsWith('Bearer ');
    const json = /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
    if (!bearer && !json && req.headers['x-requested-with'] === undefined) {
      return refuse(res, 'cross-origin', { origin: req.headers.origin ?? 'none' });
    }
    next();
  };
}
