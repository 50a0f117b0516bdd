// Starting `npm start`'s entry point for real: a bad setting stops it with a message naming the
// variable, and a first start without RADACAST_ADMIN_PASSWORD prints a random one exactly once.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, runToExit, spawnServer, waitForHealth } from '../support/childServer.ts';
import { tempDir } from '../support/testServer.ts';

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
