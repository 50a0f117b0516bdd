// A resident's browser in low-latency mode: Debian's Chromium with hls.js (lowLatencyMode, target
// from the playlist's PART-HOLD-BACK) plays a room's live playlist for 20 s, and every presented
// frame is compared with the clock the source drew into it (test/support/glassToGlass.ts).
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { launchChromium } from '../support/browser.ts';
import { framesShown, latencyWebsite, listen, LOW_LATENCY_HLS, percentile, playWithClock, pushClock } from '../support/glassToGlass.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { segmentsAdded } from './support.ts';

describe('low-latency playback in a browser', () => {
  let t: TestServer;
  let browser: Browser;
  let website: Server | null = null;

  beforeAll(async () => {
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });
  afterAll(async () => {
    await browser?.close();
    website?.close();
    await t?.close();
  });

  it('hls.js in low-latency mode plays 20 s less than 2.5 s behind the picture source', { timeout: 90_000 }, async () => {
    const res = await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } });
    const { rtmp } = (await res.json()) as IngestInfo;
    const source = pushClock(rtmp.url, 60);
    try {
      website = latencyWebsite();
      const origin = await listen(website);
      await segmentsAdded(t.server.media, 'plenary', 2);
      const page = await browser.newPage();
      const read = await playWithClock(page, origin, `${t.url}/hls/plenary/index.m3u8`, LOW_LATENCY_HLS, source);
      await framesShown(page, 30);
      await read(); // the start, while hls.js settles on its target
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      const { latencies, fatal } = await read();
      expect(fatal).toEqual([]);
      // 30 fps source: at least 20 s × 20 frames presented (a loaded machine drops some).
      expect(latencies.length).toBeGreaterThan(400);
      const median = percentile(latencies, 50);
      const p95 = percentile(latencies, 95);
      console.log(`glass-to-glass over 20 s, LL-HLS: median ${Math.round(median)} ms, p95 ${Math.round(p95)} ms, max ${Math.round(Math.max(...latencies))} ms, ${latencies.length} frames`);
      expect(Math.min(...latencies)).toBeGreaterThan(0);
      expect(p95).toBeLessThan(2500);
    } finally {
      await source.kill();
    }
  });
});
