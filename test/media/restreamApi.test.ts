// Restream destinations as an admin and a clerk meet them over HTTP: created with presets,
// keys sealed (never in an answer, the log output or the database file), bad input refused
// with the field named, a clerk reading but not writing, and the on-record switch.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationView } from '../../protocol/restream.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

const YOUTUBE_KEY = 'abcd-efgh-ijkl-mnop-q7r8';
const FACEBOOK_KEY = 'FB-1234567890123456-0-AbCdEfGhIjKlMnOp?s_bl=1&s_sc=999&a=Zz9Y';

let t: TestServer;
let admin: string;
const logLines: string[] = [];

beforeEach(async () => {
  logLines.length = 0;
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await startTestServer({ demo: true, logLevel: 'debug' }, logger);
  admin = await t.login();
});

afterEach(async () => {
  await t.close();
});

async function call(method: string, path: string, cookie: string, body?: unknown) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> & { error?: { code: string; issues?: { path: unknown[] }[] } } };
}

async function clerkCookie(): Promise<string> {
  const made = await call('POST', '/api/users', admin, { username: 'clerk1', password: 'clerk-password-1', role: 'clerk' });
  expect(made.status).toBe(201);
  return t.login('clerk1', 'clerk-password-1');
}

const youtube = { name: 'YouTube', kind: 'youtube', url: 'rtmps://a.rtmps.youtube.com:443/live2', key: YOUTUBE_KEY, enabled: true };
const facebook = { name: 'Facebook', kind: 'facebook', url: 'rtmps://live-api-s.facebook.com:443/rtmp/', key: FACEBOOK_KEY, enabled: false };

