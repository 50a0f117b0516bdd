// The sign-language interpreter in Debian's Chromium with the real mediasoup worker (issue 17):
// the program comes over WHIP (werift, as OBS); the clerk creates an interpreter link in the
// console; the interpreter opens it (fake camera), watches the program over WHEP and goes on
// air; a resident on a 360 px phone sees the interpreter as picture-in-picture over the live
// player, its frames advancing, hides it (remembered on reload); the clerk revokes the link: the
// interpreter goes off air and the link's page says so; the sitting's recording shows the
// interpreter where it was on air and not before. The worker must be built (`npm run setup:webrtc`).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import type { IssuedRoomLink } from '../../protocol/roomLinks.ts';
import { loadConfig } from '../../server/config.ts';
import { consolePage, logIn, type ConsolePage } from '../console/consolePage.ts';
import { launchChromium } from '../support/browser.ts';
import { run } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { publishWhip, type WhipPublisher } from '../support/whip.ts';
import { openPage, playing, PHONE } from '../site/sitePages.ts';
import { nextEvent, statusWhen } from './support.ts';

const ROOM = 'committee-room';
const ROOM_NAME = 'Мала зала (комісії)';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
let program: WhipPublisher;

beforeAll(async () => {
  t = await startTestServer({ demo: true, webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' } });
  await run(t, [
    {
      type: 'sitting.create',
      sitting: { id: 'budget-1', bodyId: 'budget-committee', title: 'Засідання комісії з питань бюджету', room: ROOM, scheduledAt: '2030-12-08T14:00:00+02:00' },
    },
    { type: 'sitting.open', sittingId: 'budget-1' },
  ]);
  const cookie = await t.login();
  const key = ((await (await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } })).json()) as IngestInfo).rtmp.key;
  program = await publishWhip(t.url, ROOM, key);
  await statusWhen(t.server.media, ROOM, (s) => s.state === 'live');
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
  c = await consolePage(browser, t.url);
  await logIn(c.page);
});

afterAll(async () => {
  await browser?.close();
  await program?.stop();
  await t?.close();
});

/** Resolves once the video's playhead has moved on by `seconds`. */
async function advances(page: Page, selector: string, seconds: number): Promise<void> {
  const from = await page.evaluate((s) => document.querySelector<HTMLVideoElement>(s)?.currentTime ?? 0, selector);
  await page.waitForFunction(({ s, t0, by }) => (document.querySelector<HTMLVideoElement>(s)?.currentTime ?? 0) > t0 + by, { s: selector, t0: from, by: seconds }, { timeout: 30_000 });
}

