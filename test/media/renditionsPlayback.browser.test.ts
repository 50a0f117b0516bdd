// The residents' player with renditions, in Debian's Chromium: a 640×360 program with a 240p
// rendition (RADACAST_RENDITIONS=source,240p,audio). With the network throttled through the
// DevTools protocol to just above the 240p rendition's rate — a fraction of the program's —
// hls.js (automatic quality) switches down within 20 s, the menu says so, and it keeps playing; "audio only" plays sound with no video track, and the choice is
// remembered on the device after a reload.
import type { Browser, Page } from 'playwright-core';
import HLS from 'hls-parser';
import type { MasterPlaylist } from 'hls-parser/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import { liveVoteCommands } from '../support/demoSitting.ts';
import { PRESENT, run } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchSiteBrowser, openPage, playing } from '../site/sitePages.ts';
import { pushTestPattern, segmentsAdded, type Encoder } from './support.ts';

/** The video keeps advancing: `seconds` more of it within `timeout`. */
async function advances(page: Page, seconds: number, timeout = 15_000): Promise<void> {
  const from = await page.evaluate(() => document.querySelector('video')!.currentTime);
  await page.waitForFunction((t) => document.querySelector('video')!.currentTime > t, from + seconds, { timeout });
}

const rendition = (page: Page) => page.getAttribute('.player', 'data-rendition');

describe('quality of the live stream in the residents\' player', () => {
  let t: TestServer;
  let encoder: Encoder;
  let browser: Browser;

  beforeAll(async () => {
    const env = { RADACAST_RENDITIONS: 'source,240p,audio' };
    t = await startTestServer({ demo: true, media: { ...loadConfig(env).media, rtmpPort: 0, srtPorts: [] } });
    await run(t, liveVoteCommands({ present: PRESENT, voteId: 'v1' }));
    const res = await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } });
    const { rtmp } = (await res.json()) as IngestInfo;
    encoder = pushTestPattern(rtmp.url, 150, 'flv', 1, '640x360');
    // The ladder's first segments follow the program's by a moment.
    while (!t.server.media.liveRoom('plenary')!.multivariant()?.includes('240p.m3u8')) await segmentsAdded(t.server.media, 'plenary', 1);
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await encoder?.kill();
    await t?.close();
  });

  it('switches down within 20 s when the network gets slower than the program, and keeps playing', async () => {
    const master = HLS.parse(t.server.media.liveRoom('plenary')!.multivariant()!) as MasterPlaylist;
    const rate = (uri: string) => master.variants.find((v) => v.uri === uri)!.bandwidth;
    // Just above the 240p rendition's peak and far below the program's: no estimate hls.js can
    // make of such a link (its own margin is 0.7 of it) comes near the program's rate, so once
    // down it has no reason to go back up while throttled.
    const throttle = 1.25 * rate('240p.m3u8');
    console.log(`program ${Math.round(rate('source.m3u8') / 1000)} kbit/s, 240p ${Math.round(rate('240p.m3u8') / 1000)} kbit/s`);
    expect(rate('source.m3u8')).toBeGreaterThan(2 * throttle);

    const page = await openPage(browser, `${t.url}/live/plenary`);
    await playing(page, 'live');
    await page.waitForFunction(() => document.querySelector('.player')?.getAttribute('data-rendition') === 'source', undefined, { timeout: 20_000 });
    expect(await page.inputValue('.quality select')).toBe('auto');

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: throttle / 8, uploadThroughput: throttle / 8 });
    const throttledAt = Date.now();
    // What the resident sees: the player on 240p and the automatic choice naming it, together.
    await page.waitForFunction(
      () =>
        document.querySelector('.player')?.getAttribute('data-rendition') === '240p' &&
        (document.querySelector('.quality option[value="auto"]')?.textContent ?? '').includes('240p'),
      undefined,
      { timeout: 20_000 },
    );
    const switchedAfter = Date.now() - throttledAt;
    console.log(`switched down ${switchedAfter} ms after throttling to ${Math.round(throttle / 1000)} kbit/s`);
    expect(switchedAfter).toBeLessThan(20_000);
    // And it keeps playing on the slow link.
    await advances(page, 3);
    expect(await rendition(page)).toBe('240p');
    await page.close();
  });

  it('"audio only" plays sound with no video track, and the device remembers the choice', async () => {
    const page = await openPage(browser, `${t.url}/live/plenary`);
    await playing(page, 'live');
    await page.selectOption('.quality select', 'audio');
    await page.waitForSelector('.slate.audio-only', { timeout: 20_000 });
    await advances(page, 2);
    const listened = await page.evaluate(() => {
      const video = document.querySelector('video') as HTMLVideoElement & { webkitAudioDecodedByteCount: number; webkitVideoDecodedByteCount: number };
      return { width: video.videoWidth, audio: video.webkitAudioDecodedByteCount, video: video.webkitVideoDecodedByteCount };
    });
    expect(listened.width).toBe(0);
    expect(listened.video).toBe(0);
    expect(listened.audio).toBeGreaterThan(0);
    expect(await rendition(page)).toBe('audio');

    await page.reload();
    await playing(page, 'live');
    expect(await page.inputValue('.quality select')).toBe('audio');
    expect(await rendition(page)).toBe('audio');
    // Back to automatic: the picture returns.
    await page.selectOption('.quality select', 'auto');
    await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).videoWidth > 0, undefined, { timeout: 20_000 });
    await page.close();
  });
});
