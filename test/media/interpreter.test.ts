// The sign-language interpreter and the preview links, end to end with the real mediasoup worker
// and ffmpeg: a clerk issues an interpreter link (audited, the token shown once, listed with its
// expiry); the interpreter publishes over WHIP with it and residents get a small H.264 rendition
// with program-date-time, announced in the room's live state; one interpreter per room; a
// revoked link is refused; a preview link opens WHEP for its room only, a stranger gets 401; the
// sitting's time keeps the interpreter's picture as a recording playlist.
import { RTCPeerConnection } from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../protocol/audit.ts';
import type { IngestInfo } from '../../protocol/media.ts';
import type { InterpreterSeat, IssuedRoomLink, RoomLinkInfo } from '../../protocol/roomLinks.ts';
import { loadConfig } from '../../server/config.ts';
import { RoomLinks } from '../../server/media/webrtc/interpreterLinks.ts';
import { openDatabase } from '../../server/store/database.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';
import { publishWhip, type WhipPublisher } from '../support/whip.ts';
import { ffprobe, nextEvent, statusWhen } from './support.ts';

const ROOM = 'committee';
const OTHER = 'plenary';

/** A WHEP viewer's offer (werift, receive-only H.264 + Opus) posted with `headers`: the status and error code. */
async function whep(url: string, room: string, headers: Record<string, string>): Promise<{ status: number; code: string | null }> {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(`${url}/whep/${room}`, { method: 'POST', headers: { 'content-type': 'application/sdp', ...headers }, body: pc.localDescription?.sdp ?? '' });
  const text = await res.text();
  await pc.close();
  if (res.status === 201) {
    const location = res.headers.get('location') ?? '';
    await fetch(new URL(location, url), { method: 'DELETE', headers });
    return { status: 201, code: null };
  }
  return { status: res.status, code: (JSON.parse(text) as { error: { code: string } }).error.code };
}

