// A console login renewed while in use: POST /api/session/renew gives the same session a full
// lifetime from now (the socket, which re-checks the same cookie, stays valid); an ended
// session cannot be renewed. The lifetime is short here (RADACAST_SESSION_TTL_MINUTES in
// production) so the test can outlive it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

const TTL_MS = 1500;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ sessionTtlMs: TTL_MS });
});

afterAll(async () => {
  await t?.close();
});

const call = (method: string, path: string, cookie: string) => fetch(`${t.url}${path}`, { method, headers: { cookie, 'x-requested-with': 'radacast' } });

/** Resolves once the server no longer accepts the cookie. */
async function ended(cookie: string): Promise<void> {
  while ((await call('GET', '/api/session', cookie)).status === 200) await new Promise((r) => setTimeout(r, 100));
}

describe('session renewal', () => {
  it('keeps a session valid past its first expiry while it is renewed, then lets it end', async () => {
    const cookie = await t.login();
    const started = Date.now();
    let renewals = 0;
    while (Date.now() - started < TTL_MS * 2) {
      const res = await call('POST', '/api/session/renew', cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { expiresAt: number; ttlSeconds: number; user: { username: string } };
      expect(body.user.username).toBe('admin');
      expect(body.expiresAt).toBeGreaterThan(Date.now());
      expect(res.headers.get('set-cookie')).toContain(cookie);
      renewals += 1;
      await new Promise((r) => setTimeout(r, TTL_MS / 3));
    }
    expect(renewals).toBeGreaterThan(3);
    // Past the first expiry, the same cookie still sends commands.
    const room = await t.command({ type: 'room.upsert', room: { id: 'hall', name: 'Зала' } }, cookie);
    expect(room.status).toBe(200);

    await ended(cookie);
    const late = await call('POST', '/api/session/renew', cookie);
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('does not renew a session that was logged out', async () => {
    const cookie = await t.login();
    await call('DELETE', '/api/session', cookie);
    expect((await call('POST', '/api/session/renew', cookie)).status).toBe(401);
  });

  it('reads the lifetime from RADACAST_SESSION_TTL_MINUTES (12 hours by default)', () => {
    expect(loadConfig({}).sessionTtlMs).toBe(12 * 60 * 60 * 1000);
    expect(loadConfig({ RADACAST_SESSION_TTL_MINUTES: '90' }).sessionTtlMs).toBe(90 * 60 * 1000);
    expect(() => loadConfig({ RADACAST_SESSION_TTL_MINUTES: '0' })).toThrow(/RADACAST_SESSION_TTL_MINUTES/);
  });
});
