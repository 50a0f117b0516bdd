// Who is calling: a session cookie (set by POST /api/session) or a bearer API token. The
// principal is attached to the request; `requireRole` guards routes that change things.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Principal, Role, UserStore } from '../auth/UserStore.ts';
import { refuse } from './errors.ts';

export const SESSION_COOKIE = 'radacast_session';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Finds the principal behind a cookie header or an Authorization header; shared with sockets. */
export function principalFrom(
  users: UserStore,
  headers: { cookie?: string | undefined; authorization?: string | undefined },
  now: Date,
): Principal | null {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return users.tokenPrincipal(auth.slice('Bearer '.length).trim());
  const token = headers.cookie ? parseCookie(headers.cookie)[SESSION_COOKIE] : undefined;
  return token ? users.sessionPrincipal(token, now) : null;
}

export function authenticate(users: UserStore): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = principalFrom(users, req.headers, new Date());
    if (principal) req.principal = principal;
    next();
  };
}

const RANK: Record<Role, number> = { clerk: 1, admin: 2 };

/** The caller of a route behind `requireRole`, which refuses a request without one. */
export function signedIn(req: Request): Principal {
  if (!req.principal) throw new Error('a route behind requireRole ran without a principal');
  return req.principal;
}

export function requireRole(role: Role): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.principal) return refuse(res, 'unauthorized');
    if (RANK[req.principal.role] < RANK[role]) return refuse(res, 'forbidden');
    next();
  };
}
