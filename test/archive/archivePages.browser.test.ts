// The archive's pages in Chromium: /deputies, /deputies/<id> and /search after a recorded
// sitting of the demo council have no serious axe violation and do not scroll sideways at
// 360 px; the front page's header leads to them; a member's vote links to its moment in the
// recording (which opens the sitting's player there) and to the sitting's table.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, type Encoder } from '../media/support.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run, voteCasts } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { PHONE, launchSiteBrowser, openPage, scrollWidth, seriousViolations } from '../site/sitePages.ts';

describe('archive pages in the browser', () => {
  let t: TestServer;
  let encoder: Encoder;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    // The sitting opens, then the picture comes: the recording holds the vote's moment.
    const [open, ...rest] = liveVoteCommands({ present: PRESENT, voteId: 'v1' });
    await run(t, [open!]);
    encoder = await goLive(t, 'plenary', 120);
    await run(t, [...rest, ...voteCasts('v1', 19, 4, 2)]);
    const complete = nextEvent<[string]>(t.server.media, 'recording', (id) => id === DEMO_SITTING);
    await run(t, [{ type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' }, { type: 'sitting.close', sittingId: DEMO_SITTING }]);
    await complete;
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await encoder?.kill();
    await t?.close();
  });

  for (const path of ['/deputies', '/deputies/d01', '/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82', '/deputies?lang=en', '/opendata/']) {
    it(`${path}: no serious violation, nothing overflows at 360 px`, async () => {
      for (const viewport of [undefined, PHONE]) {
        const page = await openPage(browser, `${t.url}${path}`, viewport ? { viewport } : {});
        await page.waitForSelector('h1');
        expect(await seriousViolations(page), path).toEqual([]);
        if (viewport) expect(await scrollWidth(page), `${path} at 360 px`).toBeLessThanOrEqual(PHONE.width);
        await page.close();
      }
    });
  }

  it('from the front page to a deputy, then to the moment of their vote and to the table', async () => {
    const page = await openPage(browser, `${t.url}/`, { viewport: PHONE });
    await page.click('header a[href="/deputies"]');
    await page.waitForSelector('#deputies');
    await page.click('#deputies a[href="/deputies/d01"]');
    const row = page.locator(`#member-votes tr[data-vote="${DEMO_SITTING}/v1"]`);
    expect(await row.locator('td').nth(2).textContent()).toBe('За');
    const moment = await row.locator('a', { hasText: 'Запис' }).getAttribute('href');
    expect(moment).toMatch(new RegExp(`^/sittings/${DEMO_SITTING}\\?t=\\d+$`));
    const table = await row.locator('a', { hasText: 'Таблиця' }).getAttribute('href');
    expect(table).toBe(`/sittings/${DEMO_SITTING}/votes#vote-v1`);
    await row.locator('a', { hasText: 'Таблиця' }).click();
    await page.waitForSelector(`#vote-v1`);
    await page.goto(`${t.url}${moment}`);
    await page.waitForSelector('video');
    await page.close();
  });
});
