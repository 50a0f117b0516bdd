// Logging in and out: POST /api/session sets an httpOnly, SameSite=Strict cookie (Secure when
// the request came over TLS, directly or per a trusted proxy) and a device cookie (see
// LoginLimiter.ts); DELETE /api/session ends the session; GET /api/session says who is logged in.
import { Router } from 'express';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import { SESSION_TTL_MS, type UserStore } from '../../auth/UserStore.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { refuse, zodIssues } from '../errors.ts';
import { LOGIN_LIMITS, type LimitedKey, type LoginLimiter } from '../LoginLimiter.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, type DeviceCookies } from '../../auth/deviceCookie.ts';

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

const COOKIE = { httpOnly: true, sameSite: 'strict', path: '/' } as const;

export function sessionRoutes(users: UserStore, limiter: LoginLimiter, devices: DeviceCookies): Router {
  const router = Router();

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
      return refuse(res, 'unauthorized');
    }
    limiter.refund(keys, Date.now());
    const token = users.startSession(principal.name, new Date());
    res.cookie(SESSION_COOKIE, token, { ...COOKIE, secure: req.secure, maxAge: SESSION_TTL_MS });
    if (!knownDevice) {
      res.cookie(DEVICE_COOKIE, devices.issue(principal.name), { ...COOKIE, secure: req.secure, path: '/api/session', maxAge: DEVICE_COOKIE_MAX_AGE_MS });
    }
    req.log.info({ username }, 'logged in');
    res.json({ ok: true, user: { username: principal.name, role: principal.role } });
  });

  router.get('/api/session', (req, res) => {
    if (!req.principal) return refuse(res, 'unauthorized');
    res.json({ ok: true, user: { username: req.principal.name, role: req.principal.role } });
  });

  router.delete('/api/session', (req, res) => {
    const token = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
    if (token) users.endSession(token);
    res.clearCookie(SESSION_COOKIE, { ...COOKIE, secure: req.secure });
    res.json({ ok: true });
  });

  return router;
}
