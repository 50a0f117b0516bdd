// GET /api/sittings/:id/log (issue 12): cheap for an unauthenticated caller to ask again — an
// ETag from the head hash (304 while nothing changed), pages of `?after=<seq>&limit=<n>` — and
// it no longer names the staff accounts behind each event (admins still see them).
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../protocol/answers.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Log {
  head: { seq: number; hash: string };
  verified: boolean;
  events: LogEntry[];
  next: number | null;
}

const logUrl = (query = '') => `${t!.url}/api/sittings/${DEMO_SITTING}/log${query}`;

describe('the public log', () => {
  it('pages with after/limit and answers 304 to an unchanged head', async () => {
    t = await startTestServer({ demo: true });
    for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' })) {
      expect((await t.command(command)).status).toBe(200);
    }
    const whole = await fetch(logUrl());
    const all = (await whole.json()) as Log;
    expect(all.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all).toMatchObject({ verified: true, next: null });

    const first = (await (await fetch(logUrl('?limit=2'))).json()) as Log;
    expect(first.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(first.next).toBe(2);
    const second = (await (await fetch(logUrl(`?after=${first.next}&limit=2`))).json()) as Log;
    expect(second.events.map((e) => e.seq)).toEqual([3, 4]);
    const last = (await (await fetch(logUrl(`?after=${second.next}&limit=2`))).json()) as Log;
    expect(last.events.map((e) => e.seq)).toEqual([5]);
    expect(last.next).toBeNull();
    expect((await fetch(logUrl('?limit=0'))).status).toBe(400);
    expect((await fetch(logUrl('?after=-1'))).status).toBe(400);

    const etag = whole.headers.get('etag')!;
    expect(etag).toContain(all.head.hash);
    const again = await fetch(logUrl(), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // A new event changes the head, so the same tag now gets the whole answer.
    await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'for' });
    const changed = await fetch(logUrl(), { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as Log).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('says "clerk" and "integration" instead of account names, except to an admin', async () => {
    t = await startTestServer({ demo: true });
    const admin = await t.login();
    const made = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ name: 'evs-hall', role: 'clerk' }),
    });
    const { token } = (await made.json()) as { token: string };
    await t.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
    const viaToken = await fetch(`${t.url}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd01', present: true }),
    });
    expect(viaToken.status).toBe(200);

    const text = await (await fetch(logUrl())).text();
    const actors = ((JSON.parse(text) as Log).events).map((e) => e.actor);
    expect(actors).toEqual(['system', 'clerk', 'integration']);
    expect(text).not.toContain('admin');
    expect(text).not.toContain('evs-hall');

    const named = (await (await fetch(logUrl(), { headers: { cookie: admin } })).json()) as Log;
    expect(named.events.map((e) => e.actor)).toEqual(['system:demo', 'admin', 'token:evs-hall']);
  });
});
