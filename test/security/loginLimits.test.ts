// Login limiting (issue 12): the attempt is charged before the password is checked, so 300
// parallel guesses from one address get at most 5 checks (139 did before); a username has an
// allowance across all addresses, yet a browser that logged in as that user before keeps its
// own, so strangers cannot lock the admin out; the limiter's memory stays bounded.
import { afterEach, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../server/http/LoginLimiter.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function attempt(password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t!.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'admin', password }),
  });
}

describe('login limiting', () => {
  it('checks at most 5 passwords of 300 parallel attempts from one address', { timeout: 60_000 }, async () => {
    t = await startTestServer();
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => attempt(`guess-${i}`)));
    const statuses = answers.map((r) => r.status);
    // Every 401 is one password check; the rest were refused before any check.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(295);
  });

  it('limits one username across addresses, but never the browser the admin logged in from before', { timeout: 60_000 }, async () => {
    t = await startTestServer({ trustProxy: true });
    // The admin logged in from the office earlier: the browser holds a device cookie.
    const office = { 'x-forwarded-for': '10.0.0.1' };
    const first = await attempt(ADMIN_PASSWORD, office);
    expect(first.status).toBe(200);
    const device = first.headers.getSetCookie().find((c) => c.startsWith('radacast_device='))!.split(';')[0]!;
    expect(device).toBeDefined();

    // 100 addresses × 5 guesses each, as in the attack.
    const guesses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => attempt(`guess-${i}`, { 'x-forwarded-for': `198.51.${Math.floor(i / 5) >> 8}.${Math.floor(i / 5) & 255}` })),
    );
    const checks = guesses.filter((r) => r.status === 401).length;
    expect(checks).toBeLessThanOrEqual(10);
    // A new browser (even with the right password) must wait like the strangers…
    const stranger = await attempt(ADMIN_PASSWORD, { 'x-forwarded-for': '10.0.0.2' });
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0);
    // …but the admin's own browser logs in at once.
    const admin = await attempt(ADMIN_PASSWORD, { ...office, cookie: device });
    expect(admin.status).toBe(200);
    // A device cookie made up or taken from another account proves nothing.
    const forged = await attempt(ADMIN_PASSWORD, { 'x-forwarded-for': '10.0.0.3', cookie: 'radacast_device=YWRtaW4.forged' });
    expect(forged.status).toBe(429);
  });

  it('keeps a bounded number of keys, however many addresses try', () => {
    const limiter = new LoginLimiter({ windowMs: 60_000, maxKeys: 1000 });
    for (let i = 0; i < 50_000; i += 1) limiter.charge([{ key: `ip:${i}`, max: 5 }], 1_000 + i);
    expect(limiter.size).toBe(1000);
    // The newest keys are the ones kept: a current attacker's count is not forgotten.
    expect(limiter.charge([{ key: 'ip:49999', max: 1 }], 60_000)).toBeGreaterThan(0);
  });
});