describe('interpreter and preview links', () => {
  let t: TestServer;
  let cookie: string;
  let key: string;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'radacast' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const issue = (room: string, kind: 'interpreter' | 'preview', label: string) =>
    api<IssuedRoomLink>('POST', `/api/rooms/${room}/links`, { kind, hours: 4, label });

  beforeAll(async () => {
    t = await startTestServer({ webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' } });
    await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Зала комісій' } });
    await t.command({ type: 'room.upsert', room: { id: OTHER, name: 'Сесійна зала' } });
    cookie = await t.login();
    key = (await api<IngestInfo>('GET', `/api/rooms/${ROOM}/ingest`)).body.rtmp.key;
  });

  afterAll(async () => {
    await t.close();
  });

  it('issues a link once, lists it with its expiry, records it in the audit trail, and revokes it', async () => {
    const issued = await issue(ROOM, 'interpreter', 'Олена, перекладачка');
    expect(issued.status).toBe(201);
    expect(issued.body.url).toBe(`/interpret/${issued.body.token}`);
    const expires = Date.parse(issued.body.info.expiresAt) - Date.parse(issued.body.info.createdAt);
    expect(expires).toBe(4 * 3_600_000);

    const listed = await api<{ links: RoomLinkInfo[] }>('GET', `/api/rooms/${ROOM}/links`);
    expect(listed.body.links.map((l) => l.label)).toContain('Олена, перекладачка');
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);

    const seat = await fetch(`${t.url}/api/interpret`, { headers: { authorization: `Bearer ${issued.body.token}` } });
    expect(((await seat.json()) as InterpreterSeat).room).toBe(ROOM);

    expect((await api('DELETE', `/api/rooms/${ROOM}/links/${issued.body.info.id}`)).status).toBe(200);
    const after = await fetch(`${t.url}/api/interpret`, { headers: { authorization: `Bearer ${issued.body.token}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('link-revoked');
    const listedAfter = await api<{ links: RoomLinkInfo[] }>('GET', `/api/rooms/${ROOM}/links`);
    expect(listedAfter.body.links.map((l) => l.id)).not.toContain(issued.body.info.id);

    const audit = await api<AuditPage>('GET', '/api/audit?limit=10');
    const actions = audit.body.entries.filter((e) => e.target === issued.body.info.id).map((e) => e.action);
    expect(actions.sort()).toEqual(['room-link.issued', 'room-link.revoked']);
    await expect(publishWhip(t.url, `${ROOM}/interpreter`, issued.body.token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a link without a clerk, and bad input', async () => {
    const res = await fetch(`${t.url}/api/rooms/${ROOM}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"preview","hours":4,"label":"x"}' });
    expect(res.status).toBe(401);
    expect((await api('POST', `/api/rooms/${ROOM}/links`, { kind: 'preview', hours: 1000, label: 'x' })).status).toBe(400);
    expect((await api('POST', `/api/rooms/no-such-room/links`, { kind: 'preview', hours: 4, label: 'x' })).status).toBe(404);
  });

  it('lets a preview link watch its room over WHEP; a stranger, another room or a revoked link gets 401, and revoking ends the session it opened', async () => {
    const program = await publishWhip(t.url, ROOM, key);
    try {
      await statusWhen(t.server.media, ROOM, (s) => s.state === 'live');
      const preview = (await issue(ROOM, 'preview', 'ТРК «Місто»')).body;
      const elsewhere = (await issue(OTHER, 'preview', 'ТРК «Місто»')).body;
      expect(await whep(t.url, ROOM, { authorization: `Bearer ${preview.token}` })).toEqual({ status: 201, code: null });
      expect(await whep(t.url, ROOM, { 'x-requested-with': 'radacast' })).toEqual({ status: 401, code: 'unauthorized' });
      expect(await whep(t.url, ROOM, { authorization: 'Bearer rdl_guessed' })).toEqual({ status: 401, code: 'bad-link' });
      expect(await whep(t.url, ROOM, { authorization: `Bearer ${elsewhere.token}` })).toEqual({ status: 401, code: 'bad-link' });
      // A broadcaster watching with the link: revoking it ends the session they are in.
      const pc = new RTCPeerConnection();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      await pc.setLocalDescription(await pc.createOffer());
      const watching = await fetch(`${t.url}/whep/${ROOM}`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', authorization: `Bearer ${preview.token}` },
        body: pc.localDescription?.sdp ?? '',
      });
      expect(watching.status).toBe(201);
      const session = (watching.headers.get('location') ?? '').split('/').at(-1) ?? '';
      expect(t.server.webrtc.has(ROOM, 'whep', session)).toBe(true);
      await api('DELETE', `/api/rooms/${ROOM}/links/${preview.info.id}`);
      expect(t.server.webrtc.has(ROOM, 'whep', session)).toBe(false);
      await pc.close();
      expect(await whep(t.url, ROOM, { authorization: `Bearer ${preview.token}` })).toEqual({ status: 401, code: 'link-revoked' });
    } finally {
      await program.stop();
    }
  });

  it('publishes the interpreter: a 480x270 H.264 rendition with program-date-time, announced, one per room, kept for the recording', async () => {
    const link = (await issue(ROOM, 'interpreter', 'Олена')).body;
    const startedAt = Date.now();
    const onAir = nextEvent<[string, boolean]>(t.server.interpreter, 'changed', (room, live) => room === ROOM && live, 30_000);
    let interpreter: WhipPublisher | null = await publishWhip(t.url, `${ROOM}/interpreter`, link.token);
    try {
      expect(interpreter.location).toMatch(new RegExp(`/whip/${ROOM}/interpreter/[0-9a-f]+$`));
      await onAir;
      const seat = (await (await fetch(`${t.url}/api/interpret`, { headers: { authorization: `Bearer ${link.token}` } })).json()) as InterpreterSeat;
      expect(seat.onAir).toBe(true);

      const live = await fetch(`${t.url}/interpreter/${ROOM}/index.m3u8`);
      expect(live.status).toBe(200);
      expect(await live.text()).toMatch(/#EXT-X-PROGRAM-DATE-TIME:/);
      const probe = await ffprobe(`${t.url}/interpreter/${ROOM}/index.m3u8`);
      expect(probe.streams.map((s) => [s.codec_type, s.codec_name, s.width, s.height])).toEqual([['video', 'h264', 480, 270]]);

      await expect(publishWhip(t.url, `${ROOM}/interpreter`, link.token)).rejects.toMatchObject({ status: 409 });
    } finally {
      const off = nextEvent<[string, boolean]>(t.server.interpreter, 'changed', (room, live) => room === ROOM && !live);
      await interpreter.stop();
      await off;
      interpreter = null;
    }
    expect((await fetch(`${t.url}/interpreter/${ROOM}/index.m3u8`)).status).toBe(404);

    const recording = await fetch(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=${startedAt}&to=${Date.now()}`);
    expect(recording.status).toBe(200);
    const text = await recording.text();
    expect(text).toMatch(/#EXT-X-PLAYLIST-TYPE:VOD/);
    expect(text).toMatch(/#EXT-X-ENDLIST/);
    const recorded = await ffprobe(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=${startedAt}&to=${Date.now()}`);
    expect(Number(recorded.format.duration)).toBeGreaterThan(1);
    const before = await fetch(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=${startedAt - 3_600_000}&to=${startedAt - 1_800_000}`);
    expect(before.status).toBe(404);
    // A stranger cannot ask for every run ever kept at once: at most a day per request.
    const everything = await fetch(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=1&to=${Date.now()}`);
    expect(everything.status).toBe(400);
    expect(await everything.json()).toMatchObject({ error: { code: 'invalid' } });
    expect((await fetch(`${t.url}/interpreter/no-such-room/index.m3u8`)).status).toBe(404);

    // The recordings' retention takes the interpreter's picture with them; a cutoff before the run keeps it.
    t.server.media.expireRecordings(new Date(startedAt - 60_000));
    expect((await fetch(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=${startedAt}&to=${Date.now()}`)).status).toBe(200);
    t.server.media.expireRecordings(new Date(Date.now() + 60_000));
    expect((await fetch(`${t.url}/interpreter/${ROOM}/recording.m3u8?from=${startedAt}&to=${Date.now()}`)).status).toBe(404);
  }, 90_000);
});

describe('a room link on disk', () => {
  it('keeps only the token’s hash and ends at its expiry', () => {
    const db = openDatabase(tempDir());
    const links = new RoomLinks(db);
    const issuedAt = new Date('2026-03-02T09:00:00Z');
    const { token, info } = links.create(ROOM, 'interpreter', 'Олена', 4, 'clerk', issuedAt);
    const stored = JSON.stringify(db.prepare('SELECT * FROM room_links').all());
    expect(stored).not.toContain(token);
    expect(links.check(token, ROOM, ['interpreter'], new Date('2026-03-02T12:59:00Z'))).toMatchObject({ ok: true, link: { id: info.id } });
    expect(links.check(token, ROOM, ['interpreter'], new Date('2026-03-02T13:00:00Z'))).toEqual({ ok: false, code: 'link-expired' });
    expect(links.check(token, ROOM, ['preview'], issuedAt)).toEqual({ ok: false, code: 'bad-link' });
    expect(links.active(ROOM, new Date('2026-03-02T13:00:00Z'))).toEqual([]);
    db.close();
  });
});