it('the clerk issues a link; the interpreter watches the program and goes on air; residents see and hide the picture-in-picture; a revoked link is refused; the recording keeps the interpreter', async () => {
  // The clerk, in the room's settings.
  const { page } = c;
  await page.getByRole('link', { name: 'Налаштування' }).first().click();
  const stream = page.getByRole('region', { name: `Трансляція: ${ROOM_NAME}` });
  const links = stream.getByRole('region', { name: 'Посилання для перекладача й мовників' });
  await links.getByLabel('Тип').selectOption('interpreter');
  await links.getByLabel('Для кого').fill('Олена');
  await links.getByRole('button', { name: 'Створити посилання' }).click();
  const url = await links.getByLabel('Посилання', { exact: true }).inputValue();
  expect(url).toMatch(new RegExp(`^${t.url}/interpret/rdl_[A-Za-z0-9_-]+$`));
  await links.getByText(/Олена · Перекладач жестової мови · до /).waitFor();

  // The interpreter, elsewhere, with a camera.
  const context = await browser.newContext({ locale: 'uk-UA' });
  await context.grantPermissions(['camera', 'microphone'], { origin: t.url });
  const interpreter = await context.newPage();
  const errors: Error[] = [];
  interpreter.on('pageerror', (err) => errors.push(err));
  await interpreter.goto(url);
  await interpreter.getByRole('heading', { name: `Перекладач жестової мови — ${ROOM_NAME}` }).waitFor();
  await advances(interpreter, 'video.program-view', 1);
  expect(await interpreter.evaluate(() => document.querySelector<HTMLVideoElement>('video.program-view')?.videoWidth)).toBeGreaterThan(0);
  await interpreter.getByLabel('Камера').locator('option').first().waitFor({ state: 'attached' });
  await interpreter.getByRole('button', { name: 'Почати переклад в ефірі' }).click();
  await interpreter.getByRole('status').filter({ hasText: 'Ви в ефірі' }).waitFor({ timeout: 20_000 });

  // A resident on a phone.
  const resident = await openPage(browser, `${t.url}/live/${ROOM}`, { viewport: PHONE });
  await playing(resident, 'live', 40_000);
  await resident.waitForSelector('.pip:not([hidden])', { timeout: 40_000 });
  await advances(resident, 'video.interpreter-view', 1);
  const seenAt = Date.now();
  const box = await resident.locator('.pip').boundingBox();
  const frame = await resident.locator('.player .frame').boundingBox();
  expect(box && frame && box.width < frame.width / 2 && box.x + box.width <= frame.x + frame.width).toBe(true);
  const toggle = resident.getByRole('button', { name: 'Перекладач жестової мови' });
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  await toggle.click();
  await resident.waitForSelector('.pip[hidden]', { state: 'attached' });
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  await resident.reload();
  await resident.getByRole('button', { name: 'Перекладач жестової мови' }).waitFor({ timeout: 30_000 });
  expect(await resident.getByRole('button', { name: 'Перекладач жестової мови' }).getAttribute('aria-pressed')).toBe('false');
  expect(await resident.locator('.pip').getAttribute('hidden')).not.toBeNull();

  // The clerk revokes the link: a fresh open of the page is refused with a clear word.
  await page.bringToFront();
  await links.getByRole('button', { name: 'Відкликати Олена' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Відкликати', exact: true }).click();
  await links.getByText('Активних посилань немає.').waitFor();
  // The interpreter is taken off air at once, and the link no longer opens the page.
  await expect.poll(() => t.server.interpreter.onAir(ROOM), { timeout: 10_000 }).toBe(false);
  await interpreter.getByRole('alert').filter({ hasText: 'Посилання відкликано' }).waitFor({ timeout: 40_000 });
  const again = await context.newPage();
  await again.goto(url);
  await again.getByRole('alert').filter({ hasText: 'Посилання відкликано' }).waitFor();
  expect(errors).toEqual([]);
  expect(c.errors).toEqual([]);

  // The sitting closes: its recording plays the interpreter as picture-in-picture at the moments
  // the interpreter was on air, and not before.
  const complete = nextEvent<[string]>(t.server.media, 'recording', (id) => id === 'budget-1', 60_000);
  await run(t, [{ type: 'sitting.close', sittingId: 'budget-1' }]);
  await complete;
  const recording = (await t.sitting('budget-1')).recording;
  expect(recording?.status).toBe('complete');
  const startedAt = Date.parse(recording?.startedAt ?? '');
  const at = Math.max(0, Math.floor((seenAt - startedAt) / 1000) - 2);
  const archive = await openPage(browser, `${t.url}/sittings/budget-1?t=${at}`, { viewport: PHONE });
  await archive.waitForSelector('.pip:not([hidden])', { timeout: 40_000 });
  await advances(archive, 'video.interpreter-view', 1);
  await archive.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('.player video');
    if (video) video.currentTime = 0.5;
  });
  await archive.waitForSelector('.pip[hidden]', { state: 'attached', timeout: 10_000 });
}, 240_000);

it('tells the interpreter when the room is not on air yet, and still lets them set up the camera', async () => {
  const cookie = await t.login();
  const res = await fetch(`${t.url}/api/rooms/plenary/links`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'interpreter', hours: 4, label: 'Олена' }),
  });
  const { url } = (await res.json()) as IssuedRoomLink;
  const context = await browser.newContext({ locale: 'uk-UA' });
  await context.grantPermissions(['camera', 'microphone'], { origin: t.url });
  const page = await context.newPage();
  await page.goto(`${t.url}${url}`);
  await page.getByRole('heading', { name: 'Перекладач жестової мови — Сесійна зала' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Трансляції з зали ще немає' }).waitFor();
  await advances(page, 'video.self-view', 0.5);
  await context.close();
}, 60_000);
