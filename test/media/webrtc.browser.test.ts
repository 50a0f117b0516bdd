// WebRTC in Debian's Chromium with the real mediasoup worker: the clerk goes live from the console
// with the laptop's camera and microphone (Chromium's fake devices), the room's HLS plays in a
// resident's page, the console's program preview plays over WHEP, and stopping takes the room off
// air. The worker must be built (`npm run setup:webrtc`): without it this fails, never skips.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { launchChromium } from '../support/browser.ts';
import { latencyWebsite, listen } from '../support/glassToGlass.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logIn, type ConsolePage } from '../console/consolePage.ts';
import { segmentsAdded, statusWhen } from './support.ts';

const ROOM = 'committee';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
let residentsSite: Server;
let website: string;

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
  residentsSite = latencyWebsite();
  website = await listen(residentsSite);
});

afterAll(async () => {
  residentsSite?.close();
  await browser?.close();
  await t?.close();
});

/** Resolves once the video element's playhead has moved on by `seconds` from where it first played. */
async function advances(page: Page, selector: string, seconds: number): Promise<void> {
  const moved = page.evaluate(
    ({ s, by }) =>
      new Promise<void>((resolve) => {
        const video = document.querySelector<HTMLVideoElement>(s)!;
        let start: number | null = null;
        const check = () => {
          if (video.currentTime > 0) start ??= video.currentTime;
          if (start !== null && video.currentTime >= start + by) resolve();
        };
        video.addEventListener('timeupdate', check);
        check();
      }),
    { s: selector, by: seconds },
  );
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${selector} did not play ${seconds} s`)), 30_000).unref());
  await Promise.race([moved, timeout]);
}

it('goes live from the console over WHIP; HLS plays for residents; the WHEP preview plays; stop ends it', async () => {
  expect(t.server.webrtc.unavailable).toBeNull();
  const { page } = c;
  await page.getByRole('link', { name: 'Налаштування' }).first().click();
  const golive = page.getByRole('region', { name: 'Наживо з цього пристрою' });
  await golive.getByRole('button', { name: 'Почати трансляцію' }).click();
  await golive.getByRole('status').filter({ hasText: 'В ефірі з цього пристрою' }).waitFor({ timeout: 20_000 });
  const live = await statusWhen(t.server.media, ROOM, (s) => s.state === 'live');
  expect(live.protocol).toBe('whip');
  await segmentsAdded(t.server.media, ROOM, 2);

  // A resident's page (hls.js on another origin, as the council's website) plays the room's HLS.
  const resident = await browser.newPage();
  const query = new URLSearchParams({ source: `${t.url}/hls/${ROOM}/index.m3u8`, config: '{}' });
  await resident.goto(`${website}?${query.toString()}`);
  await advances(resident, '#video', 2);
  expect(await resident.evaluate(() => (window as unknown as { fatal: string[] }).fatal)).toEqual([]);

  // The console's program preview over WHEP (the console in front again: Chromium defers media
  // in a page that is not shown).
  await page.bringToFront();
  await golive.getByRole('button', { name: 'Перегляд програми без затримки' }).click();
  await advances(page, 'video.program-view', 1);
  expect(await page.evaluate(() => (document.querySelector('video.program-view') as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);

  await golive.getByRole('button', { name: 'Зупинити трансляцію' }).click();
  await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
  expect(c.errors).toEqual([]);
}, 120_000);
