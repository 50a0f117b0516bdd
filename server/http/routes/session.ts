// Logging in and out: POST /api/session sets an httpOnly, SameSite=Strict cookie (Secure when
// the request came over TLS, directly or per a trusted proxy) and a device cookie (see
// LoginLimiter.ts); DELETE /api/session ends the session; GET /api/session says who is logged
// in; POST /api/session/renew extends the login by a full lifetime (the console calls it while
// the clerk is active, so a long sitting never ends in a logout).
import { Router, type Request, type Response } from 'express';
import { auditOf } from '../../ops/auditRoutes.ts';
import { LoginFailureWatch } from '../../ops/LoginFailureWatch.ts';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import type { UserStore } from '../../auth/UserStore.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { refuse, zodIssues } from '../errors.ts';
import { LOGIN_LIMITS, type LimitedKey, type LoginLimiter } from '../LoginLimiter.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, type DeviceCookies } from '../../auth/deviceCookie.ts';

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

const COOKIE = { httpOnly: true, sameSite: 'strict', path: '/' } as const;

export function sessionRoutes(users: UserStore, limiter: LoginLimiter, devices: DeviceCookies): Router {
  const router = Router();
  const failures = new LoginFailureWatch();
  const ttlSeconds = Math.round(users.sessionTtlMs / 1000);
  const setCookie = (req: Request, res: Response, token: string): void => {
    res.cookie(SESSION_COOKIE, token, { ...COOKIE, secure: req.secure, maxAge: users.sessionTtlMs });
  };
  const sessionToken = (req: Request): string | undefined => (req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined);

  router.post('/api/session', async (req, res) => {
    const parsed = Login.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const { username, password } = parsed.data;
    const cookies = req.headers.cookie ? parseCookie(req.headers.cookie) : {};
    const knownDevice = devices.proves(cookies[DEVICE_COOKIE], username);
    const keys: LimitedKey[] = [
      { key: `ip:${req.ip}`, max: LOGIN_LIMITS.perAddress },
      knownDevice
        ? { key: `device:${cookies[DEVICE_COOKIE]}`, max: LOGIN_LIMITS.perDevice }
        : { key: `user:${username}`, max: LOGIN_LIMITS.perUsername },
    ];
    // Charged before the (slow) check, so parallel attempts cannot outrun the count.
    const wait = limiter.charge(keys, Date.now());
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return refuse(res, 'rate-limited', { retryAfter: wait });
    }
    const principal = await users.checkPassword(username, password);
    if (!principal) {
      req.log.warn({ username }, 'login failed');
      if (failures.failed(username, Date.now())) {
        auditOf(req).record('login.failures', 'system', username, { failures: failures.threshold, withinMinutes: failures.windowMs / 60_000 });
      }
      return refuse(res, 'unauthorized');
    }
    limiter.refund(keys, Date.now());
    const now = new Date();
    setCookie(req, res, users.startSession(principal.name, now));
    if (!knownDevice) {
      res.cookie(DEVICE_COOKIE, devices.issue(principal.name), { ...COOKIE, secure: req.secure, path: '/api/session', maxAge: DEVICE_COOKIE_MAX_AGE_MS });
    }
    req.log.info({ username }, 'logged in');
    res.json({ ok: true, user: { username: principal.name, role: principal.role }, expiresAt: now.getTime() + users.sessionTtlMs, ttlSeconds });
  });

  router.get('/api/session', (req, res) => {
    if (!req.principal) return refuse(res, 'unauthorized');
    res.json({ ok: true, user: { username: req.principal.name, role: req.principal.role }, ttlSeconds });
  });

  // The same token lives on, so the console's socket (which re-checks it per command) stays valid.
  router.post('/api/session/renew', (req, res) => {
    const token = sessionToken(req);
    const expiresAt = token && req.principal ? users.renewSession(token, new Date()) : null;
    if (!token || !req.principal || expiresAt === null) return refuse(res, 'unauthorized');
    setCookie(req, res, token);
    res.json({ ok: true, user: { username: req.principal.name, role: req.principal.role }, expiresAt, ttlSeconds });
  });

  router.delete('/api/session', (req, res) => {
    const token = sessionToken(req);
    if (token) users.endSession(token);
    res.clearCookie(SESSION_COOKIE, { ...COOKIE, secure: req.secure });
    res.json({ ok: true });
  });

  return router;
}
