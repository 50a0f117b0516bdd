// The console's one /clerk connection follows whichever sitting is on screen: the shared
// LiveFeed connected to nothing, then to one sitting, then another, on the same socket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFeed, type FeedState } from '../../client/lib/LiveFeed.ts';
import { CLERK_NAMESPACE } from '../../protocol/socket.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;
let feed: LiveFeed | undefined;

beforeEach(async () => {
  t = await startTestServer({ demo: true });
});

afterEach(async () => {
  feed?.close();
  await t.close();
});

function follow(cookie: string): { feed: LiveFeed; until: (p: (s: FeedState) => boolean) => Promise<FeedState> } {
  const waiters: { p: (s: FeedState) => boolean; resolve: (s: FeedState) => void }[] = [];
  const f = new LiveFeed(null, {
    url: t.url,
    namespace: CLERK_NAMESPACE,
    socketOptions: { transports: ['websocket'], extraHeaders: { cookie } },
    onChange: (state) => {
      for (const w of [...waiters]) if (w.p(state)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(state);
    },
  });
  const until = (p: (s: FeedState) => boolean) =>
    p(f.state) ? Promise.resolve(f.state) : new Promise<FeedState>((resolve) => waiters.push({ p, resolve }));
  return { feed: f, until };
}

describe('a console following sittings on one connection', () => {
  it('connects following nothing, then follows one sitting and another, with their updates only', async () => {
    const created = await t.command({
      type: 'sitting.create',
      sitting: { id: 'committee-1', bodyId: 'budget-committee', title: 'Комісія', room: 'committee-room', scheduledAt: '2026-12-11T10:00:00+02:00' },
    });
    expect(created.answer.ok).toBe(true);
    const { feed: f, until } = follow(await t.login());
    feed = f;
    await until((s) => s.connected);
    expect(f.state.view).toBeNull();

    f.follow({ sittingId: DEMO_SITTING });
    await until((s) => s.view?.id === DEMO_SITTING);
    await t.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
    await until((s) => s.view?.status === 'live');

    f.follow({ sittingId: 'committee-1' });
    await until((s) => s.view?.id === 'committee-1');
    // The sitting left behind no longer reaches this view.
    await t.command({ type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd01', present: true });
    await t.command({ type: 'attendance.set', sittingId: 'committee-1', memberId: 'd36', present: true });
    const after = await until((s) => s.view?.attendance.present.length === 1);
    expect(after.view).toEqual(await t.sitting('committee-1'));

    f.follow(null);
    await until((s) => s.view === null);
    expect(f.state.connected).toBe(true);
  });
});
