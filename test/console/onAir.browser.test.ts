// The on-air panel worked like a vision mixer, by two clerks on two consoles at the laptop size:
// a scene button only cues (both consoles see the cue; nothing on air changes), Take puts it on
// air; the panel stays in view beside the vote grid with no name shared by two controls; a
// break ending in the past is refused with a clear message. And the one registration figure on
// the console, the overlay, overlay.json and the residents' live page for the demo sitting.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { itemStart, onAir, run, sittingOpen, voteOpen } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { LAPTOP, consolePage, logIn, settled, type ConsolePage } from './consolePage.ts';

const REGISTERED = ['mayor', ...DEPUTIES.slice(0, 37)];
const FIGURE = 'Зареєстровано 37 з 42 депутатів + міський голова';

let t: TestServer;
let browser: Browser;
let first: ConsolePage;
let second: ConsolePage;

async function onSitting(c: ConsolePage): Promise<Locator> {
  await logIn(c.page);
  await c.page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
  const panel = c.page.getByRole('complementary', { name: 'Ефір' });
  await panel.getByText('в ефірі: Авто').waitFor();
  return panel;
}

/** The scene a bus's monitor (the real overlay page in the panel) shows. */
const monitor = (page: Page, title: string) => page.frameLocator(`iframe[title="${title}"]`).locator('.stage');
const PREVIEW = 'Наступна ефірна графіка';
const PROGRAM = 'Ефірна графіка зараз';

async function overlayJson(): Promise<Record<string, unknown>> {
  return (await (await fetch(`${t.url}/api/rooms/plenary/overlay.json`)).json()) as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestServer({ demo: true, timeZone: 'Europe/Kyiv' });
  await run(t, [
    sittingOpen(),
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: REGISTERED, present: true },
    itemStart('i1'),
    voteOpen('v1', 'i1', 'Про порядок денний'),
  ]);
  browser = await launchChromium();
  [first, second] = await Promise.all([consolePage(browser, t.url), consolePage(browser, t.url)]);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('on-air control like a vision mixer', () => {
  it('cues a scene on both consoles without changing what is on air, until Take', async () => {
    const [a, b] = await Promise.all([onSitting(first), onSitting(second)]);
    // The monitor is the overlay page in a frame: it shows the vote once its live feed has the sitting.
    await first.page.frameLocator(`iframe[title="${PROGRAM}"]`).locator('.stage[data-scene="vote"]').waitFor({ state: 'attached' });

    await a.getByRole('button', { name: 'Повна таблиця', exact: true }).click();
    await a.getByText('наступна: Повна таблиця').waitFor();
    await b.getByText('наступна: Повна таблиця').waitFor();
    await expect(b.getByRole('button', { name: 'Повна таблиця', exact: true }).getAttribute('aria-pressed')).resolves.toBe('true');
    // Cued, not on air: the record, overlay.json and the program monitor still show the vote.
    expect(t.server.record.onAir('plenary')).toMatchObject({ scene: 'auto', preview: { scene: 'roll' } });
    expect(await overlayJson()).toMatchObject({ mode: 'auto', scene: 'vote' });
    await first.page.frameLocator(`iframe[title="${PREVIEW}"]`).locator('.stage[data-scene="roll"]').waitFor({ state: 'attached' });
    await expect(monitor(first.page, PROGRAM).getAttribute('data-scene')).resolves.toBe('vote');

    // The other clerk takes it: on air everywhere, and what was on air is cued.
    await b.getByRole('button', { name: 'В ефір (Take)' }).click();
    await a.getByText('в ефірі: Повна таблиця').waitFor();
    await a.getByText('наступна: Авто').waitFor();
    expect(t.server.record.onAir('plenary')).toMatchObject({ scene: 'roll', preview: { scene: 'auto' } });
    expect(await overlayJson()).toMatchObject({ mode: 'roll', scene: 'roll' });
    await first.page.frameLocator(`iframe[title="${PROGRAM}"]`).locator('.stage[data-scene="roll"]').waitFor({ state: 'attached' });
    // A second take goes back.
    await a.getByRole('button', { name: 'В ефір (Take)' }).click();
    await b.getByText('в ефірі: Авто').waitFor();
    await settled(first.page);
  });

  it('keeps Preview and Take in view beside the vote grid at 1366×768, with every control named once', async () => {
    const { page } = first;
    await page.getByRole('tab', { name: /^Голосування/ }).click();
    await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
    const inView = async () => {
      const boxes = await Promise.all(
        [page.getByRole('button', { name: 'В ефір (Take)' }), page.locator(`iframe[title="${PREVIEW}"]`), page.locator(`iframe[title="${PROGRAM}"]`)].map((l) =>
          l.boundingBox(),
        ),
      );
      return boxes.every((b) => b !== null && b.y >= 0 && b.y + b.height <= LAPTOP.height && b.x >= 0 && b.x + b.width <= LAPTOP.width);
    };
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(inView()).resolves.toBe(true);
    // Scrolled down the grid of 43, the panel stays where it is.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect(inView()).resolves.toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));

    const names = await page.evaluate(() =>
      [...document.querySelectorAll('button, [role="tab"], a[href]')]
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => {
          const clone = e.cloneNode(true) as HTMLElement;
          clone.querySelectorAll('[aria-hidden="true"]').forEach((h) => h.remove());
          return (e.getAttribute('aria-label') ?? clone.textContent ?? '').replace(/\s+/g, ' ').trim();
        }),
    );
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated).toEqual([]);
    expect(names).toContain('Лічильник голосування');
  });

  it('refuses a break ending in the past with a clear message, and cues and takes one ahead', async () => {
    const { page } = first;
    const panel = page.getByRole('complementary', { name: 'Ефір' });
    await panel.getByText('Перерва й налаштування').click();
    await panel.getByLabel('Текст перерви').fill('Перерва на обід');
    // 00:00 today has always passed.
    await panel.getByLabel('Перерва до').fill('00:00');
    await panel.getByRole('button', { name: 'Підготувати перерву' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^Час кінця перерви \(00:00\) уже минув — зараз \d\d:\d\d\. Вкажіть пізніший час\./);
    expect(t.server.record.onAir('plenary').preview?.scene).toBe('roll');

    const kyiv = new Intl.DateTimeFormat('uk-UA', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const soon = kyiv.format(Date.now() + 30 * 60_000);
    const ahead = soon > kyiv.format(Date.now()) ? soon : '23:59';
    await panel.getByLabel('Перерва до').fill(ahead);
    await panel.getByRole('button', { name: 'Підготувати перерву' }).click();
    await panel.getByText('наступна: Перерва').waitFor();
    await page.frameLocator(`iframe[title="${PREVIEW}"]`).getByText('Перерва на обід').waitFor();
    expect(t.server.record.onAir('plenary').scene).toBe('auto');
    await panel.getByRole('button', { name: 'В ефір (Take)' }).click();
    await panel.getByText('в ефірі: Перерва').waitFor();
    await page.frameLocator(`iframe[title="${PROGRAM}"]`).getByText(`Продовження о ${ahead}`).waitFor();
    expect(t.server.record.onAir('plenary')).toMatchObject({ scene: 'break', breakText: 'Перерва на обід' });
    await panel.getByRole('button', { name: 'В ефір (Take)' }).click();
    await panel.getByText('в ефірі: Авто').waitFor();
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });
});

