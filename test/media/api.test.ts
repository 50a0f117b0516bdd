// The media API around the video: who may see and rotate stream keys, the public status, the
// HLS endpoints when nothing is live, where keys are stored (never in the hash-chained log),
// what a rotation does to the old key, a missing ffmpeg, and the media settings' validation.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo, IngestStatus } from '../../protocol/media.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { pushTestPattern } from './support.ts';

describe('media API', () => {
  let t: TestServer;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
    admin = await t.login();
    const created = await fetch(`${t.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ username: 'clerk1', password: 'clerk-password-1', role: 'clerk' }),
    });
    expect(created.status).toBe(201);
    clerk = await t.login('clerk1', 'clerk-password-1');
  });
  afterAll(() => t.close());

  const get = (path: string, cookie?: string) => fetch(`${t.url}${path}`, { headers: cookie ? { cookie } : {} });
  const rotate = (room: string, cookie?: string) =>
    fetch(`${t.url}/api/rooms/${room}/stream-key/rotate`, { method: 'POST', headers: { 'x-requested-with': 'test', ...(cookie ? { cookie } : {}) } });

  it('shows encoder settings to clerks and admins only', async () => {
    expect((await get('/api/rooms/plenary/ingest')).status).toBe(401);
    const res = await get('/api/rooms/plenary/ingest', clerk);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const info = (await res.json()) as IngestInfo;
    expect(info.rtmp.server).toBe(`rtmp://127.0.0.1:${t.server.media.rtmpPort}/live`);
    expect(info.rtmp.url).toBe(`${info.rtmp.server}/${info.rtmp.key}`);
    expect(info.rtmp.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(info.srt).toBeNull(); // no SRT ports in this server
    expect(info.settings.video).toMatchObject({ codec: 'H.264', keyframeIntervalSeconds: 1, bFrames: 0 });
    expect(info.settings.audio.codec).toBe('AAC-LC');
    expect((await get('/api/rooms/nowhere/ingest', admin)).status).toBe(404);
  });

  it('keeps stream keys out of the hash-chained log, in their own table', async () => {
    const { rtmp } = (await (await get('/api/rooms/plenary/ingest', admin)).json()) as IngestInfo;
    const db = new Database(join(t.dataDir, 'radacast.db'), { readonly: true });
    try {
      const events = db.prepare('SELECT data FROM events').all() as { data: string }[];
      expect(events.length).toBeGreaterThan(0);
      expect(events.some((e) => e.data.includes(rtmp.key))).toBe(false);
      expect(db.prepare('SELECT stream_key FROM media_stream_keys WHERE room = ?').get('plenary')).toEqual({ stream_key: rtmp.key });
    } finally {
      db.close();
    }
  });

  it('lets only an admin rotate a key; the old key stops working at once', async () => {
    const before = (await (await get('/api/rooms/plenary/ingest', admin)).json()) as IngestInfo;
    expect((await rotate('plenary')).status).toBe(401);
    expect((await rotate('plenary', clerk)).status).toBe(403);
    expect((await rotate('nowhere', admin)).status).toBe(404);
    const res = await rotate('plenary', admin);
    expect(res.status).toBe(200);
    const after = (await res.json()) as IngestInfo;
    expect(after.rtmp.key).not.toBe(before.rtmp.key);
    expect(((await (await get('/api/rooms/plenary/ingest', clerk)).json()) as IngestInfo).rtmp.key).toBe(after.rtmp.key);
    const old = await pushTestPattern(before.rtmp.url, 2).exited;
    expect(old.code).not.toBe(0);
    expect(old.stderr).toContain('Wrong stream key');
  });

  it('answers the public status and the HLS paths of an offline room', async () => {
    const res = await get('/api/rooms/plenary/status');
    expect(res.status).toBe(200);
    const status = (await res.json()) as IngestStatus;
    expect(status).toMatchObject({ room: 'plenary', state: 'offline', protocol: null, video: null, bitrateKbps: null, problem: null });
    expect(status.storage).toEqual({ liveBytes: 0, recordingBytes: 0, recordings: 0 });
    expect((await get('/api/rooms/nowhere/status')).status).toBe(404);

    const playlist = await get('/hls/plenary/index.m3u8');
    expect(playlist.status).toBe(404);
    expect(playlist.headers.get('access-control-allow-origin')).toBe('*');
    expect(playlist.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/hls/plenary/abc-0000/seg-00000.m4s')).status).toBe(404);
    expect((await get('/hls/plenary/..%2F..%2Fradacast.db/init.mp4')).status).toBe(404);
    expect((await get('/recordings/nothing/index.m3u8')).status).toBe(404);

    const preflight = await fetch(`${t.url}/hls/plenary/index.m3u8`, {
      method: 'OPTIONS',
      headers: { origin: 'https://rada.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Range');
  });
});

describe('without ffmpeg', () => {
  it('starts anyway, says what is wrong, and refuses publishers clearly', async () => {
    const t = await startTestServer({ media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [], ffmpegPath: '/nonexistent/ffmpeg' } });
    try {
      await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
      expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
      const status = (await (await fetch(`${t.url}/api/rooms/plenary/status`)).json()) as IngestStatus;
      expect(status.problem).toMatchObject({ code: 'ffmpeg-missing' });
      expect(status.problem!.messages.uk).toContain('/nonexistent/ffmpeg');
      expect(status.problem!.messages.en).toContain('RADACAST_FFMPEG');
      const info = (await (await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } })).json()) as IngestInfo;
      const refused = await pushTestPattern(info.rtmp.url, 2).exited;
      expect(refused.stderr).toContain('ffmpeg is missing');
    } finally {
      await t.close();
    }
  });
});

