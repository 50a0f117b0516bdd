// The residents' pages for everyone: axe-core finds no serious or critical violation on `/`,
// `/live/plenary`, `/sittings/<id>` (live, then as an archive) and `/embed/plenary`, in light
// and dark; at 360×740 nothing scrolls sideways; the live page works from the keyboard alone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import type { Encoder } from '../media/support.ts';
import { nextEvent } from '../media/support.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run, voteCasts } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { DESKTOP, PHONE, launchSiteBrowser, openPage, playing, scrollWidth, seriousViolations, showing } from './sitePages.ts';

const COMMITTEE_SITTING: CommandInput = {
  type: 'sitting.create',
  sitting: {
    id: 'budget-12',
    bodyId: 'budget-committee',
    title: 'Засідання постійної комісії з питань бюджету та фінансів',
    room: 'committee-room',
    scheduledAt: '2030-12-08T14:00:00+02:00',
    agenda: [{ id: 'c1', number: 1, title: 'Про проєкт бюджету Житомирської міської територіальної громади на 2031 рік' }],
  },
};

/** Each page and what tells that it has loaded (a playing picture, or its content). */
const LIVE_PAGES: { path: string; ready: (page: Page) => Promise<void> }[] = [
  { path: '/', ready: (p) => p.waitForSelector('.cards li a[href="/live/plenary"]').then(() => undefined) },
  { path: '/live/plenary', ready: (p) => playing(p, 'live') },
  { path: `/sittings/${DEMO_SITTING}`, ready: (p) => playing(p, 'live') },
  { path: '/embed/plenary', ready: (p) => playing(p, 'live') },
];

describe('accessibility and small screens', () => {
  let t: TestServer;
  let encoder: Encoder;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await run(t, [COMMITTEE_SITTING, ...liveVoteCommands({ present: PRESENT, voteId: 'v1' }), ...voteCasts('v1', 19, 4, 2)]);
    encoder = await goLive(t, 'plenary', 180);
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await encoder?.kill();
    await t?.close();
  });

  async function check(path: string, ready: (page: Page) => Promise<void>): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await openPage(browser, `${t.url}${path}`, { colorScheme });
      await ready(page);
      expect(await seriousViolations(page), `${path} (${colorScheme})`).toEqual([]);
      await page.close();
    }
    const phone = await openPage(browser, `${t.url}${path}`, { viewport: PHONE });
    await ready(phone);
    expect(await scrollWidth(phone), `${path} at 360 px`).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(phone), `${path} at 360 px`).toEqual([]);
    await phone.close();
  }

  for (const { path, ready } of LIVE_PAGES) {
    it(`${path} while the sitting is live: no serious violation in light or dark, nothing overflows at 360 px`, () => check(path, ready));
  }

  it('the live page works from the keyboard alone: skip link, panel mode, member search, language, theme', async () => {
    const page = await openPage(browser, `${t.url}/live/plenary`, { viewport: DESKTOP });
    await playing(page, 'live');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Перейти до змісту');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    /** Tabs forward until the focused element satisfies `match` (a bounded walk through the page). */
    const tabTo = async (match: (el: { tag: string; text: string; type: string | null }) => boolean): Promise<void> => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const el = await page.evaluate(() => {
          const a = document.activeElement as HTMLElement | null;
          return { tag: a?.tagName ?? '', text: a?.textContent?.trim() ?? '', type: a?.getAttribute('type') ?? null };
        });
        if (match(el)) return;
      }
      throw new Error('not reached with Tab');
    };
    await tabTo((el) => el.tag === 'BUTTON' && el.text === 'У реальному часі');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('[data-sync]', 'data-sync')).toBe('real-time');
    await tabTo((el) => el.tag === 'INPUT' && el.type === 'search');
    const surname = (await page.textContent('[data-member="d07"] .name'))!.split(' ')[0]!;
    await page.keyboard.type(surname);
    const names = await page.$$eval('.members [data-member] .name', (els) => els.map((e) => e.textContent ?? ''));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith(surname))).toBe(true);
    expect(await page.textContent('.members .found')).toBe(`Знайдено: ${names.length}`);
    // Language and theme switch by key too, and are remembered for the next page.
    await page.getByRole('button', { name: 'English' }).press('Enter');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('[data-sync]')).toContain('The panel shows changes at once');
    await page.getByRole('button', { name: 'Dark theme' }).press('Enter');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.goto(`${t.url}/`);
    await page.waitForSelector('h1:has-text("Live sittings and archive")');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.close();
  });

  it('after the sitting: the archive page and the front page, likewise', async () => {
    const complete = nextEvent<[string]>(t.server.media, 'recording', (id) => id === DEMO_SITTING);
    await run(t, [{ type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' }, { type: 'sitting.close', sittingId: DEMO_SITTING }]);
    await complete;
    await check(`/sittings/${DEMO_SITTING}`, (p) => showing(p, 'ended'));
    await check('/', (p) => p.waitForSelector(`.rows a[href="/sittings/${DEMO_SITTING}"]`).then(() => undefined));
  });
});
