// WebRTC in Debian's Chromium with the real mediasoup worker: the clerk goes live from the console
// with the laptop's camera and microphone (Chromium's fake devices), the room's HLS plays in a
// resident's page, the console's program preview plays over WHEP, and stopping takes the room off
// air. The worker must be built (`npm run setup:webrtc`): without it this fails, never skips.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logIn, type ConsolePage } from '../console/consolePage.ts';
import { segmentsAdded, statusWhen } from './support.ts';

const HLS_JS = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');
const ROOM = 'committee';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

beforeAll(async () => {
  t = await startTestServer({ webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' } });
  await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Зала комісій' } });
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
  ]);
  c = await consolePage(browser, t.url);
  await c.context.grantPermissions(['camera', 'microphone'], { origin: t.url });
  await logIn(c.page);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Waits until the video element's playhead has moved on by `seconds`. */
async function advances(page: Page, selector: string, seconds: number): Promise<void> {
  const playhead = (s: string) => document.querySelector<HTMLVideoElement>(s)?.currentTime ?? 0;
  await page.waitForFunction((s) => (document.querySelector<HTMLVideoElement>(s)?.currentTime ?? 0) > 0, selector, { timeout: 20_000 });
  const from = await page.evaluate(playhead, selector);
  await page.waitForFunction(
    ({ s, start, by }) => (document.querySelector<HTMLVideoElement>(s)?.currentTime ?? 0) >= start + by,
    { s: selector, start: from, by: seconds },
    { timeout: 20_000 },
  );
}

it('goes live from the console over WHIP; HLS plays for residents; the WHEP preview plays; stop ends it', async () => {
  expect(t.server.webrtc.unavailable).toBeNull();
  const { page } = c;
  await page.getByRole('link', { name: 'Адміністрування' }).click();
  const golive = page.getByRole('region', { name: 'Наживо з цього пристрою' });
  await golive.getByRole('button', { name: 'Почати трансляцію' }).click();
  await golive.getByRole('status').filter({ hasText: 'В ефірі з цього пристрою' }).waitFor({ timeout: 20_000 });
  const live = await statusWhen(t.server.media, ROOM, (s) => s.state === 'live');
  expect(live.protocol).toBe('whip');
  await segmentsAdded(t.server.media, ROOM, 2);

  // A resident's page plays the room's HLS.
  const resident = await browser.newPage();
  await resident.setContent('<video id="video" muted playsinline></video>');
  await resident.addScriptTag({ content: HLS_JS });
  await resident.evaluate((source) => {
    const Hls = (window as unknown as { Hls: new () => { loadSource(s: string): void; attachMedia(v: HTMLVideoElement): void } }).Hls;
    const hls = new Hls();
    const video = document.getElementById('video') as HTMLVideoElement;
    hls.loadSource(source);
    hls.attachMedia(video);
    void video.play().catch(() => undefined);
    video.addEventListener('canplay', () => void video.play());
  }, `${t.url}/hls/${ROOM}/index.m3u8`);
  await advances(resident, '#video', 2);

  // The console's program preview over WHEP.
  await golive.getByRole('button', { name: 'Перегляд програми без затримки' }).click();
  await advances(page, 'video.program-view', 1);
  expect(await page.evaluate(() => (document.querySelector('video.program-view') as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);

  await golive.getByRole('button', { name: 'Зупинити трансляцію' }).click();
  await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
  expect(c.errors).toEqual([]);
}, 120_000);
