// Starting `npm start`'s entry point for real: a bad setting stops it with a message naming the
// variable, a first start without RADACAST_ADMIN_PASSWORD prints a random one exactly once, and
// a record that fails verification is served read-only instead of taking the service down.
import { rmSync } from 'node:fs';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { breakRecord } from '../support/brokenRecord.ts';
import { freePort, runToExit, spawnServer, waitForHealth } from '../support/childServer.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { ADMIN_PASSWORD, startTestServer, tempDir } from '../support/testServer.ts';

describe('configuration at start', () => {
  it.each([
    { name: 'PORT', value: 'abc' },
    { name: 'PORT', value: '70000' },
    // Number() would read these as 0 (a random port) and 80.
    { name: 'PORT', value: '' },
    { name: 'PORT', value: '0x50' },
    { name: 'RADACAST_SQLITE_SYNCHRONOUS', value: 'sometimes' },
    { name: 'RADACAST_ADMIN_PASSWORD', value: 'short' },
    { name: 'RADACAST_DEMO', value: 'yes' },
    { name: 'RADACAST_BODY_LIMIT', value: 'lots' },
  ])('$name=$value stops the server with a message naming it', async ({ name, value }) => {
    const dataDir = tempDir();
    try {
      const exit = await runToExit({ PORT: '0', HOST: '127.0.0.1', RADACAST_DATA_DIR: dataDir, [name]: value });
      expect(exit.code).toBe(1);
      expect(exit.stderr).toMatch(new RegExp(`^radacast: invalid configuration: .*\\b${name}: `));
      expect(exit.stderr).not.toMatch(/\n\s+at /);
      expect(exit.stdout).not.toContain('radacast ready');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the first admin password', () => {
  it('is printed once when RADACAST_ADMIN_PASSWORD is not set, and works', async () => {
    const dataDir = tempDir();
    const env = { HOST: '127.0.0.1', RADACAST_DATA_DIR: dataDir, RADACAST_LOG_LEVEL: 'warn' };
    try {
      let port = await freePort();
      let child = spawnServer({ ...env, PORT: String(port) });
      await waitForHealth(`http://127.0.0.1:${port}`, child);
      const printed = /user "admin", password: (\S+)/.exec(child.stdout());
      expect(printed).not.toBeNull();
      const password = printed![1]!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const login = await fetch(`http://127.0.0.1:${port}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      child.child.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: 0, signal: null });

      // The second start keeps the account and prints nothing.
      port = await freePort();
      child = spawnServer({ ...env, PORT: String(port) });
      await waitForHealth(`http://127.0.0.1:${port}`, child);
      child.child.kill('SIGTERM');
      await child.exited;
      expect(child.stdout()).not.toContain('password');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a record that fails verification at start-up', () => {
  it('is served read-only with the alarm on /api/health, every command refused, logins working', { timeout: 60_000 }, async () => {
    const setUp = await startTestServer({ demo: true });
    const { dataDir } = setUp;
    await setUp.close({ keepData: true });
    breakRecord(dataDir);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnServer({ PORT: String(port), HOST: '127.0.0.1', RADACAST_DATA_DIR: dataDir, RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD, RADACAST_LOG_LEVEL: 'silent' });
    const client = new JsonClient(url);
    try {
      await waitForHealth(url, child);
      expect(child.stderr()).toMatch(/the log failed verification: .*\[stream:room\/plenary, seq:1\]/);
      expect(child.stderr()).toContain('READ-ONLY');
      const health = await client.get<{ status: string; integrity: { ok: boolean; faults: string[] } }>('/api/health');
      expect(health.body).toMatchObject({ status: 'read-only', integrity: { ok: false, faults: [expect.stringContaining('room/plenary')] } });

      // Reads work; the published record is still there.
      const sitting = await client.get<{ seq: number }>('/api/sittings/demo-plenary');
      expect(sitting.status).toBe(200);
      // Logging in needs no write the read-only record would refuse; every command is refused.
      await client.login('admin', ADMIN_PASSWORD);
      const refused = await client.post<{ ok: boolean; error: { code: string } }>('/api/commands', { type: 'sitting.open', sittingId: 'demo-plenary' });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('read-only');
      const socket = io(`${url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: (await loginCookie(url)) } });
      try {
        const answer = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
          socket.emit('command', { type: 'sitting.open', sittingId: 'demo-plenary' }, resolve),
        );
        expect(answer).toMatchObject({ ok: false, error: { code: 'read-only' } });
      } finally {
        socket.close();
      }
      expect((await client.get<{ seq: number }>('/api/sittings/demo-plenary')).body.seq).toBe(sitting.body.seq);
    } finally {
      client.close();
      child.child.kill('SIGTERM');
      await child.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function loginCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
