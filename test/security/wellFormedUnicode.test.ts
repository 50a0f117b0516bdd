// Issue 12 (critical): one command with a lone UTF-16 surrogate used to be acknowledged, stored
// as U+FFFD, and leave a chain that no longer verified — the server then refused to start.
// Now every edge refuses text that is not well-formed Unicode and nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { CommandAnswer } from '../../protocol/answers.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { Command } from '../../protocol/commands.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await t?.close();
  t = undefined;
});

/** JSON text as an attacker writes it: `\ud800` stays an escape, exactly what a fuzzer sends. */
const LONE = '\\ud800';

async function postRaw(path: string, body: string | Blob, cookie: string): Promise<{ status: number; code: string }> {
  const res = await fetch(`${t!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', cookie },
    body,
  });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: json.error?.code ?? 'ok' };
}

async function logOf(sittingId: string): Promise<{ verified: boolean; head: { seq: number } | null }> {
  return (await (await fetch(`${t!.url}/api/sittings/${sittingId}/log`)).json()) as { verified: boolean; head: { seq: number } | null };
}

describe('text that is not well-formed Unicode', () => {
  it('is refused in every string and key of a command over HTTP, and the record keeps verifying across a restart', async () => {
    t = await startTestServer({ demo: true });
    const cookie = await t.login();
    const before = (await logOf(DEMO_SITTING)).head!.seq;
    const bodies = [
      // The fuzzer's find: the idempotency key.
      `{"type":"sitting.open","sittingId":"${DEMO_SITTING}","commandId":"a${LONE}b"}`,
      // A low surrogate alone, in a nested text field.
      `{"type":"room.upsert","room":{"id":"r9","name":"Зала \\udc00"}}`,
      // A key of an object.
      `{"type":"sitting.open","sittingId":"${DEMO_SITTING}","x${LONE}":1}`,
      // A pair in the wrong order is two lone surrogates.
      `{"type":"room.upsert","room":{"id":"r9","name":"\\udc00\\ud800"}}`,
    ];
    for (const body of bodies) expect(await postRaw('/api/commands', body, cookie), body).toEqual({ status: 400, code: 'invalid' });
    // Bytes that are not UTF-8 at all are refused too, not turned into U+FFFD.
    const badBytes = Buffer.concat([Buffer.from('{"type":"room.upsert","room":{"id":"r9","name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}')]);
    expect(await postRaw('/api/commands', new Blob([new Uint8Array(badBytes)]), cookie)).toEqual({ status: 400, code: 'invalid' });
    // A well-formed pair (an emoji) is ordinary text.
    expect(await postRaw('/api/commands', '{"type":"room.upsert","room":{"id":"r9","name":"Зала \\ud83c\\udfdb"},"commandId":"ok-\\ud83d\\ude00"}', cookie)).toEqual({
      status: 200,
      code: 'ok',
    });
    expect(await logOf(DEMO_SITTING)).toMatchObject({ verified: true, head: { seq: before } });

    await t.close({ keepData: true });
    t = await startTestServer({ dataDir: t.dataDir, demo: true });
    const health = (await (await fetch(`${t.url}/api/health`)).json()) as { status: string };
    expect(health.status).toBe('ready');
    expect((await t.sitting(DEMO_SITTING)).seq).toBe(before);
    expect(t.server.record.registry.rooms.get('r9')?.name).toBe('Зала 🏛');
  });

  it('is refused in admin input and at login', async () => {
    t = await startTestServer();
    const cookie = await t.login();
    expect(await postRaw('/api/users', `{"username":"x${LONE}","password":"long-enough-1","role":"clerk"}`, cookie)).toEqual({ status: 400, code: 'invalid' });
    expect(await postRaw('/api/tokens', `{"name":"evs ${LONE}"}`, cookie)).toEqual({ status: 400, code: 'invalid' });
    expect(await postRaw('/api/session', `{"username":"admin","password":"${LONE}"}`, '')).toEqual({ status: 400, code: 'invalid' });
  });

  it('is refused in every socket event before any handler runs', async () => {
    t = await startTestServer({ demo: true });
    const cookie = await t.login();
    const s = io(`${t.url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const before = (await t.sitting(DEMO_SITTING)).seq;
    const command = (payload: unknown) => new Promise<CommandAnswer>((resolve) => s.emit('command', payload, resolve));
    // socket.io-client writes a lone surrogate as the JSON escape, as JSON.stringify does.
    const answer = await command({ type: 'sitting.open', sittingId: DEMO_SITTING, commandId: 'x\ud800' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: ['commandId'] }] } });
    const subscribed = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => s.emit('subscribe', { room: 'plenary\udfff' }, resolve));
    expect(subscribed).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((await t.sitting(DEMO_SITTING)).seq).toBe(before);
    // The connection still works for good input.
    expect(await command({ type: 'sitting.open', sittingId: DEMO_SITTING })).toMatchObject({ ok: true });
  });

  it('is refused by the record itself when a caller skips the edge', async () => {
    t = await startTestServer({ demo: true });
    const { record } = t.server;
    const command = Command.parse({ type: 'sitting.open', sittingId: DEMO_SITTING, commandId: 'x\ud800' });
    expect(record.execute(command, { actor: 'admin', at: new Date().toISOString() })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const open = Command.parse({ type: 'sitting.open', sittingId: DEMO_SITTING });
    expect(record.execute(open, { actor: 'clerk\udc00', at: new Date().toISOString() })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    await t.close({ keepData: true });
    const db = openDatabase(t.dataDir);
    try {
      expect(new CouncilRecord(db).readOnly).toBe(false);
    } finally {
      db.close();
    }
    t = await startTestServer({ dataDir: t.dataDir });
  });

  it('is refused in settings, naming the variable', () => {
    expect(() => loadConfig({ RADACAST_DATA_DIR: '/srv/\ud800' })).toThrow(ConfigError);
    expect(() => loadConfig({ RADACAST_DATA_DIR: '/srv/\ud800' })).toThrow(/RADACAST_DATA_DIR: text that is not well-formed Unicode/);
  });
});
