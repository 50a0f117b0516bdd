// Restream in the console: the admin sets up YouTube for the plenary room in «Трансляції» (the
// preset fills the address; a bad key is refused naming the field; the saved key shows only its
// end), and on the sitting screen the room's destination shows as a light with a switch that
// stops it by a command on the record.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DestinationView } from '../../protocol/restream.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logIn, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await logIn(c.page);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function destinations(): Promise<DestinationView[]> {
  const res = await fetch(`${t.url}/api/rooms/plenary/destinations`, { headers: { cookie: await t.login() } });
  return (await res.json()) as DestinationView[];
}

it('sets up a YouTube destination with the preset and switches it off from the sitting screen', async () => {
  const { page } = c;
  await page.getByRole('link', { name: 'Адміністрування' }).click();
  const panel = page.getByRole('region', { name: 'Трансляції' });
  await panel.getByRole('combobox').first().selectOption('plenary');
  await expect(panel.getByLabel('Адреса сервера (URL)').inputValue()).resolves.toBe('rtmps://a.rtmps.youtube.com:443/live2');
  await expect(panel.getByLabel('Назва').inputValue()).resolves.toBe('YouTube');

  // A key pasted with a space in it is refused, naming the field; nothing is stored.
  await panel.getByLabel('Ключ трансляції').fill('abcd efgh');
  await panel.getByRole('button', { name: 'Зберегти' }).click();
  await expect(panel.getByRole('alert').innerText()).resolves.toContain('key');
  expect(await destinations()).toEqual([]);

  await panel.getByLabel('Ключ трансляції').fill('abcd-efgh-ijkl-mnop-q7r8');
  await panel.getByRole('button', { name: 'Зберегти' }).click();
  await panel.getByRole('status').filter({ hasText: 'Збережено.' }).waitFor();
  const row = panel.locator('tr[data-destination="youtube"]');
  await expect(row.innerText()).resolves.toContain('…q7r8');
  await expect(page.content()).resolves.not.toContain('abcd-efgh-ijkl-mnop-q7r8');
  expect((await destinations()).map((d) => [d.id, d.kind, d.url, d.enabled])).toEqual([
    ['youtube', 'youtube', 'rtmps://a.rtmps.youtube.com:443/live2', true],
  ]);

  // The sitting screen: a light (off: the room is not on air) and the switch.
  await page.getByRole('link', { name: 'Засідання' }).click();
  await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
  const lights = page.getByRole('region', { name: 'Ретрансляції' });
  await expect(lights.locator('li[data-destination="youtube"]').innerText()).resolves.toMatch(/YouTube\s+вимкнено/);
  await lights.getByRole('button', { name: 'Вимкнути YouTube' }).click();
  await lights.getByRole('button', { name: 'Увімкнути YouTube' }).waitFor();
  expect((await destinations())[0]!.enabled).toBe(false);
  expect(t.server.record.head('room/plenary')?.seq).toBeGreaterThan(0);
  expect(c.errors).toEqual([]);
}, 120_000);
