// The on-air overlay in Debian's Chromium on a transparent canvas, as OBS loads it, driven by
// commands through the API: each scene's text in the DOM and what the screenshot shows —
// graphics where the scene is, fully transparent corners and empty areas elsewhere (or the key
// colour with bg=green) — plus scaling to 1280×720, bundled fonts, long titles and themes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import {
  FULL_HD,
  HD,
  PRESENT,
  itemStart,
  launchOverlayBrowser,
  onAir,
  openOverlay,
  registerPresent,
  run,
  showing,
  sittingOpen,
  voteCast,
  voteCasts,
  voteClose,
  voteOpen,
} from '../support/overlayPage.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { sceneBoxes, shoot, type Rgba } from './screenshot.ts';

const COUNCIL = 'Житомирська міська рада (демонстраційний склад)';
const ITEM_2 = 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки';
const TRANSPARENT: Rgba = [0, 0, 0, 0];

let t: TestServer;
let browser: Browser;
/** The main overlay, following the plenary hall like a browser source in OBS. */
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true, timeZone: 'Europe/Kyiv' });
  browser = await launchOverlayBrowser();
  const context = await browser.newContext({ viewport: FULL_HD });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  await page.goto(`${t.url}/overlay/?room=plenary&tz=Europe/Kyiv`);
  await page.waitForSelector('.stage[data-connected="true"]', { state: 'attached' });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const text = (p: Page, selector: string) => p.locator(selector).innerText();
const drive = (...commands: CommandInput[]) => run(t, commands);

/**
 * The screenshot has the scene's panel painted, with text drawn on it, and nothing but
 * transparency around the graphics (`minEmpty`: how much of the frame must be left empty).
 */
async function expectOnlyScene(p: Page, scene: string, minEmpty = 500): Promise<void> {
  const shot = await shoot(p);
  const panel = await p.locator(`[data-scene-view="${scene}"].panel, [data-scene-view="${scene}"] .panel`).boundingBox();
  expect(panel, `a ${scene} panel`).not.toBeNull();
  const inside = shot.inside(panel!);
  expect(inside.painted / inside.total).toBeGreaterThan(0.95);
  expect(inside.white).toBeGreaterThan(200);
  expect(shot.corners()).toEqual([TRANSPARENT, TRANSPARENT, TRANSPARENT, TRANSPARENT]);
  const empty = shot.outside(await sceneBoxes(p));
  expect(empty.length).toBeGreaterThan(minEmpty);
  expect(empty.filter((px) => px[3] !== 0)).toEqual([]);
}

