// Alive versus ready, as a load balancer or systemd asks: alive while the process answers;
// ready only while the record verified at start-up and the database takes a write now.
import { afterEach, describe, expect, it } from 'vitest';
import { breakRecord } from '../support/brokenRecord.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const status = async (url: string) => {
  const res = await fetch(url);
  return { code: res.status, body: (await res.json()) as { status: string } };
};

describe('health', () => {
  it('is alive and ready on a sound record', async () => {
    t = await startTestServer({ demo: true });
    expect(await status(`${t.url}/api/health/live`)).toEqual({ code: 200, body: { ok: true, status: 'alive' } });
    expect(await status(`${t.url}/api/health/ready`)).toMatchObject({ code: 200, body: { status: 'ready' } });
  });

  it('is not ready while the database refuses writes (as on a full disk), and ready again after', async () => {
    t = await startTestServer({ demo: true });
    t.server.database.pragma('query_only = ON');
    expect(await status(`${t.url}/api/health/ready`)).toMatchObject({ code: 503, body: { status: 'not-writable' } });
    expect((await status(`${t.url}/api/health/live`)).code).toBe(200);
    t.server.database.pragma('query_only = OFF');
    expect((await status(`${t.url}/api/health/ready`)).code).toBe(200);
  });

  it('is alive but not ready when the record failed verification at start-up', async () => {
    const dataDir = tempDir();
    t = await startTestServer({ demo: true, dataDir });
    await t.close({ keepData: true });
    breakRecord(dataDir);
    t = await startTestServer({ dataDir });
    expect((await status(`${t.url}/api/health/live`)).code).toBe(200);
    expect(await status(`${t.url}/api/health/ready`)).toMatchObject({ code: 503, body: { status: 'read-only' } });
  });
});
