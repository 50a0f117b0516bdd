// `npm run demo`'s synthetic camera: with the demo council loaded, a test pattern with the wall
// clock and a tone goes live in the plenary room on its own, as a newcomer expects — here with
// the data folder under a dot-folder, as ~/.local/share would be.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';
import { parsePlaylist, segmentsAdded, statusWhen } from './support.ts';

describe('demo camera', () => {
  let t: TestServer;
  const base = tempDir();

  beforeAll(async () => {
    const media = { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [], demoCamera: true };
    t = await startTestServer({ demo: true, dataDir: join(base, '.local', 'radacast'), media });
  });
  afterAll(async () => {
    await t.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('puts live video into the plenary room without any encoder', async () => {
    await segmentsAdded(t.server.media, 'plenary', 2);
    const status = await statusWhen(t.server.media, 'plenary', (s) => s.video !== null);
    expect(status).toMatchObject({
      state: 'live',
      protocol: 'rtmp',
      video: { codec: 'h264', width: 1280, height: 720, fps: 25 },
      audio: { codec: 'aac', sampleRate: 48000, transcoded: false },
    });
    const playlist = parsePlaylist(await (await fetch(`${t.url}/hls/plenary/source.m3u8`)).text());
    expect(playlist.segments.length).toBeGreaterThanOrEqual(2);
    expect(playlist.segments.every((s) => Math.abs(s.duration - 1) < 0.05)).toBe(true);
    const segment = await fetch(`${t.url}/hls/plenary/${playlist.segments.at(-1)!.uri}`);
    expect(segment.status).toBe(200);
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect(t.server.media.status('committee-room')!.state).toBe('offline');
  });
});
