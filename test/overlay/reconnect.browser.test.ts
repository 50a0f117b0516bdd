// A dropped connection on air: the server stops while the overlay is open — the last picture
// stays on screen (never a blank or an error) — and when the server is back on the same port
// and data folder the overlay resyncs by itself and follows the next command.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemStart, launchOverlayBrowser, openOverlay, registerPresent, run, showing, sittingOpen, voteCast, voteCasts, voteOpen } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { shoot } from './screenshot.ts';

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  browser = await launchOverlayBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the overlay across a server restart', () => {
  it('keeps the last state on screen while the server is down, then resyncs and follows again', async () => {
    await run(t, [sittingOpen(), registerPresent(), itemStart('i3'), voteOpen('v1', 'i3', 'Про програму «Енергодім»'), ...voteCasts('v1', 12, 3, 1)]);
    const page = await openOverlay(browser, t.url, 'room=plenary');
    await showing(page, 'vote');
    const forCount = page.locator('[data-scene-view="vote"] [data-count="for"] dd');
    await expect(forCount.innerText()).resolves.toBe('12');
    const before = await shoot(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const { dataDir } = t;
    const port = Number(new URL(t.url).port);
    await t.close({ keepData: true });
    await page.waitForSelector('.stage[data-connected="false"]', { state: 'attached' });
    // Down: the same graphic, the same numbers, painted exactly as before.
    await expect(forCount.innerText()).resolves.toBe('12');
    expect(await page.locator('.stage').getAttribute('data-scene')).toBe('vote');
    const down = await shoot(page);
    // The subject and the "for" count (the elapsed time and the clock tick on, by design).
    for (const selector of ['[data-scene-view="vote"] h1', '[data-scene-view="vote"] [data-count="for"]']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(down.inside(box).white).toBeGreaterThan(50);
      let changed = 0;
      for (let y = Math.ceil(box.y); y < box.y + box.height; y += 2) {
        for (let x = Math.ceil(box.x); x < box.x + box.width; x += 2) if (down.at(x, y).join() !== before.at(x, y).join()) changed += 1;
      }
      expect(changed, selector).toBe(0);
    }

    t = await startTestServer({ dataDir, port, demo: true });
    // A change made before the page is back arrives with its resync…
    await run(t, [voteCast('v1', 'd20', 'for')]);
    await page.waitForSelector('.stage[data-connected="true"]', { state: 'attached', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-scene-view="vote"] [data-count="for"] dd')?.textContent === '13');
    // …and the live channel carries on.
    await run(t, [voteCast('v1', 'd21', 'against')]);
    await page.waitForFunction(() => document.querySelector('[data-scene-view="vote"] [data-count="against"] dd')?.textContent === '4');
    expect(errors).toEqual([]);
    await page.close();
  });
});