describe('media settings', () => {
  it('has defaults an operator can rely on', () => {
    expect(loadConfig({}).media).toEqual({
      ffmpegPath: '/usr/bin/ffmpeg',
      mediaDir: undefined,
      rtmpPort: 1935,
      srtPorts: [9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009],
      ingestHost: undefined,
      retentionDays: null,
      demoCamera: false,
      ladder: [],
      hwEncoder: 'off',
      ladderPreset: 'veryfast',
    });
    expect(loadConfig({ RADACAST_DEMO: '1' }).media.demoCamera).toBe(true);
    expect(loadConfig({ RADACAST_DEMO: '1', RADACAST_DEMO_CAMERA: '0' }).media.demoCamera).toBe(false);
  });

  it('reads ports, retention and hosts', () => {
    const media = loadConfig({
      RADACAST_RTMP_PORT: '1936',
      RADACAST_SRT_PORTS: '7000-7002,7010',
      RADACAST_RECORDING_RETENTION_DAYS: '1900',
      RADACAST_INGEST_HOST: 'stream.rada.example',
    }).media;
    expect(media).toMatchObject({ rtmpPort: 1936, srtPorts: [7000, 7001, 7002, 7010], retentionDays: 1900, ingestHost: 'stream.rada.example' });
    expect(loadConfig({ RADACAST_SRT_PORTS: 'off' }).media.srtPorts).toEqual([]);
  });

  it('refuses bad values, naming the variable', () => {
    const bad: Record<string, string>[] = [
      { RADACAST_RTMP_PORT: '0x50' },
      { RADACAST_RTMP_PORT: '70000' },
      { RADACAST_SRT_PORTS: '9010-9000' },
      { RADACAST_SRT_PORTS: 'udp' },
      { RADACAST_RECORDING_RETENTION_DAYS: '0' },
      { RADACAST_RECORDING_RETENTION_DAYS: 'forever' },
      { RADACAST_INGEST_HOST: 'bad host/' },
      { RADACAST_DEMO_CAMERA: 'yes' },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0]!;
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(name);
    }
  });
});
