// The clerk's `/clerk` channel: credentials at the handshake, commands with the same answers,
// idempotency and concurrency rules as HTTP, rate limits, and two consoles converging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { CommandAnswer } from '../../protocol/answers.ts';
import { applyUpdate } from '../../protocol/livePatch.ts';
import { decodeSnapshot } from '../../client/lib/LiveFeed.ts';
import type { SittingUpdate, SubscribeAnswer } from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;
const sockets: Socket[] = [];

function clerk(options: Parameters<typeof io>[1] = {}): Socket {
  const s = io(`${t.url}/clerk`, { transports: ['websocket'], reconnection: false, ...options });
  sockets.push(s);
  return s;
}

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
const send = (s: Socket, command: unknown) => new Promise<CommandAnswer>((resolve) => s.emit('command', command, resolve));
const subscribe = (s: Socket, request: unknown) => new Promise<SubscribeAnswer>((resolve) => s.emit('subscribe', request, resolve));

beforeEach(async () => {
  t = await startTestServer({ demo: true });
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await t.close();
});

describe('/clerk', () => {
  it('refuses a handshake without a session cookie or API token', async () => {
    for (const options of [{}, { auth: { token: 'rdc_not-a-token' } }, { extraHeaders: { cookie: 'radacast_session=forged' } }]) {
      const error = await connected(clerk(options)).then(
        () => null,
        (e: Error & { data?: { code: string } }) => e,
      );
      expect(error?.data?.code).toBe('unauthorized');
    }
  });

  it('accepts the session cookie and answers commands exactly like POST /api/commands', async () => {
    const cookie = await t.login();
    const s = clerk({ extraHeaders: { cookie } });
    await connected(s);
    const answer = await send(s, { type: 'sitting.open', sittingId: DEMO_SITTING });
    expect(answer).toMatchObject({ ok: true, seq: 2, events: [{ seq: 2, event: { type: 'sitting.opened' } }] });
    expect(answer.ok && answer.events[0]?.actor).toBe('admin');

    const refused = await send(s, { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', subject: 'Без кворуму' });
    const overHttp = await t.command({ type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', subject: 'Без кворуму' });
    expect(refused).toEqual(overHttp.answer);
    expect(refused).toMatchObject({ ok: false, error: { code: 'no-quorum' } });

    const invalid = await send(s, { type: 'vote.cast', sittingId: DEMO_SITTING });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid', issues: expect.any(Array) } });
    expect((await t.sitting(DEMO_SITTING)).seq).toBe(2);
  });

  it('accepts a bearer API token, and applies a retried commandId once', async () => {
    const cookie = await t.login();
    const created = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'voting-system', role: 'clerk' }),
    });
    const { token } = (await created.json()) as { token: string };
    const s = clerk({ auth: { token } });
    await connected(s);
    const command = { type: 'sitting.open', sittingId: DEMO_SITTING, commandId: 'evs-0001' };
    const first = await send(s, command);
    const retry = await send(s, command);
    expect(retry).toEqual(first);
    expect(first.ok && first.events[0]?.actor).toBe('token:voting-system');
    expect((await t.sitting(DEMO_SITTING)).seq).toBe(2);

    const stale = await send(s, { type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd01', present: true, expectedSeq: 1 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale-seq', context: { expectedSeq: 1, seq: 2 } } });
  });

  it('lets two consoles see each other’s changes and converge on the record', async () => {
    const cookie = await t.login();
    const a = clerk({ extraHeaders: { cookie } });
    const b = clerk({ extraHeaders: { cookie } });
    await Promise.all([connected(a), connected(b)]);
    const views = new Map<Socket, SittingView>();
    for (const s of [a, b]) {
      const answer = await subscribe(s, { sittingId: DEMO_SITTING });
      if (!answer.ok || answer.catchup.kind !== 'snapshot') throw new Error('expected snapshot');
      views.set(s, decodeSnapshot(answer.catchup.encoded));
      s.on('update', (u: SittingUpdate) => views.set(s, applyUpdate(views.get(s)!, u)));
    }
    const setup = liveVoteCommands({ present: DEPUTIES.slice(0, 25), voteId: 'v1' });
    for (const c of setup) expect(await send(a, c)).toMatchObject({ ok: true });
    const casts = DEPUTIES.slice(0, 25).map((memberId, i) => ({
      type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice: i % 3 === 0 ? 'against' : 'for',
    }));
    await Promise.all(casts.map((c, i) => send(i % 2 ? a : b, c)));
    const last = await send(b, { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' });
    expect(last.ok).toBe(true);
    const expected = await t.sitting(DEMO_SITTING);
    await new Promise<void>((resolve) => {
      const check = () => [a, b].every((s) => views.get(s)?.seq === expected.seq) && resolve();
      check();
      a.on('update', check);
      b.on('update', check);
    });
    expect(views.get(a)).toEqual(expected);
    expect(views.get(b)).toEqual(expected);
    expect(expected.votes[0]).toMatchObject({ status: 'closed', counts: { for: 16, against: 9, notVoting: 0, absent: 17 }, composition: 42, required: 22, result: 'rejected' });
  });

  it('rate-limits a runaway connection without affecting the record', async () => {
    const cookie = await t.login();
    const s = clerk({ extraHeaders: { cookie } });
    await connected(s);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => send(s, { type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd01', present: true })),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'rate-limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(answers.filter((a) => a.ok).length + limited).toBe(100);
    expect((await t.sitting(DEMO_SITTING)).attendance.present).toEqual(['d01']);
  });

  it('refuses oversized commands and commands after logout', async () => {
    const cookie = await t.login();
    const s = clerk({ extraHeaders: { cookie } });
    await connected(s);
    const huge = { type: 'sitting.create', sitting: { id: 'x', bodyId: 'council', title: 'x'.repeat(200_000), room: 'plenary', scheduledAt: '2026-12-10T10:00:00+02:00' } };
    expect(await send(s, huge)).toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
    // Logging out closes the session's socket at once (issue 12), before it can send anything.
    const closed = new Promise((resolve) => s.once('disconnect', resolve));
    await fetch(`${t.url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-requested-with': 'test' } });
    expect(await closed).toBe('io server disconnect');
    s.emit('command', { type: 'sitting.open', sittingId: DEMO_SITTING });
    expect((await t.sitting(DEMO_SITTING)).status).toBe('scheduled');
  });
});