describe('the overlay following the plenary hall', () => {
  it('puts nothing on air before the sitting opens: the whole frame is transparent', async () => {
    await showing(page, 'none');
    const shot = await shoot(page);
    expect(shot.outside([]).filter((px) => px[3] !== 0)).toEqual([]);
    // Made for a browser source: no scrollbars, no cursor, and the bundled fonts only.
    const layout = await page.evaluate(() => ({
      scrollW: document.documentElement.scrollWidth,
      scrollH: document.documentElement.scrollHeight,
      cursor: getComputedStyle(document.body).cursor,
      font: getComputedStyle(document.body).fontFamily,
      cyrillic: document.fonts.check('700 40px "IBM Plex Sans"', 'Їжак Ґанок'),
    }));
    expect(layout).toEqual({ scrollW: 1920, scrollH: 1080, cursor: 'none', font: expect.stringMatching(/^"IBM Plex Sans"/), cyrillic: true });
    const origin = new URL(t.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(requests.some((u) => /ibm-plex-sans-cyrillic-700-normal.*\.woff2$/.test(u))).toBe(true);
  });

  it('shows the agenda caption and the live bug when an item starts', async () => {
    await drive(sittingOpen(), registerPresent(), itemStart('i2'));
    await showing(page, 'agenda');
    const caption = await text(page, '[data-scene-view="agenda"]');
    expect(caption).toContain('Питання 2');
    expect(caption).toContain(ITEM_2);
    expect(caption).toContain("Доповідає: Управління по зв'язках з громадськістю");
    expect(caption).toContain('Проєкт № 283/1');
    const bug = await text(page, '[data-scene-view="bug"]');
    expect(bug).toContain('НАЖИВО');
    expect(bug).toContain(COUNCIL);
    expect(bug).toMatch(/\d\d:\d\d/);
    await expectOnlyScene(page, 'agenda');
  });

  it('switches to the live counter when a vote opens and updates it in place with every cast', async () => {
    await drive(voteOpen('v1', 'i2', 'Про програму «Ефективна влада»'), ...voteCasts('v1', 19, 4, 2));
    await showing(page, 'vote');
    const forCount = page.locator('[data-scene-view="vote"] [data-count="for"] dd');
    await expect(forCount.innerText()).resolves.toBe('19');
    const panel = await text(page, '[data-scene-view="vote"]');
    expect(panel).toContain('ГОЛОСУВАННЯ');
    expect(panel).toContain('Про програму «Ефективна влада»');
    expect(panel).toMatch(/Проти\s*4|4\s*Проти/);
    expect(panel).toContain('Потрібно «за»: 22 із 43');
    await expectOnlyScene(page, 'vote');

    // The same element changes its number: no new graphic flies in for a cast.
    const node = await forCount.elementHandle();
    await drive(voteCast('v1', PRESENT[30]!, 'for'));
    await page.waitForFunction((el) => el?.textContent === '20', node);
    expect(await page.locator('[data-scene-view]').count()).toBe(2);
    // The elapsed time runs on the server clock.
    const elapsed = await text(page, '[data-elapsed]');
    expect(elapsed).toMatch(/^\d+:\d\d$/);
    await page.waitForFunction((before) => document.querySelector('[data-elapsed]')?.textContent !== before, elapsed);
  });

  it('shows ПРИЙНЯТО with the counts and the threshold for the hold time, then the caption again', async () => {
    await drive(onAir('auto', { resultHoldSeconds: 3 }), ...voteCasts('v1', 26, 4, 2), voteClose('v1'));
    await showing(page, 'result');
    const result = page.locator('[data-scene-view="result"]');
    await expect(result.getAttribute('data-result')).resolves.toBe('adopted');
    const panel = await result.innerText();
    expect(panel).toContain('ПРИЙНЯТО');
    expect(panel).not.toContain('НЕ ПРИЙНЯТО');
    expect(panel).toContain('Поріг: 22');
    const counts = await page.$$eval('[data-scene-view="result"] [data-count]', (els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.count, e.querySelector('dd')!.textContent])),
    );
    expect(counts).toEqual({ for: '26', against: '4', abstain: '2', notVoting: '2', absent: '9' });
    // The threshold mark stands at 22 of 43, the "for" bar past it.
    const meter = await page.$eval('[data-scene-view="result"] .meter', (m) => {
      const track = m.getBoundingClientRect();
      const mark = m.querySelector('.mark')!.getBoundingClientRect();
      const bar = m.querySelector('[data-segment="for"]')!.getBoundingClientRect();
      return { mark: (mark.x + mark.width / 2 - track.x) / track.width, bar: bar.width / track.width };
    });
    expect(meter.mark).toBeCloseTo(22 / 43, 2);
    expect(meter.bar).toBeCloseTo(26 / 43, 2);
    await expectOnlyScene(page, 'result');

    await page.waitForSelector('[data-scene-view="agenda"]', { timeout: 10_000 });
    await showing(page, 'agenda');
  });

  it('shows attendance and quorum when the clerk chooses it', async () => {
    await drive(onAir('attendance'));
    await showing(page, 'attendance');
    const panel = await text(page, '[data-scene-view="attendance"]');
    expect(panel).toContain('РЕЄСТРАЦІЯ');
    expect(await text(page, '[data-count="registered"]')).toBe('33');
    expect(await text(page, '[data-count="needed"]')).toBe('22');
    expect(panel).toContain('КВОРУМ Є');
    await expectOnlyScene(page, 'attendance');
  });

  it('shows the full roll table of 43 grouped by faction, every row legible inside the frame', async () => {
    await drive(onAir('roll'));
    await showing(page, 'roll');
    const rows = await page.$$eval('[data-member]', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const name = e.querySelector('.name') as HTMLElement;
        return {
          id: (e as HTMLElement).dataset.member!,
          text: (e as HTMLElement).innerText,
          top: r.top,
          bottom: r.bottom,
          left: r.left,
          right: r.right,
          fontPx: parseFloat(getComputedStyle(name).fontSize),
          clipped: name.scrollWidth > name.clientWidth,
        };
      }),
    );
    expect(rows).toHaveLength(43);
    for (const r of rows) {
      expect(r.top).toBeGreaterThanOrEqual(0);
      expect(r.bottom).toBeLessThanOrEqual(1080);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.right).toBeLessThanOrEqual(1920);
      expect(r.fontPx).toBeGreaterThanOrEqual(22);
      expect(r.clipped, r.text).toBe(false);
    }
    expect(rows.find((r) => r.id === 'mayor')?.text).toMatch(/Головченко Михайло Петрович\s+За/);
    expect(rows.find((r) => r.id === 'd40')?.text).toMatch(/Відсутній/);
    const headings = await page.$$eval('[data-scene-view="roll"] h2', (els) => els.map((e) => e.textContent));
    expect(headings).toEqual(['Голова', 'Рідне місто', 'Громада разом', 'Європейський вибір', 'Зелене місто', 'Позафракційні']);
    // The bug steps aside for the full-screen table.
    expect(await page.locator('[data-scene-view="bug"]').count()).toBe(0);
    await expectOnlyScene(page, 'roll', 20);
  });

  it('scales the 1920×1080 design to a 1280×720 source, roll table and all, with no scrollbars', async () => {
    const small = await openOverlay(browser, t.url, 'room=plenary&scene=roll', HD);
    await showing(small, 'roll');
    const fit = await small.evaluate(() => {
      const stage = document.querySelector('.stage')!.getBoundingClientRect();
      const rows = [...document.querySelectorAll('[data-member]')].map((e) => e.getBoundingClientRect());
      return {
        stage: [stage.x, stage.y, stage.width, stage.height],
        scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
        rowsInside: rows.every((r) => r.top >= 0 && r.bottom <= 720 && r.left >= 0 && r.right <= 1280),
      };
    });
    expect(fit).toEqual({ stage: [0, 0, 1280, 720], scroll: [1280, 720], rowsInside: true });
    const shot = await shoot(small);
    expect([shot.png.width, shot.png.height]).toEqual([1280, 720]);
    expect(shot.corners()).toEqual([TRANSPARENT, TRANSPARENT, TRANSPARENT, TRANSPARENT]);
    await small.close();
  });

  it('says the counting commission is at work while a secret ballot is open: no 0/0/0, no clock, never "поіменне"', async () => {
    await drive(onAir('auto'), voteOpen('s1', 'i2', 'Обрання секретаря ради', { ballot: 'secret' }));
    await page.waitForSelector('[data-scene-view="vote"][data-ballot="secret"]');
    await showing(page, 'vote');
    const panel = await text(page, '[data-scene-view="vote"]');
    expect(panel).toContain('Обрання секретаря ради');
    expect(panel).toContain('Таємне голосування: працює лічильна комісія');
    expect(await page.locator('[data-scene-view="vote"] [data-count], [data-elapsed]').count()).toBe(0);
    await expectOnlyScene(page, 'vote');

    await drive(onAir('roll'));
    await showing(page, 'roll');
    const roll = await text(page, '[data-scene-view="roll"]');
    expect(roll).toContain('ТАЄМНЕ ГОЛОСУВАННЯ');
    expect(roll).not.toMatch(/поіменне/i);
    expect(roll).toContain('Таємне голосування: працює лічильна комісія');
    expect(await page.locator('[data-scene-view="roll"] [data-count]').count()).toBe(0);
  });

  it('shows only the totals of a secret ballot in the roll table', async () => {
    await drive(
      { type: 'vote.tally', sittingId: 'demo-plenary', voteId: 's1', for: 25, against: 3, abstain: 2 },
      voteClose('s1'),
    );
    await page.waitForSelector('[data-scene-view="roll"] [data-count="for"]');
    await showing(page, 'roll');
    expect(await text(page, '[data-scene-view="roll"]')).not.toMatch(/поіменне/i);
    expect(await page.locator('[data-member]').count()).toBe(0);
    const panel = await text(page, '[data-scene-view="roll"]');
    expect(panel).toContain('Таємне голосування: лише підсумки.');
    expect(panel).not.toContain('Головченко');
    expect(await text(page, '[data-scene-view="roll"] [data-count="for"] dd')).toBe('25');
  });

  it('covers the frame with the break slate: message, resumption time and clock', async () => {
    // A break must end ahead of now: in two hours, read on the council's clock.
    const until = new Date(Date.now() + 2 * 3600_000);
    const resume = until.toLocaleTimeString('uk-UA', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    await drive(onAir('break', { breakText: 'Перерва на обід', breakUntil: until.toISOString() }));
    await showing(page, 'break');
    const slate = await text(page, '[data-scene-view="break"]');
    expect(slate).toContain('Перерва на обід');
    expect(slate).toContain(`Продовження о ${resume}`);
    expect(slate).toContain(COUNCIL);
    // A slate hides the hall: the whole frame is painted, the message drawn on it.
    const shot = await shoot(page);
    expect(shot.corners().every((px) => px[3] === 255)).toBe(true);
    expect(shot.inside({ x: 0, y: 0, width: 1920, height: 1080 }).white).toBeGreaterThan(500);
  });

  it('clears everything, the bug included, when the clerk switches the graphics off', async () => {
    await drive(onAir('off'));
    await showing(page, 'none');
    expect(await page.locator('[data-scene-view]').count()).toBe(0);
    const shot = await shoot(page);
    expect(shot.outside([], 16).filter((px) => px[3] !== 0)).toEqual([]);
    await drive(onAir('auto'));
  });
});