describe('registration shown one way', () => {
  it('gives the same figure on the console, the overlay, overlay.json and the residents’ live page', async () => {
    const { page } = first;
    // The console: the header's quorum badge, the attendance panel's and the tab's count.
    await page.getByRole('tab', { name: /^Реєстрація/ }).click();
    const badges = await page.locator('[data-registration]').allInnerTexts();
    expect(badges).toHaveLength(2);
    for (const text of badges) expect(text).toContain(`${FIGURE} · кворум є (потрібно 22)`);
    await expect(page.getByRole('tab', { name: /^Реєстрація/ }).innerText()).resolves.toMatch(/37\/42 \+ голова/);

    // overlay.json and the overlay's attendance scene.
    await run(t, [onAir('attendance')]);
    expect(await overlayJson()).toMatchObject({ scene: 'attendance', present: 37, seats: 42, headPresent: true, registrationText: FIGURE, quorum: 22 });
    const overlay = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await overlay.goto(`${t.url}/overlay/?room=plenary`);
    const scene = overlay.locator('[data-scene-view="attendance"]');
    await scene.waitFor();
    expect(await scene.locator('[data-count="registered"]').innerText()).toBe('37');
    expect((await scene.innerText()).replace(/\s+/g, ' ')).toContain('Зареєстровано 37 з 42 депутатів + міський голова');

    // The residents' live page.
    const site = await browser.newPage();
    await site.goto(`${t.url}/live/plenary`);
    await site.locator('.attendance .registered').filter({ hasText: FIGURE }).waitFor();
    await Promise.all([overlay.close(), site.close()]);
    await run(t, [onAir('auto')]);
  });
});
