// Logging in and out, roles, API tokens and the first admin account, over a real socket.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; bearer?: string } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const res = await fetch(`${server!.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

const open = { type: 'sitting.open', sittingId: DEMO_SITTING };

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and says who is logged in', async () => {
    server = await startTestServer({ demo: true });
    const res = await call('POST', '/api/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.status).toBe(200);
    // The login also says how long it lasts, so the console can renew it in time.
    expect(res.json).toEqual({ ok: true, user: { username: 'admin', role: 'admin' }, expiresAt: expect.any(Number), ttlSeconds: 12 * 60 * 60 });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^radacast_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    const cookie = setCookie.split(';')[0]!;
    expect((await call('GET', '/api/session', { cookie })).json.user).toEqual({ username: 'admin', role: 'admin' });
  });

  it('logging out invalidates the cookie on the server, not just in the browser', async () => {
    server = await startTestServer({ demo: true });
    const cookie = await server.login();
    const out = await call('DELETE', '/api/session', { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^radacast_session=;.*Expires=Thu, 01 Jan 1970/);
    // A copy of the old cookie is worthless now.
    expect((await call('GET', '/api/session', { cookie })).status).toBe(401);
    const refused = await call('POST', '/api/commands', { body: open, cookie });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe('unauthorized');
  });

  it('refuses a wrong password and rate-limits repeated failures with 429', async () => {
    server = await startTestServer({ demo: true });
    for (let i = 0; i < 5; i += 1) {
      const wrong = await call('POST', '/api/session', { body: { username: 'admin', password: `guess-${i}` } });
      expect(wrong.status).toBe(401);
      expect(wrong.json.error.code).toBe('unauthorized');
      expect(wrong.headers.get('set-cookie')).toBeNull();
    }
    const limited = await call('POST', '/api/session', { body: { username: 'admin', password: 'guess-6' } });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'rate-limited', messages: { en: 'Too many attempts. Try again later.' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // While limited even the right password is not checked: guessing gains nothing.
    const right = await call('POST', '/api/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
  });
});

describe('roles', () => {
  it('a clerk runs the sitting but cannot create users or tokens', async () => {
    server = await startTestServer({ demo: true });
    const admin = await server.login();
    const created = await call('POST', '/api/users', { cookie: admin, body: { username: 'clerk1', password: 'clerk-password-1' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ ok: true, user: { username: 'clerk1', role: 'clerk' } });

    const clerk = await server.login('clerk1', 'clerk-password-1');
    const command = await call('POST', '/api/commands', { cookie: clerk, body: open });
    expect(command.status).toBe(200);
    expect(command.json.events[0].actor).toBe('clerk1');

    const user = await call('POST', '/api/users', { cookie: clerk, body: { username: 'eve', password: 'eve-password-1', role: 'admin' } });
    expect(user.status).toBe(403);
    expect(user.json.error).toMatchObject({ code: 'forbidden', messages: { en: 'You are not allowed to do this.' } });
    expect((await call('POST', '/api/tokens', { cookie: clerk, body: { name: 'mine' } })).status).toBe(403);
    expect((await call('GET', '/api/users', { cookie: clerk })).status).toBe(403);
    const users = await call('GET', '/api/users', { cookie: admin });
    expect(users.json.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'clerk1']);
  });

  it("a new password or a deleted account ends the clerk's open sessions", async () => {
    server = await startTestServer({ demo: true });
    const admin = await server.login();
    await call('POST', '/api/users', { cookie: admin, body: { username: 'clerk1', password: 'clerk-password-1' } });
    const before = await server.login('clerk1', 'clerk-password-1');
    const reset = await call('PUT', '/api/users/clerk1/password', { cookie: admin, body: { password: 'clerk-password-2' } });
    expect(reset.status).toBe(200);
    expect((await call('POST', '/api/commands', { cookie: before, body: open })).status).toBe(401);
    expect((await call('POST', '/api/session', { body: { username: 'clerk1', password: 'clerk-password-1' } })).status).toBe(401);

    const after = await server.login('clerk1', 'clerk-password-2');
    expect((await call('DELETE', '/api/users/clerk1', { cookie: admin })).status).toBe(200);
    expect((await call('POST', '/api/commands', { cookie: after, body: open })).status).toBe(401);
    // The admin cannot delete the account they are using.
    expect((await call('DELETE', '/api/users/admin', { cookie: admin })).status).toBe(403);
  });

  it('a bad new user gets 400 with the issues', async () => {
    server = await startTestServer();
    const admin = await server.login();
    const res = await call('POST', '/api/users', { cookie: admin, body: { username: 'a b', password: 'short' } });
    expect(res.status).toBe(400);
    expect(res.json.error.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['password', 'username']);
  });
});

describe('API tokens', () => {
  it('a token created by the admin sends commands until it is revoked', async () => {
    server = await startTestServer({ demo: true });
    const admin = await server.login();
    const created = await call('POST', '/api/tokens', { cookie: admin, body: { name: 'voting-system' } });
    expect(created.status).toBe(201);
    const { token, info } = created.json as { token: string; info: { id: string } };
    expect(token).toMatch(/^rdc_/);

    const accepted = await call('POST', '/api/commands', { bearer: token, body: open });
    expect(accepted.status).toBe(200);
    expect(accepted.json.events[0].actor).toBe('token:voting-system');

    // The list shows the token's metadata, never the token or its hash.
    const list = await call('GET', '/api/tokens', { cookie: admin });
    expect(list.json.tokens).toEqual([expect.objectContaining({ id: info.id, name: 'voting-system', revokedAt: null })]);
    expect(JSON.stringify(list.json)).not.toContain(token);
    expect(list.json.tokens[0]).not.toHaveProperty('tokenHash');

    expect((await call('DELETE', `/api/tokens/${info.id}`, { cookie: admin })).status).toBe(200);
    const refused = await call('POST', '/api/commands', {
      bearer: token,
      body: { type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd01', present: true },
    });
    expect(refused.status).toBe(401);
    expect((await server.sitting(DEMO_SITTING)).attendance.present).toEqual([]);
    expect((await call('DELETE', `/api/tokens/${info.id}`, { cookie: admin })).status).toBe(404);
  });

  it('a made-up bearer token is refused', async () => {
    server = await startTestServer({ demo: true });
    const res = await call('POST', '/api/commands', { bearer: 'rdc_made-up', body: open });
    expect(res.status).toBe(401);
  });
});

describe('the first admin account', () => {
  it('takes its password from RADACAST_ADMIN_PASSWORD on the first start only', async () => {
    const dataDir = tempDir();
    server = await startTestServer({ dataDir, adminPassword: 'first-start-password' });
    await server.login('admin', 'first-start-password');
    await server.close({ keepData: true });

    // A later start with another password does not reset the account.
    server = await startTestServer({ dataDir, adminPassword: 'second-start-password' });
    await server.login('admin', 'first-start-password');
    const res = await call('POST', '/api/session', { body: { username: 'admin', password: 'second-start-password' } });
    expect(res.status).toBe(401);
  });
});
