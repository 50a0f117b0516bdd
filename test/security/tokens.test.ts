// Tokens outlive their owner no more (issue 12): an API token works only while the admin who
// made it exists and still holds the token's role, and a revoked token's socket is closed at
// once instead of receiving updates until its next command.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function api(method: string, path: string, auth: { cookie?: string; bearer?: string }, body?: unknown): Promise<number> {
  const res = await fetch(`${t!.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.status;
}

async function tokenOf(cookie: string, role: 'admin' | 'clerk'): Promise<{ token: string; id: string }> {
  const res = await fetch(`${t!.url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: `${role}-token`, role }),
  });
  const json = (await res.json()) as { token: string; info: { id: string } };
  return { token: json.token, id: json.info.id };
}

const newUser = (n: number) => ({ username: `admin${n}`, password: 'another-admin-pass', role: 'admin' });

describe('API tokens', () => {
  it("stop working when their creator is deleted or demoted", async () => {
    t = await startTestServer({ demo: true });
    const root = await t.login();
    expect(await api('POST', '/api/users', { cookie: root }, newUser(2))).toBe(201);
    expect(await api('POST', '/api/users', { cookie: root }, newUser(3))).toBe(201);

    // admin2 makes an admin token, then leaves; the token must not create admins any more.
    const admin2 = await t.login('admin2', 'another-admin-pass');
    const { token: orphan } = await tokenOf(admin2, 'admin');
    expect(await api('GET', '/api/users', { bearer: orphan })).toBe(200);
    expect(await api('DELETE', '/api/users/admin2', { cookie: root })).toBe(200);
    expect(await api('POST', '/api/users', { bearer: orphan }, newUser(4))).toBe(401);
    expect(await api('POST', '/api/commands', { bearer: orphan }, { type: 'sitting.open', sittingId: DEMO_SITTING })).toBe(401);

    // admin3 makes an admin and a clerk token and is demoted to clerk (by whoever edits the
    // accounts): the admin token dies, the clerk token keeps working.
    const admin3 = await t.login('admin3', 'another-admin-pass');
    const { token: adminToken } = await tokenOf(admin3, 'admin');
    const { token: clerkToken } = await tokenOf(admin3, 'clerk');
    const db = new Database(join(t.dataDir, 'radacast.db'));
    db.prepare("UPDATE users SET role = 'clerk' WHERE username = 'admin3'").run();
    db.close();
    expect(await api('GET', '/api/users', { bearer: adminToken })).toBe(401);
    expect(await api('POST', '/api/commands', { bearer: clerkToken }, { type: 'sitting.open', sittingId: DEMO_SITTING })).toBe(200);
  });

  it("close the socket of a revoked token at once", async () => {
    t = await startTestServer({ demo: true });
    const root = await t.login();
    const { token, id } = await tokenOf(root, 'clerk');
    const s = io(`${t.url}/clerk`, { transports: ['websocket'], reconnection: false, auth: { token } });
    try {
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      await new Promise((resolve) => s.emit('subscribe', { sittingId: DEMO_SITTING }, resolve));
      const updates: unknown[] = [];
      s.on('update', (u) => updates.push(u));
      const closed = new Promise((resolve) => s.once('disconnect', resolve));
      expect(await api('DELETE', `/api/tokens/${id}`, { cookie: root })).toBe(200);
      expect(await closed).toBe('io server disconnect');
      await t.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
      expect(updates).toEqual([]);
    } finally {
      s.close();
    }
  });
});
