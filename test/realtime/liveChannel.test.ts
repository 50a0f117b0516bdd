// The public `/live` channel against a real server: snapshot then ordered updates, exact
// catch-up after a dropped connection, rooms following their live sitting, read-only-ness,
// limits, and resync after a server restart.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { applyUpdate, fromSeqOf } from '../../protocol/livePatch.ts';
import type { RoomState, SittingUpdate, SubscribeAnswer } from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';
import { decodeSnapshot, LiveFeed, type FeedState } from '../../client/lib/LiveFeed.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;
const sockets: Socket[] = [];
const feeds: LiveFeed[] = [];

function connect(url: string, nsp = '/live', options: Parameters<typeof io>[1] = {}): Socket {
  const s = io(`${url}${nsp}`, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200, ...options });
  sockets.push(s);
  return s;
}

function feed(target: ConstructorParameters<typeof LiveFeed>[0], url = t.url): { feed: LiveFeed; until: (p: (s: FeedState) => boolean) => Promise<FeedState> } {
  const waiters: { p: (s: FeedState) => boolean; resolve: (s: FeedState) => void }[] = [];
  const f = new LiveFeed(target, {
    url,
    socketOptions: { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 },
    onChange: (state) => {
      for (const w of [...waiters]) if (w.p(state)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(state);
    },
  });
  feeds.push(f);
  const until = (p: (s: FeedState) => boolean) =>
    p(f.state) ? Promise.resolve(f.state) : new Promise<FeedState>((resolve) => waiters.push({ p, resolve }));
  return { feed: f, until };
}

const subscribe = (s: Socket, request: unknown) =>
  new Promise<SubscribeAnswer>((resolve) => s.emit('subscribe', request, resolve));

async function run(commands: Parameters<TestServer['command']>[0][]): Promise<void> {
  for (const c of commands) {
    const { answer } = await t.command(c);
    expect(answer, JSON.stringify(c)).toMatchObject({ ok: true });
  }
}

const present = DEPUTIES.slice(0, 30);
const cast = (memberId: string, choice: string) => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice });

beforeEach(async () => {
  t = await startTestServer({ demo: true });
});

afterEach(async () => {
  for (const f of feeds.splice(0)) f.close();
  for (const s of sockets.splice(0)) s.close();
  await t.close();
});

