// A resident's browser: Debian's Chromium with hls.js, on a page of another origin (as the
// council's website embedding the player), plays /hls/plenary/index.m3u8 live — the picture
// advances, and the playhead's program date-time is close to now.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { pushTestPattern, segmentsAdded } from './support.ts';

const HLS_JS = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');

/** The council's website: another origin that embeds the player. */
function websiteWithPlayer(source: string): Server {
  const page = `<!doctype html><html lang="uk"><body>
<video id="video" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
  window.fatal = [];
  const video = document.getElementById('video');
  const hls = new Hls();
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) window.fatal.push(data.details); });
  hls.loadSource(${JSON.stringify(source)});
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
</script></body></html>`;
  return createServer((req, res) => {
    if (req.url === '/hls.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(HLS_JS);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
}

describe('live playback in a browser', () => {
  let t: TestServer;
  let website: Server;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
    website = websiteWithPlayer(`${t.url}/hls/plenary/index.m3u8`);
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    await browser?.close();
    website?.close();
    await t?.close();
  });

  it('hls.js on another origin plays the live stream: currentTime advances by 3 s', async () => {
    const res = await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } });
    const { rtmp } = (await res.json()) as IngestInfo;
    const encoder = pushTestPattern(rtmp.url, 60);
    try {
      await segmentsAdded(t.server.media, 'plenary', 3);
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(website.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => document.querySelector('video')!.currentTime > 0, undefined, { timeout: 20_000 });
      const start = await page.evaluate(() => document.querySelector('video')!.currentTime);
      await page.waitForFunction((from) => document.querySelector('video')!.currentTime >= from + 3, start, { timeout: 20_000 });
      const state = await page.evaluate(() => {
        const w = window as unknown as { fatal: string[]; hls: { playingDate: Date | null } };
        return { fatal: w.fatal, behindMs: Date.now() - (w.hls.playingDate?.getTime() ?? 0) };
      });
      expect(state.fatal).toEqual([]);
      // The playhead's program date-time: how far behind the wall clock the resident watches.
      expect(state.behindMs).toBeGreaterThan(0);
      expect(state.behindMs).toBeLessThan(10_000);
    } finally {
      await encoder.kill();
    }
  });
});