describe('URL options', () => {
  it('lang=en with a scene fixed by the page, whatever the clerk shows', async () => {
    const en = await openOverlay(browser, t.url, 'room=plenary&scene=result&lang=en');
    await showing(en, 'result');
    const panel = await text(en, '[data-scene-view="result"]');
    expect(panel).toContain('ADOPTED');
    expect(panel).toContain('"For" needed: 22 of 43');
    expect(await text(en, '[data-scene-view="bug"]')).toContain('LIVE');
    expect(await en.evaluate(() => document.documentElement.lang)).toBe('en');
    await en.close();
  });

  it('bg=green paints the key colour everywhere but the graphics', async () => {
    const green = await openOverlay(browser, t.url, 'room=plenary&scene=attendance&bg=green');
    await showing(green, 'attendance');
    const shot = await shoot(green);
    const key: Rgba = [0, 255, 0, 255];
    expect(shot.corners()).toEqual([key, key, key, key]);
    const empty = shot.outside(await sceneBoxes(green));
    expect(empty.filter((px) => px.join() !== key.join())).toEqual([]);
    const box = (await sceneBoxes(green)).find((b) => b.scene === 'attendance')!;
    expect(shot.at(Math.round(box.x + box.width / 2), Math.round(box.y + box.height - 20))).not.toEqual(key);
    await green.close();
  });

  it('keeps title-safe margins with `safe`', async () => {
    const safe = await openOverlay(browser, t.url, 'room=plenary&scene=agenda&safe');
    await showing(safe, 'agenda');
    const [caption, bug] = await Promise.all([
      safe.locator('[data-scene-view="agenda"]').boundingBox(),
      safe.locator('[data-scene-view="bug"]').boundingBox(),
    ]);
    expect(caption!.x).toBeCloseTo(96, 0);
    expect(1080 - (caption!.y + caption!.height)).toBeCloseTo(54, 0);
    expect(1920 - (bug!.x + bug!.width)).toBeCloseTo(96, 0);
    await safe.close();
  });

  it('takes a built-in theme, and a council colour through the --rc-* custom properties', async () => {
    const light = await openOverlay(browser, t.url, 'room=plenary&scene=agenda&theme=light');
    await showing(light, 'agenda');
    expect(await light.$eval('[data-scene-view="agenda"] .panel', (e) => getComputedStyle(e).backgroundColor)).toBe('rgba(255, 255, 255, 0.96)');
    // What a crew types into OBS's "Custom CSS" field of the browser source.
    await light.addStyleTag({ content: ':root { --rc-accent: #c8102e; --rc-accent-text: #ffffff; }' });
    expect(await light.$eval('[data-scene-view="agenda"] .tag', (e) => getComputedStyle(e).backgroundColor)).toBe('rgb(200, 16, 46)');
    await light.close();
  });
});

