// The audit trail as an admin reads it: every administrative action appears with who did it
// and to what, filters work, a secret never appears (not even in the database's bytes), clerks
// cannot read it, and an edited entry breaks the chain.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { verifyDatabaseFile } from '../../server/ops/backup.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

interface Entry {
  seq: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

describe('audit trail', () => {
  let t: TestServer;
  let admin: string;
  const secrets: string[] = [];

  async function call(method: string, path: string, body?: unknown, cookie = admin): Promise<Response> {
    return fetch(`${t.url}${path}`, {
      method,
      headers: { cookie, 'x-requested-with': 'test', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  async function trail(query = ''): Promise<{ verified: boolean; entries: Entry[] }> {
    const res = await call('GET', `/api/audit${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { verified: boolean; entries: Entry[] };
  }

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    admin = await t.login();
    const password = 'clerk-password-123';
    secrets.push(password, 'clerk-password-456');
    expect((await call('POST', '/api/users', { username: 'olena', password, role: 'clerk' })).status).toBe(201);
    expect((await call('PUT', '/api/users/olena/password', { password: secrets[1] })).status).toBe(200);
    const token = (await (await call('POST', '/api/tokens', { name: 'voting system', role: 'clerk' })).json()) as { token: string; info: { id: string } };
    secrets.push(token.token);
    expect((await call('DELETE', `/api/tokens/${token.info.id}`)).status).toBe(200);
    const rotated = (await (await call('POST', '/api/rooms/plenary/stream-key/rotate', {})).json()) as { rtmp: { key: string } };
    secrets.push(rotated.rtmp.key);
    expect((await call('DELETE', '/api/users/olena')).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every administrative action, newest first, with who did it and to what', async () => {
    const { verified, entries } = await trail();
    expect(verified).toBe(true);
    expect(entries.map((e) => [e.action, e.actor, e.target.length > 0])).toEqual([
      ['user.deleted', 'admin', true],
      ['stream-key.rotated', 'admin', true],
      ['token.revoked', 'admin', true],
      ['token.issued', 'admin', true],
      ['user.password-reset', 'admin', true],
      ['user.created', 'admin', true],
    ]);
    expect(entries.find((e) => e.action === 'user.created')).toMatchObject({ target: 'olena', details: { role: 'clerk' } });
  });

  it('filters by action and pages with ?before', async () => {
    const { entries } = await trail('?action=token.issued');
    expect(entries.map((e) => e.action)).toEqual(['token.issued']);
    const page = await trail('?limit=2');
    const next = await trail(`?limit=2&before=${page.entries.at(-1)!.seq}`);
    expect(next.entries.map((e) => e.action)).toEqual(['token.revoked', 'token.issued']);
    expect((await call('GET', '/api/audit?action=nonsense')).status).toBe(400);
  });

  it('never holds a secret, not even in the database file', async () => {
    expect(secrets).toHaveLength(4);
    const text = JSON.stringify((await trail()).entries);
    const db = new Database(join(t.dataDir, DATABASE_FILE), { readonly: true });
    const rows = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    db.close();
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(rows).not.toContain(secret);
    }
  });

  it('is for admins only', async () => {
    expect((await fetch(`${t.url}/api/audit`)).status).toBe(401);
    expect((await call('POST', '/api/users', { username: 'taras', password: 'clerk-password-789', role: 'clerk' })).status).toBe(201);
    const clerk = await t.login('taras', 'clerk-password-789');
    expect((await call('GET', '/api/audit', undefined, clerk)).status).toBe(403);
  });

  it('an edited entry breaks the chain: the trail says so and a backup of it is refused', async () => {
    const db = new Database(join(t.dataDir, DATABASE_FILE));
    db.prepare("UPDATE audit SET actor = 'nobody' WHERE seq = 1").run();
    db.close();
    expect((await trail()).verified).toBe(false);
    const { faults } = verifyDatabaseFile(join(t.dataDir, DATABASE_FILE));
    expect(faults).toEqual([{ kind: 'bad-hash', stream: 'admin', seq: 1 }]);
    expect(readFileSync(join(t.dataDir, DATABASE_FILE)).length).toBeGreaterThan(0);
  });
});

describe('failed logins in the audit trail', () => {
  it('one entry when a username reaches ten failures, however many addresses they came from', async () => {
    const t = await startTestServer({ trustProxy: true });
    try {
      // Logged in before the guessing starts (afterwards a new browser has to wait its turn).
      const cookie = await t.login();
      const guess = 'not-the-password-1';
      for (let i = 1; i <= 12; i += 1) {
        const res = await fetch(`${t.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
          body: JSON.stringify({ username: 'admin', password: guess }),
        });
        expect([401, 429]).toContain(res.status);
      }
      const res = await fetch(`${t.url}/api/audit?action=login.failures`, { headers: { cookie } });
      const { entries } = (await res.json()) as { entries: Entry[] };
      expect(entries.map((e) => [e.actor, e.target, e.details])).toEqual([['system', 'admin', { failures: 10, withinMinutes: 15 }]]);
      expect(JSON.stringify(entries)).not.toContain(guess);
    } finally {
      await t.close();
    }
  });
});
