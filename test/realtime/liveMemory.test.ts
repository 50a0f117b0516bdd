// What the live hub keeps and for how long: a room's followers move off a closed sitting when
// its 12 hours as the room's sitting are up (by a timer set for that moment, the clock being
// faked since 12 hours cannot pass here), and the catch-up buffer keeps neither closed
// sittings nor more than a bounded number of sittings; an idle resident's connection does not
// keep the HTTP request it was opened with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { io } from 'socket.io-client';
import { Command } from '../../protocol/commands.ts';
import type { SittingUpdate, SubscribeAnswer } from '../../protocol/socket.ts';
import { loadDemo } from '../../server/demo/loadDemo.ts';
import { LiveHub } from '../../server/realtime/LiveHub.ts';
import { UpdateBuffer } from '../../server/realtime/UpdateBuffer.ts';
import { openDatabase } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer } from '../support/testServer.ts';

const HOUR = 3_600_000;
const socket = () => ({ join() {}, leave() {}, rooms: new Set<string>(), id: 's1' });

describe('a room followed across the 12-hour rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radacast-follow-'));
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves to the next scheduled sitting when the closed one has been closed 12 hours', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let clock = Date.parse('2026-12-10T08:00:00Z');
    const db = openDatabase(dir);
    const record = new CouncilRecord(db);
    loadDemo(record, new Date(clock));
    const run = (input: unknown) => {
      const answer = record.execute(Command.parse(input), { actor: 'clerk', at: new Date(clock).toISOString() });
      expect(answer.ok).toBe(true);
    };
    const next = { id: 'next-plenary', bodyId: 'council', title: 'Наступне засідання', room: 'plenary', scheduledAt: '2026-12-20T08:00:00Z', agenda: [] };
    run({ type: 'sitting.create', sitting: next });
    run({ type: 'sitting.open', sittingId: DEMO_SITTING });
    run({ type: 'sitting.close', sittingId: DEMO_SITTING });

    const hub = new LiveHub({ record, view: (id) => record.sitting(id), now: () => new Date(clock) });
    const followed = () => {
      const answer = hub.subscribe(socket(), { room: 'plenary' });
      return answer.ok ? answer.sittingId : null;
    };
    clock += HOUR;
    expect(followed()).toBe(DEMO_SITTING);
    clock += 11 * HOUR - 1000;
    vi.advanceTimersByTime(11 * HOUR - 1000);
    expect(followed()).toBe(DEMO_SITTING);
    clock += 2000;
    vi.advanceTimersByTime(2000);
    expect(followed()).toBe('next-plenary');
    // One timer for the boundary, none left once the rule has nothing more to change.
    expect(vi.getTimerCount()).toBe(0);
    hub.close();
    db.close();
  });
});

describe('catch-up buffer', () => {
  const update = (sittingId: string, seq: number): SittingUpdate => ({
    sittingId,
    seq,
    events: [{ seq, at: new Date(0).toISOString(), event: { type: 'vote.cast', voteId: 'v1', memberId: 'd01', choice: 'for' } }],
    patch: {},
  });
  const latest = (sittingId: string, seq: number) => ({ sittingId, seq, size: 10_000 });

  it('keeps only the sittings that changed most recently, and forgets a closed one', () => {
    const buffer = new UpdateBuffer(512, 4);
    for (let i = 0; i < 100; i++) buffer.push(update(`s${i}`, 1));
    expect(buffer.sittings).toBe(4);
    // The stalest went: a client returning to it gets a snapshot, a recent one its updates.
    expect(buffer.catchup(latest('s0', 2), 1).kind).toBe('snapshot');
    buffer.push(update('s99', 2));
    expect(buffer.catchup(latest('s99', 2), 1).kind).toBe('updates');
    buffer.forget('s99');
    expect(buffer.sittings).toBe(3);
  });
});

describe('an idle resident’s connection', () => {
  it('lets go of the HTTP request it was opened with, but keeps a console’s (its /clerk needs the cookie)', async () => {
    setFlagsFromString('--expose-gc');
    const gc: () => void = runInNewContext('gc');
    const t = await startTestServer({ demo: true });
    const requests: WeakRef<object>[] = [];
    t.server.realtime.io.engine.on('connection', (conn: { request: object }) => requests.push(new WeakRef(conn.request)));
    const open = async (headers: Record<string, string>) => {
      const s = io(`${t.url}/live`, { transports: ['websocket'], extraHeaders: headers });
      const answer = await new Promise<SubscribeAnswer>((resolve) => s.emit('subscribe', { sittingId: DEMO_SITTING }, resolve));
      expect(answer.ok).toBe(true);
      return s;
    };
    const resident = await open({});
    const console = await open({ cookie: 'radacast_session=not-a-real-one' });
    try {
      // Collected once nothing holds it: ask a few times (a collection may come before the last reference goes).
      for (let i = 0; i < 20 && requests[0]?.deref(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        gc();
      }
      expect(requests).toHaveLength(2);
      expect(requests[0]!.deref()).toBeUndefined();
      expect(requests[1]!.deref()).toBeDefined();
    } finally {
      resident.close();
      console.close();
      await t.close();
    }
  });

  it('keeps neither a copy of its handshake’s headers nor a room of its own, and is still counted and guarded', async () => {
    const t = await startTestServer({ demo: true, liveMaxPerAddress: 1 });
    // A browser sends a kilobyte of headers; socket.io would copy them into each socket's handshake.
    const open = () => io(`${t.url}/live`, { transports: ['websocket'], forceNew: true, extraHeaders: { 'user-agent': 'Mozilla/5.0 '.repeat(40) } });
    const resident = open();
    try {
      const answer = await new Promise<SubscribeAnswer>((resolve) => resident.emit('subscribe', { sittingId: DEMO_SITTING }, resolve));
      expect(answer.ok).toBe(true);
      const [held] = t.server.realtime.io.of('/live').sockets.values();
      expect(held?.handshake.headers).toEqual({});
      expect([...(held?.rooms ?? [])]).toEqual([`sitting:${DEMO_SITTING}`]);
      // Its guard still refuses what /live does not know, and the per-address cap still counts it.
      const refused = await new Promise<unknown>((resolve) => resident.emit('command', {}, resolve));
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const second = open();
      const error = await new Promise<Error>((resolve) => second.once('connect_error', resolve));
      expect(error.message).toBe('too many connections');
      second.close();
    } finally {
      resident.close();
      await t.close();
    }
  });
});
