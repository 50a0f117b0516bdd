// WHIP ingest end to end with the real mediasoup worker: a publisher like OBS (werift, H.264 +
// Opus from a real ffmpeg) goes live with the room's stream key, the room's HLS appears with
// H.264 video and AAC audio (Opus encoded for HLS), and the ingest status says WHIP; a wrong key is
// 401, a second publisher 409, DELETE takes the room off air. The worker must be built
// (`npm run setup:webrtc`): without it these tests fail, they never skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import { cachedWorkerPath } from '../../server/media/webrtc/workerBinary.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { publishWhip } from '../support/whip.ts';
import { ffprobe, segmentsAdded, statusWhen } from './support.ts';

const ROOM = 'committee';

describe('WHIP ingest', () => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    t = await startTestServer({ webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' } });
    await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Зала комісій' } });
    const cookie = await t.login();
    const res = await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } });
    key = ((await res.json()) as IngestInfo).rtmp.key;
  });

  afterAll(async () => {
    await t.close();
  });

  it('runs the mediasoup worker (built by npm run setup:webrtc)', () => {
    expect(t.server.webrtc.unavailable, `expected a worker at ${cachedWorkerPath()}`).toBeNull();
  });

  it('refuses a wrong stream key with 401 and changes nothing', async () => {
    await expect(publishWhip(t.url, ROOM, 'not-the-key')).rejects.toMatchObject({ status: 401 });
    expect(t.server.media.status(ROOM)!.state).toBe('offline');
  });

  it('publishes H.264 + Opus: the room goes live over WHIP, HLS has h264 and aac, DELETE ends it', async () => {
    const publisher = await publishWhip(t.url, ROOM, key);
    try {
      expect(publisher.location).toMatch(new RegExp(`/whip/${ROOM}/[0-9a-f]+$`));
      const live = await statusWhen(t.server.media, ROOM, (s) => s.state === 'live');
      expect(live.protocol).toBe('whip');
      await segmentsAdded(t.server.media, ROOM, 2);

      const probe = await ffprobe(`${t.url}/hls/${ROOM}/source.m3u8`);
      const codecs = probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort();
      expect(codecs).toEqual(['audio:aac', 'video:h264']);

      await expect(publishWhip(t.url, ROOM, key)).rejects.toMatchObject({ status: 409 });
    } finally {
      await publisher.stop();
    }
    const off = await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
    expect(off.protocol).toBeNull();
  });
});
