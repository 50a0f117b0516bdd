// SRT ingest with real ffmpeg callers: the room's own port, the stream key as passphrase (a
// wrong one is refused and shown to the operator), live HLS like RTMP, RTMP refused while SRT
// holds the room, and a fresh listener after the caller leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { freeUdpPort, parsePlaylist, pushTestPattern, segmentsAdded, statusWhen } from './support.ts';

describe('SRT ingest', () => {
  let t: TestServer;
  let port: number;

  beforeAll(async () => {
    port = await freeUdpPort();
    t = await startTestServer({ media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [port] } });
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
  });
  afterAll(() => t.close());

  it('publishes with the stream key as passphrase, refusing wrong keys and a second publisher', async () => {
    const media = t.server.media;
    const res = await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } });
    const { srt, rtmp } = (await res.json()) as IngestInfo;
    expect(srt).toEqual({
      url: `srt://127.0.0.1:${port}?streamid=${rtmp.key}&passphrase=${rtmp.key}`,
      port,
      streamid: rtmp.key,
      passphrase: rtmp.key,
    });

    const wrong = pushTestPattern(`srt://127.0.0.1:${port}?passphrase=not-the-stream-key`, 2, 'mpegts');
    expect((await wrong.exited).code).not.toBe(0);
    const refused = await statusWhen(media, 'plenary', (s) => s.problem?.code === 'srt-wrong-passphrase');
    expect(refused.state).toBe('offline');
    expect(refused.problem!.messages.en).toContain('wrong passphrase');

    const caller = pushTestPattern(srt!.url, 30, 'mpegts');
    await segmentsAdded(media, 'plenary', 2);
    expect(media.status('plenary')).toMatchObject({
      state: 'live',
      protocol: 'srt',
      video: { codec: 'h264', width: 320, height: 180 },
      audio: { codec: 'aac', transcoded: true },
      problem: null,
    });
    const playlist = parsePlaylist(await (await fetch(`${t.url}/hls/plenary/index.m3u8`)).text());
    expect(playlist.segments.length).toBeGreaterThanOrEqual(2);
    expect(playlist.segments.every((s) => s.programDateTime !== null && s.duration <= 2)).toBe(true);

    const rtmpWhileSrt = pushTestPattern(rtmp.url, 2);
    expect((await rtmpWhileSrt.exited).stderr).toContain('Another encoder is already streaming');
    await caller.stop();
    await statusWhen(media, 'plenary', (s) => s.state === 'offline');

    // A new listener takes the place of the one the caller left.
    const again = pushTestPattern(srt!.url, 30, 'mpegts');
    await segmentsAdded(media, 'plenary', 1);
    expect(media.status('plenary')!.protocol).toBe('srt');
    await again.stop();
  });
});