describe('/live', () => {
  it('answers a subscription with a snapshot, then ordered updates that rebuild the public view', async () => {
    const { until } = feed({ sittingId: DEMO_SITTING });
    const first = await until((s) => s.view !== null);
    expect(first.view).toEqual(await t.sitting(DEMO_SITTING));

    const seen: SittingUpdate[] = [];
    const raw = connect(t.url);
    raw.on('update', (u: SittingUpdate) => seen.push(u));
    await subscribe(raw, { sittingId: DEMO_SITTING });

    await run([...liveVoteCommands({ present, voteId: 'v1' }), cast('d01', 'for'), cast('d02', 'against'), cast('d03', 'abstain')]);
    const final = await t.sitting(DEMO_SITTING);
    const state = await until((s) => s.view?.seq === final.seq);
    expect(state.view).toEqual(final);
    expect(state.view?.votes[0]?.counts).toMatchObject({ for: 1, against: 1, abstain: 1, notVoting: 0, pending: 27 });

    await until(() => seen.length === 7);
    expect(seen.map((u) => u.seq)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const [i, u] of seen.entries()) {
      expect(fromSeqOf(u)).toBe(i === 0 ? 1 : seen[i - 1]!.seq);
    }
  });

  it('keeps every resident’s order when votes come faster than it is written to, even one that subscribes mid-stream', async () => {
    await run(liveVoteCommands({ present, voteId: 'v1' }));
    // What each resident saw, in arrival order: its answer's seq, then each update's.
    const residents = Array.from({ length: 6 }, () => ({ socket: connect(t.url), log: [] as string[] }));
    for (const r of residents) r.socket.on('update', (u: SittingUpdate) => r.log.push(`update ${fromSeqOf(u)}→${u.seq}`));
    // Logged in the ack itself: an `await` would let an update in the same read go first.
    const subscribeAll = (group: typeof residents) =>
      Promise.all(
        group.map(
          (r) =>
            new Promise<void>((resolve) =>
              r.socket.emit('subscribe', { sittingId: DEMO_SITTING }, (a: SubscribeAnswer) => {
                r.log.push(`answer ${a.ok ? a.seq : '?'}`);
                resolve();
              }),
            ),
        ),
      );
    await subscribeAll(residents.slice(0, 3));
    // 30 votes sent at once (the server commits them one by one); the others subscribe among them.
    const votes = present.map((m, i) => t.command(cast(m, i % 2 ? 'for' : 'against')));
    await subscribeAll(residents.slice(3));
    await Promise.all(votes);
    const last = (await t.sitting(DEMO_SITTING)).seq;
    for (const r of residents) {
      await vi.waitUntil(() => r.log.at(-1)?.endsWith(`→${last}`), { timeout: 10_000 });
      const [answer, ...updates] = r.log;
      let seq = Number(answer?.replace('answer ', ''));
      expect(answer).toMatch(/^answer \d+$/);
      for (const u of updates) {
        expect(u).toBe(`update ${seq}→${seq + 1}`);
        seq += 1;
      }
    }
  });

  it('gives a reconnecting client exactly the updates it missed, or a snapshot when that is shorter', async () => {
    const s = connect(t.url);
    const first = await subscribe(s, { sittingId: DEMO_SITTING });
    if (!first.ok || first.catchup.kind !== 'snapshot') throw new Error('expected a snapshot');
    let held: SittingView = decodeSnapshot(first.catchup.encoded);
    await run(liveVoteCommands({ present, voteId: 'v1' }));
    held = await t.sitting(DEMO_SITTING);
    s.disconnect();

    await run([cast('d01', 'for'), cast('d02', 'for'), cast('d03', 'against')]);
    s.connect();
    const again = await subscribe(s, { sittingId: DEMO_SITTING, since: { sittingId: DEMO_SITTING, seq: held.seq } });
    if (!again.ok || again.catchup.kind !== 'updates') throw new Error(`expected updates, got ${JSON.stringify(again).slice(0, 200)}`);
    expect(again.catchup.updates.map((u) => u.seq)).toEqual([held.seq + 1, held.seq + 2, held.seq + 3]);
    const rebuilt = again.catchup.updates.reduce((v, u) => applyUpdate(v, u), held);
    expect(rebuilt).toEqual(await t.sitting(DEMO_SITTING));

    // The changes since the first snapshot are still shorter than a snapshot (each is a small
    // patch); a client older than the kept updates gets one fresh snapshot instead.
    const old = decodeSnapshot(first.catchup.encoded);
    const fromStart = await subscribe(s, { sittingId: DEMO_SITTING, since: { sittingId: DEMO_SITTING, seq: old.seq } });
    if (!fromStart.ok || fromStart.catchup.kind !== 'updates') throw new Error('expected updates');
    expect(fromStart.catchup.updates.reduce((v, u) => applyUpdate(v, u), old)).toEqual(rebuilt);
    const tooOld = await subscribe(s, { sittingId: DEMO_SITTING, since: { sittingId: DEMO_SITTING, seq: 0 } });
    if (!tooOld.ok || tooOld.catchup.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect(decodeSnapshot(tooOld.catchup.encoded)).toEqual(rebuilt);
    const upToDate = await subscribe(s, { sittingId: DEMO_SITTING, since: { sittingId: DEMO_SITTING, seq: rebuilt.seq } });
    expect(upToDate).toMatchObject({ ok: true, catchup: { kind: 'none' } });
  });

  it('moves the followers of a room to the sitting that opens there', async () => {
    await run([
      {
        type: 'sitting.create',
        sitting: { id: 'later', bodyId: 'council', title: 'Позачергове засідання', room: 'plenary', scheduledAt: '2026-12-20T10:00:00+02:00' },
      },
    ]);
    const { until } = feed({ room: 'plenary' });
    const first = await until((s) => s.view !== null);
    expect(first.view?.id).toBe(DEMO_SITTING); // the next scheduled one
    expect(first.room).toMatchObject({ room: 'plenary', sittingId: DEMO_SITTING, onAir: { scene: 'auto' } });

    await run([{ type: 'sitting.open', sittingId: 'later' }]);
    const moved = await until((s) => s.view?.id === 'later' && s.view.status === 'live');
    expect(moved.room?.sittingId).toBe('later');
    await run([{ type: 'attendance.set', sittingId: 'later', memberIds: present, present: true }]);
    const registered = await until((s) => s.view?.attendance.present.length === 30);
    expect(registered.view).toEqual(await t.sitting('later'));
  });

  it('relays the on-air scene chosen on the clerk side to the room, logged like any command', async () => {
    const s = connect(t.url);
    const rooms: RoomState[] = [];
    s.on('room', (r: RoomState) => rooms.push(r));
    await subscribe(s, { room: 'plenary' });
    const next = new Promise<RoomState>((resolve) => s.once('room', resolve));
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    const { answer } = await t.command({ type: 'overlay.scene', room: 'plenary', scene: 'break', breakText: 'Перерва 15 хвилин', breakUntil: until });
    expect(answer.ok).toBe(true);
    const state = await next;
    expect(state.onAir).toEqual({ scene: 'break', breakText: 'Перерва 15 хвилин', breakUntil: until, resultHoldSeconds: 15, preview: null });
    expect(t.server.record.log('room/plenary').map((e) => e.event.type)).toEqual(['onair.changed']);
    const unknownScene: Record<string, unknown> = { type: 'overlay.scene', room: 'plenary', scene: 'fireworks' };
    const bad = await t.command(unknownScene);
    expect(bad.status).toBe(400);
    expect(t.server.record.onAir('plenary').scene).toBe('break');
  });

  it('is read-only: no event name lets a public client change anything', async () => {
    await run(liveVoteCommands({ present, voteId: 'v1' }));
    const before = await t.sitting(DEMO_SITTING);
    const s = connect(t.url);
    await subscribe(s, { sittingId: DEMO_SITTING });
    for (const name of ['command', 'vote.cast', 'execute', 'commands', 'update', 'room']) {
      const answer = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
        s.emit(name, cast('d01', 'for'), resolve),
      );
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await t.sitting(DEMO_SITTING)).toEqual(before);
  });

  it('refuses malformed and oversized subscriptions with an error ack', async () => {
    const s = connect(t.url);
    await expect(subscribe(s, { room: 'plenary', sittingId: DEMO_SITTING })).resolves.toMatchObject({ ok: false, error: { code: 'invalid' } });
    await expect(subscribe(s, 'plenary')).resolves.toMatchObject({ ok: false, error: { code: 'invalid' } });
    await expect(subscribe(s, { room: 'nowhere' })).resolves.toMatchObject({ ok: false, error: { code: 'not-found' } });
    await expect(subscribe(s, { room: 'x'.repeat(100_000) })).resolves.toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
    await expect(subscribe(s, { sittingId: DEMO_SITTING })).resolves.toMatchObject({ ok: true });
  });

  it('keeps delivering updates to others while one client floods bad events, and drops the flooder', async () => {
    await run(liveVoteCommands({ present, voteId: 'v1' }));
    const flooder = connect(t.url, '/live', { reconnection: false });
    const listener = connect(t.url);
    await subscribe(flooder, { sittingId: DEMO_SITTING });
    await subscribe(listener, { sittingId: DEMO_SITTING });

    const codes = new Map<string, number>();
    const dropped = new Promise<void>((resolve) => flooder.once('disconnect', () => resolve()));
    for (let i = 0; i < 20_000; i++) {
      flooder.emit('subscribe', { bogus: i }, (a: SubscribeAnswer) => {
        if (!a.ok) codes.set(a.error.code, (codes.get(a.error.code) ?? 0) + 1);
      });
    }
    const arrived = new Promise<{ update: SittingUpdate; at: number }>((resolve) =>
      listener.once('update', (update: SittingUpdate) => resolve({ update, at: Date.now() })),
    );
    await run([cast('d05', 'for')]);
    const acknowledged = Date.now();
    const { update, at } = await arrived;
    // From the clerk's acknowledgement to the listener: the flood must not hold it back.
    const latency = at - acknowledged;
    await dropped;
    // Every bad event answered with an error code until the server hung up on the flooder.
    expect(codes.get('rate-limited')).toBeGreaterThan(0);
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(200);
    expect(update.events[0]?.event).toMatchObject({ type: 'vote.cast', memberId: 'd05' });
    expect(latency).toBeLessThan(1000);
    expect(listener.connected).toBe(true);
  });

  it('caps the connections one address may hold', async () => {
    await t.close();
    t = await startTestServer({ demo: true, liveMaxPerAddress: 3 });
    const ok = await Promise.all([0, 1, 2].map(() => new Promise<boolean>((resolve) => {
      const s = connect(t.url, '/live', { reconnection: false });
      s.once('connect', () => resolve(true));
      s.once('connect_error', () => resolve(false));
    })));
    expect(ok).toEqual([true, true, true]);
    const fourth = connect(t.url, '/live', { reconnection: false });
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => fourth.once('connect_error', resolve));
    expect(error.data?.code).toBe('rate-limited');
  });

  it('resyncs by itself after the server restarts, including changes made while it was away', async () => {
    await run(liveVoteCommands({ present, voteId: 'v1' }));
    const { until } = feed({ room: 'plenary' });
    await until((s) => s.view?.status === 'live');
    const port = Number(new URL(t.url).port);
    const dataDir = t.dataDir;
    await t.close({ keepData: true });
    await until((s) => !s.connected);

    t = await startTestServer({ dataDir, port, demo: true });
    // Applied before the feed is back: it must arrive through the resync, not as a live update.
    t.server.record.execute({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd07', choice: 'against' }, { actor: 'test', at: new Date().toISOString() });
    const expected = await t.sitting(DEMO_SITTING);
    const back = await until((s) => s.connected && s.view?.seq === expected.seq);
    expect(back.view).toEqual(expected);
    expect(back.view?.votes[0]?.choices?.d07).toBe('against');
  });
});