describe('on a council LAN', () => {
  it('loads over plain http from a LAN host name, as an OBS machine in the hall reaches the server', async () => {
    // council.lan resolves to the test server: an origin that, unlike 127.0.0.1, is not "trustworthy"
    // to Chromium, so nothing may upgrade the page's assets to https.
    const lan = await launchChromium(['--host-resolver-rules=MAP council.lan 127.0.0.1']);
    try {
      const p = await lan.newPage({ viewport: FULL_HD });
      await p.goto(`http://council.lan:${new URL(t.url).port}/overlay/?room=plenary`);
      await p.waitForSelector('.stage[data-connected="true"]', { state: 'attached' });
      await showing(p, 'agenda');
      expect(await text(p, '[data-scene-view="agenda"]')).toContain(ITEM_2);
    } finally {
      await lan.close();
    }
  });
});

describe('long titles', () => {
  /** The caption's box and its title's lines: how many show and how much is cut off. */
  const caption = (p: Page) =>
    p.$eval('[data-scene-view="agenda"]', (el) => {
      const h = el.querySelector('h1')!;
      const r = el.getBoundingClientRect();
      const line = parseFloat(getComputedStyle(h).lineHeight);
      return {
        top: r.top,
        bottom: r.bottom,
        lines: Math.round(h.clientHeight / line),
        hiddenLines: Math.round((h.scrollHeight - h.clientHeight) / line),
      };
    });

  it('wraps a 300-character title in full, and clips a longer one after four lines, inside the frame', async () => {
    const words = 'комплексної програми розвитку міської інфраструктури, ';
    const title300 = `Про затвердження ${words.repeat(6)}`.slice(0, 299) + '.';
    const title1200 = `Про затвердження ${words.repeat(30)}`.slice(0, 1199) + '.';
    expect(title300).toHaveLength(300);
    await drive({
      type: 'sitting.create',
      sitting: {
        id: 'budget-long',
        bodyId: 'budget-committee',
        title: 'Засідання постійної комісії з питань бюджету',
        room: 'committee-room',
        scheduledAt: '2026-12-11T14:00:00+02:00',
        agenda: [
          { id: 'c1', number: 1, title: title300, rapporteur: 'Департамент бюджету та фінансів' },
          { id: 'c2', number: 2, title: title1200, rapporteur: 'Департамент бюджету та фінансів' },
        ],
      },
    });
    await drive({ type: 'sitting.open', sittingId: 'budget-long' }, { type: 'item.start', sittingId: 'budget-long', itemId: 'c1' });
    const committee = await openOverlay(browser, t.url, 'room=committee-room');
    await showing(committee, 'agenda');
    const full = await caption(committee);
    expect(full.lines).toBeLessThanOrEqual(4);
    expect(full.hiddenLines).toBe(0);
    expect(full.top).toBeGreaterThan(540);
    expect(full.bottom).toBeLessThanOrEqual(1080);
    expect(await text(committee, '[data-scene-view="agenda"] h1')).toBe(title300);
    expect(await text(committee, '[data-scene-view="agenda"]')).toContain('Доповідає: Департамент бюджету та фінансів');
    await expectOnlyScene(committee, 'agenda');

    await drive({ type: 'item.start', sittingId: 'budget-long', itemId: 'c2' });
    await committee.waitForSelector('[data-scene-view="agenda"] >> text=Питання 2');
    await showing(committee, 'agenda');
    const clipped = await caption(committee);
    expect(clipped.lines).toBe(4);
    expect(clipped.hiddenLines).toBeGreaterThan(4);
    expect(clipped.top).toBeGreaterThan(540);
    expect(clipped.bottom).toBeLessThanOrEqual(1080);
    // The rapporteur line stays visible under the clipped title.
    const meta = (await committee.locator('[data-scene-view="agenda"] .meta').boundingBox())!;
    expect(meta.y + meta.height).toBeLessThanOrEqual(1080);
    await expectOnlyScene(committee, 'agenda');
    await committee.close();
  });
});
