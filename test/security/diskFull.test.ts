// Nobody is locked out while the disk is full (issue 12): a login needs no write that can fail.
// The database is made full the way SQLite sees a full disk (PRAGMA max_page_count, every page
// used): the session then lives in memory for this run, and the console works with it.
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Fills every page the database may have, as a full disk would; returns how to free it. */
function fillDatabase(t: TestServer): () => void {
  const db = t.server.database;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  const filler = db.prepare("INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, 'admin', 9e15)");
  // Rows shaped like real sessions (random 64-hex keys), until no page anywhere takes one more.
  for (let misses = 0; misses < 200; ) {
    try {
      filler.run(randomBytes(32).toString('hex'));
      misses = 0;
    } catch (err) {
      expect((err as { code?: string }).code).toBe('SQLITE_FULL');
      misses += 1;
    }
  }
  return () => db.pragma('max_page_count = 1073741823');
}

describe('a full disk', () => {
  it('does not stop anyone from logging in, using the console and logging out', async () => {
    t = await startTestServer({ demo: true });
    const free = fillDatabase(t);
    try {
      const cookie = await t.login();
      const who = await fetch(`${t.url}/api/session`, { headers: { cookie } });
      expect(await who.json()).toMatchObject({ ok: true, user: { username: 'admin', role: 'admin' } });

      // The console's socket accepts the session.
      const s = io(`${t.url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        });
      } finally {
        s.close();
      }

      // Logging out still ends the session, although the database cannot delete anything.
      await fetch(`${t.url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-requested-with': 'test' } });
      expect((await fetch(`${t.url}/api/session`, { headers: { cookie } })).status).toBe(401);
    } finally {
      free();
    }
    // Space again: sessions are written as usual, and commands work.
    const cookie = await t.login();
    expect((await t.command({ type: 'sitting.open', sittingId: DEMO_SITTING }, cookie)).status).toBe(200);
  });
});
