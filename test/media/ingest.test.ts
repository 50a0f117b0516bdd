// RTMP ingest end to end, with real ffmpeg as the encoder and as the checker: a publisher goes
// live and residents get HLS; wrong keys and second publishers are refused; an encoder that
// drops and returns, or a packager that crashes, continues the same playlist with a
// discontinuity; two rooms stream at once without touching each other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { countFrames, parsePlaylist, pushTestPattern, segmentsAdded, statusWhen } from './support.ts';

const ROOMS = ['plenary', 'committee-room', 'hall-3', 'hall-4'];

describe('RTMP ingest and live HLS', () => {
  let t: TestServer;
  let cookie: string;
  const logLines: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'radacast-media-'));

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    t = await startTestServer({}, logger);
    for (const id of ROOMS) await t.command({ type: 'room.upsert', room: { id, name: `Зала ${id}` } });
    cookie = await t.login();
  });

  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function ingest(room: string): Promise<IngestInfo> {
    const res = await fetch(`${t.url}/api/rooms/${room}/ingest`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as IngestInfo;
  }

  async function livePlaylist(room: string) {
    const res = await fetch(`${t.url}/hls/${room}/source.m3u8`);
    expect(res.status).toBe(200);
    return { res, playlist: parsePlaylist(await res.text()) };
  }

  it('publishes over RTMP: a live playlist with program date-times and 1 s segments that decode', async () => {
    const media = t.server.media;
    const { rtmp } = await ingest('plenary');
    expect(rtmp.url).toBe(`rtmp://127.0.0.1:${media.rtmpPort}/live/${rtmp.key}`);
    const encoder = pushTestPattern(rtmp.url, 4);
    await segmentsAdded(media, 'plenary', 3);

    const { res, playlist } = await livePlaylist('plenary');
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.apple\.mpegurl(;|$)/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=1');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(playlist.header['EXT-X-TARGETDURATION']).toBe('1');
    expect(playlist.segments.length).toBeGreaterThanOrEqual(3);
    for (const s of playlist.segments) {
      expect(s.duration).toBeGreaterThanOrEqual(0.9);
      expect(s.duration).toBeLessThanOrEqual(2);
      expect(s.programDateTime).not.toBeNull();
    }
    // Within a run, each program date-time is the previous one plus its duration.
    for (let i = 1; i < playlist.segments.length; i++) {
      const [a, b] = [playlist.segments[i - 1]!, playlist.segments[i]!];
      expect(b.programDateTime! - a.programDateTime!).toBeCloseTo(a.duration * 1000, -1);
    }
    // …and the first one is close to the wall clock of the push.
    expect(Math.abs(playlist.segments[0]!.programDateTime! - Date.now())).toBeLessThan(10_000);

    const first = playlist.segments[0]!;
    const init = await fetch(`${t.url}/hls/plenary/${first.map}`);
    const segment = await fetch(`${t.url}/hls/plenary/${first.uri}`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(segment.headers.get('access-control-allow-origin')).toBe('*');
    expect(segment.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(segment.headers.get('content-type')).toBe('video/iso.segment');
    const file = join(work, 'first.mp4');
    writeFileSync(file, Buffer.concat([Buffer.from(await init.arrayBuffer()), Buffer.from(await segment.arrayBuffer())]));
    expect(await countFrames(file)).toBe(25);

    const status = (await (await fetch(`${t.url}/api/rooms/plenary/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      room: 'plenary',
      state: 'live',
      protocol: 'rtmp',
      video: { codec: 'h264', width: 320, height: 180, fps: 25 },
      audio: { codec: 'aac', sampleRate: 48000, transcoded: false },
      keyframeInterval: 1,
      problem: null,
    });
    expect(status.bitrateKbps).toBeGreaterThan(0);
    expect((status.storage as { liveBytes: number }).liveBytes).toBeGreaterThan(0);

    expect((await encoder.exited).code).toBe(0);
    const offline = await statusWhen(media, 'plenary', (s) => s.state === 'offline');
    expect(offline.protocol).toBeNull();
    // The last segment was flushed when the encoder stopped: the whole push is listed.
    const total = (await livePlaylist('plenary')).playlist.segments.reduce((sum, s) => sum + s.duration, 0);
    expect(total).toBeCloseTo(4, 0);
  });

  it('refuses a wrong stream key and a wrong application, logs it, and never logs a key', async () => {
    const { rtmp } = await ingest('hall-4');
    const wrongKey = pushTestPattern(`rtmp://127.0.0.1:${t.server.media.rtmpPort}/live/not-a-key`, 2);
    const refused = await wrongKey.exited;
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Wrong stream key');
    const wrongApp = pushTestPattern(`rtmp://127.0.0.1:${t.server.media.rtmpPort}/stream/${rtmp.key}`, 2);
    expect((await wrongApp.exited).stderr).toContain('it must end in /live');
    expect(t.server.media.status('hall-4')!.state).toBe('offline');
    expect(logLines.some((l) => l.includes('RTMP publish refused: unknown stream key'))).toBe(true);
    expect(logLines.some((l) => l.includes('RTMP publish refused: wrong application name'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(rtmp.key);
  });

  it('refuses a second publisher while the first stays on air', async () => {
    const media = t.server.media;
    const { rtmp } = await ingest('hall-3');
    const first = pushTestPattern(rtmp.url, 30);
    await segmentsAdded(media, 'hall-3', 1);
    const second = pushTestPattern(rtmp.url, 2);
    const refused = await second.exited;
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Another encoder is already streaming to this room');
    expect(media.status('hall-3')!.problem?.code).toBe('second-publisher');
    // The first publisher is unaffected.
    await segmentsAdded(media, 'hall-3', 1);
    expect(media.status('hall-3')!.state).toBe('live');
    await first.kill();
    await statusWhen(media, 'hall-3', (s) => s.state === 'offline');
  });

  it('continues the same live playlist with a discontinuity when the encoder drops and comes back', async () => {
    const media = t.server.media;
    const { rtmp } = await ingest('committee-room');
    const before = pushTestPattern(rtmp.url, 2);
    await before.exited;
    await statusWhen(media, 'committee-room', (s) => s.state === 'offline');
    const { playlist: dropped } = await livePlaylist('committee-room');

    const after = pushTestPattern(rtmp.url, 3);
    await segmentsAdded(media, 'committee-room', 2);
    const { playlist } = await livePlaylist('committee-room');
    await after.kill();

    const maps = [...new Set(playlist.segments.map((s) => s.map))];
    expect(maps).toHaveLength(2);
    expect(playlist.segments.filter((s) => s.discontinuity)).toHaveLength(1);
    const resumed = playlist.segments.findIndex((s) => s.discontinuity);
    expect(playlist.segments[resumed]!.map).not.toBe(playlist.segments[resumed - 1]!.map);
    // Same playlist: the old segments are still listed, numbering continues, time moves on.
    expect(playlist.header['EXT-X-MEDIA-SEQUENCE']).toBe(dropped.header['EXT-X-MEDIA-SEQUENCE']);
    expect(playlist.segments.slice(0, resumed).map((s) => s.uri)).toEqual(dropped.segments.map((s) => s.uri).slice(0, resumed));
    const times = playlist.segments.map((s) => s.programDateTime!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('restarts a crashed packager while the encoder keeps sending', async () => {
    const media = t.server.media;
    const { rtmp } = await ingest('hall-4');
    const encoder = pushTestPattern(rtmp.url, 30);
    await segmentsAdded(media, 'hall-4', 2);
    const packager = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      // The only packager running (it writes fragmented MP4 to its stdout, no path names its room).
      .find((line) => line.includes('frag_keyframe') && line.includes('pipe:1'));
    expect(packager).toBeDefined();
    const firstRun = parsePlaylist((await (await fetch(`${t.url}/hls/hall-4/source.m3u8`)).text())).segments[0]!.map;
    process.kill(Number(packager!.trim().split(/\s+/)[0]), 'SIGKILL');

    await statusWhen(media, 'hall-4', (s) => s.problem?.code === 'ffmpeg-crashed');
    await segmentsAdded(media, 'hall-4', 2);
    const { playlist } = await livePlaylist('hall-4');
    await encoder.kill();
    expect(media.status('hall-4')!.problem?.messages.uk).toMatch(/перезапускається/);
    const runs = [...new Set(playlist.segments.map((s) => s.map))];
    expect(runs[0]).toBe(firstRun);
    expect(runs.length).toBe(2);
    expect(playlist.segments.filter((s) => s.discontinuity)).toHaveLength(1);
  });

  it('streams two rooms at once without interference', async () => {
    const media = t.server.media;
    const [a, b] = await Promise.all([ingest('plenary'), ingest('hall-3')]);
    const encoders = [pushTestPattern(a.rtmp.url, 30), pushTestPattern(b.rtmp.url, 30)];
    await Promise.all([segmentsAdded(media, 'plenary', 2), segmentsAdded(media, 'hall-3', 2)]);
    expect(media.status('plenary')!.state).toBe('live');
    expect(media.status('hall-3')!.state).toBe('live');
    await Promise.all(encoders.map((e) => e.kill()));
    const [pa, pb] = await Promise.all([livePlaylist('plenary'), livePlaylist('hall-3')]);
    const runsA = new Set(pa.playlist.segments.map((s) => s.map.split('/')[0]));
    const runsB = new Set(pb.playlist.segments.map((s) => s.map.split('/')[0]));
    expect([...runsA].some((r) => runsB.has(r))).toBe(false);
    // A room's files are not served under another room's path.
    const foreign = pa.playlist.segments.at(-1)!.uri;
    expect((await fetch(`${t.url}/hls/hall-3/${foreign}`)).status).toBe(404);
    expect((await fetch(`${t.url}/hls/plenary/${foreign}`)).status).toBe(200);
  });
});
