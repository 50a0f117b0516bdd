// POST /api/commands over a real socket: who may send commands, what a bad one gets back, and
// that retries and stale clients cannot change the record twice or behind someone's back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../protocol/answers.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ demo: true });
});
afterEach(async () => {
  await server.close();
});

const register = (memberId: string, extra: Record<string, unknown> = {}) => ({
  type: 'attendance.set',
  sittingId: DEMO_SITTING,
  memberId,
  present: true,
  ...extra,
});

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}/api/commands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function log(headers: Record<string, string> = {}): Promise<LogEntry[]> {
  const res = await fetch(`${server.url}/api/sittings/${DEMO_SITTING}/log`, { headers });
  return ((await res.json()) as { events: LogEntry[] }).events;
}

describe('POST /api/commands', () => {
  it('refuses an anonymous command with 401 and changes nothing', async () => {
    const before = await server.sitting(DEMO_SITTING);
    const { status, json } = await post(JSON.stringify({ type: 'sitting.open', sittingId: DEMO_SITTING }));
    expect(status).toBe(401);
    expect(json).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: 'Потрібно увійти до системи.', messages: { en: 'You need to log in.' } },
    });
    // A forged or unknown cookie is no better than none.
    const forged = await post(JSON.stringify({ type: 'sitting.open', sittingId: DEMO_SITTING }), {
      cookie: 'radacast_session=forged-token',
    });
    expect(forged.status).toBe(401);
    expect(await server.sitting(DEMO_SITTING)).toEqual(before);
  });

  it('answers a bad command with 400 and the zod issues', async () => {
    const cookie = await server.login();
    const { status, json } = await post(
      JSON.stringify({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'maybe' }),
      { cookie },
    );
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid');
    expect(json.error.messages).toEqual({ uk: 'Неправильні дані в запиті.', en: 'The request is not valid.' });
    expect(json.error.issues).toEqual([expect.objectContaining({ path: ['choice'], message: expect.any(String) })]);

    const unknown = await post(JSON.stringify({ type: 'sitting.explode', sittingId: DEMO_SITTING }), { cookie });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues[0].path).toEqual(['type']);

    const both = await post(JSON.stringify({ ...register('d01'), memberIds: ['d02'] }), { cookie });
    expect(both.status).toBe(400);
    expect(both.json.error.issues).toEqual([{ path: ['memberId'], message: 'give either memberId or memberIds' }]);
  });

  it('answers malformed JSON with 400 invalid, without a stack trace', async () => {
    const cookie = await server.login();
    const { status, json } = await post('{"type": "sitting.open", ', { cookie });
    expect(status).toBe(400);
    expect(json).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(JSON.stringify(json)).not.toMatch(/SyntaxError|\bat\s|node_modules|\.js:\d+/);
  });

  it('answers an oversized body with 413', async () => {
    const cookie = await server.login();
    const subject = 'х'.repeat(300 * 1024);
    const { status, json } = await post(JSON.stringify({ type: 'room.upsert', room: { id: 'big', name: subject } }), { cookie });
    expect(status).toBe(413);
    expect(json).toMatchObject({ ok: false, error: { code: 'payload-too-large', messages: { en: 'The request is too large.' } } });
    const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as { rooms: { id: string }[] };
    expect(rooms.rooms.map((r) => r.id)).not.toContain('big');
  });

  it('applies a retried command once and answers every retry with the first answer', async () => {
    const cookie = await server.login();
    await server.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
    const command = JSON.stringify(register('d07', { commandId: 'clerk-1:42' }));
    const first = await post(command, { cookie });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, seq: 3, events: [{ seq: 3, commandId: 'clerk-1:42' }] });

    const retries = await Promise.all([post(command, { cookie }), post(command, { cookie }), post(command, { cookie })]);
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(retry.json).toEqual(first.json);
    }
    const view = await server.sitting(DEMO_SITTING);
    expect(view.seq).toBe(3);
    expect((await log()).filter((e) => e.commandId === 'clerk-1:42')).toHaveLength(1);

    // The same id on a different command is a client bug, not a retry.
    const reused = await post(JSON.stringify(register('d08', { commandId: 'clerk-1:42' })), { cookie });
    expect(reused.status).toBe(409);
    expect(reused.json.error).toMatchObject({ code: 'duplicate-id', context: { id: 'clerk-1:42' } });
    expect(await server.sitting(DEMO_SITTING)).toEqual(view);
  });

  it('refuses a command based on a stale view with 409 stale-seq and changes nothing', async () => {
    const cookie = await server.login();
    await server.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
    const before = await server.sitting(DEMO_SITTING);
    expect(before.seq).toBe(2);

    const stale = await post(JSON.stringify(register('d01', { expectedSeq: 1 })), { cookie });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'stale-seq', context: { expectedSeq: 1, seq: 2 } });
    expect(await server.sitting(DEMO_SITTING)).toEqual(before);

    const current = await post(JSON.stringify(register('d01', { expectedSeq: 2 })), { cookie });
    expect(current.status).toBe(200);
    expect((await server.sitting(DEMO_SITTING)).attendance.present).toEqual(['d01']);
  });

  it('maps domain refusals to 404 and 409 and changes nothing', async () => {
    const before = await server.sitting(DEMO_SITTING);
    const missing = await server.command({ type: 'sitting.open', sittingId: 'no-such-sitting' });
    expect(missing.status).toBe(404);
    expect(missing.answer).toMatchObject({ ok: false, error: { code: 'not-found', context: { id: 'no-such-sitting' } } });

    const notLive = await server.command({ type: 'sitting.close', sittingId: DEMO_SITTING });
    expect(notLive.status).toBe(409);
    expect(notLive.answer).toMatchObject({ ok: false, error: { code: 'sitting-not-live' } });
    expect(await server.sitting(DEMO_SITTING)).toEqual(before);

    await server.command({ type: 'sitting.open', sittingId: DEMO_SITTING });
    await server.command({ type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: DEPUTIES.slice(0, 21), present: true });
    const open = await server.sitting(DEMO_SITTING);
    const noQuorum = await server.command({ type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', subject: 'Порядок денний' });
    expect(noQuorum.status).toBe(409);
    expect(noQuorum.answer).toMatchObject({
      ok: false,
      error: { code: 'no-quorum', context: { registered: 21, needed: 22 }, message: 'Немає кворуму: зареєстровано 21, потрібно щонайменше 22.' },
    });
    const stranger = await server.command({ type: 'attendance.set', sittingId: DEMO_SITTING, memberId: 'd99', present: true });
    expect(stranger.status).toBe(409);
    expect(stranger.answer).toMatchObject({ ok: false, error: { code: 'not-a-member' } });
    expect(await server.sitting(DEMO_SITTING)).toEqual(open);
  });

  it('records who sent each command (named to admins only)', async () => {
    for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 22), voteId: 'v1' })) {
      expect((await server.command(command)).status).toBe(200);
    }
    const actors = new Set((await log({ cookie: await server.login() })).map((e) => e.actor));
    expect(actors).toEqual(new Set(['system:demo', 'admin']));
    expect(new Set((await log()).map((e) => e.actor))).toEqual(new Set(['system', 'clerk']));
  });
});