describe('destinations API', () => {
  it('creates, lists with a key hint only, keeps an omitted key, replaces and deletes', async () => {
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', admin, youtube)).status).toBe(201);
    expect((await call('PUT', '/api/rooms/plenary/destinations/fb', admin, facebook)).status).toBe(201);

    let list = await call('GET', '/api/rooms/plenary/destinations', admin);
    expect(list.status).toBe(200);
    const views = list.json as unknown as DestinationView[];
    expect(views.map((d) => [d.id, d.kind, d.keyHint, d.enabled, d.status.state])).toEqual([
      ['yt', 'youtube', '…q7r8', true, 'off'],
      ['fb', 'facebook', '…Zz9Y', false, 'off'],
    ]);
    expect(list.text).not.toContain(YOUTUBE_KEY);
    expect(list.text).not.toContain('s_bl=1');

    // Renamed without a key: the stored key stays.
    const renamed = await call('PUT', '/api/rooms/plenary/destinations/yt', admin, { ...youtube, key: undefined, name: 'YouTube (канал ради)' });
    expect(renamed.status).toBe(200);
    expect((renamed.json.destination as DestinationView).keyHint).toBe('…q7r8');
    expect(renamed.text).not.toContain(YOUTUBE_KEY);

    expect((await call('DELETE', '/api/rooms/plenary/destinations/fb', admin)).status).toBe(200);
    expect((await call('DELETE', '/api/rooms/plenary/destinations/fb', admin)).status).toBe(404);
    list = await call('GET', '/api/rooms/plenary/destinations', admin);
    expect((list.json as unknown as DestinationView[]).map((d) => [d.id, d.name])).toEqual([['yt', 'YouTube (канал ради)']]);
    // The other room has none of them.
    expect((await call('GET', '/api/rooms/committee-room/destinations', admin)).json).toEqual([]);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const refusals: [string, unknown, string][] = [
      ['/api/rooms/plenary/destinations/yt', { ...youtube, url: 'https://youtube.com/live2' }, 'url'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, url: 'rtmp://user:pass@a.rtmp.youtube.com/live2' }, 'url'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, url: 'rtmp://a.rtmp.youtube.com' }, 'url'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, key: 'abcd efgh' }, 'key'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, key: 'ключ-кирилицею' }, 'key'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, key: '' }, 'key'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, key: undefined }, 'key'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, kind: 'twitch' }, 'kind'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, name: ' ' }, 'name'],
      ['/api/rooms/plenary/destinations/yt', { ...youtube, enabled: 'yes' }, 'enabled'],
      ['/api/rooms/no-such-room/destinations/yt', youtube, 'room'],
      ['/api/rooms/plenary/destinations/bad%20id', youtube, 'id'],
    ];
    for (const [path, body, field] of refusals) {
      const answer = await call('PUT', path, admin, body);
      expect(answer.status, `${field}: ${JSON.stringify(body)}`).toBe(400);
      expect(answer.json.error?.code).toBe('invalid');
      expect(answer.json.error?.issues?.map((i) => i.path[0])).toContain(field);
      expect(answer.text).not.toContain(YOUTUBE_KEY);
    }
    expect((await call('GET', '/api/rooms/plenary/destinations', admin)).json).toEqual([]);
    expect((await call('GET', '/api/rooms/no-such-room/destinations', admin)).status).toBe(404);
    // A custom server may take its whole address without a key.
    const custom = { name: 'ТРК «Місто»', kind: 'custom', url: 'rtmp://tv.example.org/live/council', enabled: true };
    const created = await call('PUT', '/api/rooms/plenary/destinations/tv', admin, custom);
    expect(created.status).toBe(201);
    expect((created.json.destination as DestinationView).keyHint).toBeNull();
  });

  it('lets a clerk read without keys but not write; nobody reads without logging in', async () => {
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', admin, youtube)).status).toBe(201);
    const clerk = await clerkCookie();
    const read = await call('GET', '/api/rooms/plenary/destinations', clerk);
    expect(read.status).toBe(200);
    expect((read.json as unknown as DestinationView[])[0]!.keyHint).toBe('…q7r8');
    expect(read.text).not.toContain(YOUTUBE_KEY);
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', clerk, { ...youtube, key: 'x'.repeat(20) })).status).toBe(403);
    expect((await call('PUT', '/api/rooms/plenary/destinations/new', clerk, youtube)).status).toBe(403);
    expect((await call('DELETE', '/api/rooms/plenary/destinations/yt', clerk)).status).toBe(403);
    expect((await call('GET', '/api/rooms/plenary/destinations', '')).status).toBe(401);
    expect((await call('GET', '/api/rooms/plenary/destinations', admin)).text).toContain('…q7r8');
  });

  it('switches a destination by a command on the room’s record, naming who did it', async () => {
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', admin, youtube)).status).toBe(201);
    const clerk = await clerkCookie();
    const off = await t.command({ type: 'destination.switch', room: 'plenary', destinationId: 'yt', enabled: false }, clerk);
    expect(off.status).toBe(200);
    expect(off.answer.ok && off.answer.events.map((e) => [e.stream, e.actor, e.event])).toEqual([
      ['room/plenary', 'clerk1', { type: 'destination.switched', room: 'plenary', destinationId: 'yt', enabled: false }],
    ]);
    const list = (await call('GET', '/api/rooms/plenary/destinations', clerk)).json as unknown as DestinationView[];
    expect(list[0]!.enabled).toBe(false);

    const unknown = await t.command({ type: 'destination.switch', room: 'plenary', destinationId: 'tg', enabled: true }, clerk);
    expect(unknown.status).toBe(404);
    const otherRoom = await t.command({ type: 'destination.switch', room: 'committee-room', destinationId: 'yt', enabled: true }, clerk);
    expect(otherRoom.status).toBe(404);
    expect(t.server.record.head('room/plenary')?.seq).toBe(off.answer.ok ? off.answer.seq : -1);
  });

  it('keeps keys out of the database file, the log output and every answer; the key file is private', async () => {
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', admin, youtube)).status).toBe(201);
    expect((await call('PUT', '/api/rooms/plenary/destinations/fb', admin, { ...facebook, enabled: true })).status).toBe(201);
    const keyFile = join(t.dataDir, 'restream.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const keyText = readFileSync(keyFile, 'utf8');
    await t.server.close();
    for (const file of readdirSync(t.dataDir).filter((f) => f.startsWith('radacast.db'))) {
      const bytes = readFileSync(join(t.dataDir, file));
      for (const secret of [YOUTUBE_KEY, FACEBOOK_KEY, 'AbCdEfGhIjKlMnOp', keyText.trim()]) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
      }
    }
    expect(existsSync(join(t.dataDir, 'radacast.db'))).toBe(true);
    const log = logLines.join('\n');
    expect(log).toContain('restream destination created');
    expect(log).not.toContain(YOUTUBE_KEY);
    expect(log).not.toContain('AbCdEfGhIjKlMnOp');
  });

  it('opens the stored keys after a restart with the same key file (RADACAST_SECRET_KEY_FILE), and not with another', async () => {
    const keys = tempDir('radacast-keys-');
    const keyFile = join(keys, 'restream.key');
    const dataDir = tempDir();
    await t.close();
    t = await startTestServer({ demo: true, dataDir, restream: { secretKeyFile: keyFile, caFile: undefined } });
    admin = await t.login();
    expect((await call('PUT', '/api/rooms/plenary/destinations/yt', admin, youtube)).status).toBe(201);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, 'restream.key'))).toBe(false);
    await t.close({ keepData: true });

    t = await startTestServer({ demo: true, dataDir, restream: { secretKeyFile: keyFile, caFile: undefined } });
    admin = await t.login();
    expect(((await call('GET', '/api/rooms/plenary/destinations', admin)).json as unknown as DestinationView[])[0]!.keyHint).toBe('…q7r8');
    await t.close({ keepData: true });

    // Another key file (a lost or replaced one): the key cannot be read, and is not guessed at.
    t = await startTestServer({ demo: true, dataDir, restream: { secretKeyFile: join(keys, 'other.key'), caFile: undefined } });
    admin = await t.login();
    expect(((await call('GET', '/api/rooms/plenary/destinations', admin)).json as unknown as DestinationView[])[0]!.keyHint).toBe('…');
    rmSync(keys, { recursive: true, force: true });
  });
});
