// The council's own website embeds a room: the code copied from a sitting page, pasted into a
// page of another origin, shows the player and the compact panel in an iframe and plays —
// the embed page alone may be framed by any site; every other page still refuses framing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../media/support.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run, voteCasts } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchSiteBrowser, openPage } from './sitePages.ts';

describe('the embeddable player', () => {
  let t: TestServer;
  let encoder: Encoder;
  let browser: Browser;
  let website: Server;

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await run(t, [...liveVoteCommands({ present: PRESENT, voteId: 'v1' }), ...voteCasts('v1', 12, 3, 1)]);
    encoder = await goLive(t, 'plenary', 120);
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    website?.close();
    await encoder?.kill();
    await t?.close();
  });

  it('may be framed by any site, while the other pages may not', async () => {
    const embed = await fetch(`${t.url}/embed/plenary`);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
    for (const path of ['/live/plenary', `/sittings/${DEMO_SITTING}`, '/']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'self'");
    }
  });

  it('the code from the sitting page plays in an iframe on another website, with the vote beside it', async () => {
    const sittingPage = await openPage(browser, `${t.url}/sittings/${DEMO_SITTING}`);
    await sittingPage.click('summary:has-text("Вбудувати на свій сайт")');
    const code = await sittingPage.inputValue('#embed-code');
    await sittingPage.close();
    expect(code).toContain(`src="${t.url}/embed/plenary"`);

    website = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="uk"><body><h1>Житомирська міська рада</h1>${code}</body></html>`);
    });
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(website.address() as AddressInfo).port}/`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    if (!frame) throw new Error('the iframe did not load');
    await frame.waitForSelector('.player[data-stage="live"][data-video="showing"]', { timeout: 30_000 });
    const from = await frame.evaluate(() => document.querySelector('video')!.currentTime);
    await frame.waitForFunction((t0) => document.querySelector('video')!.currentTime > t0 + 1, from);
    expect(await frame.textContent('.vote [data-count="for"] dd')).toBe('12');
    expect(await frame.getAttribute('a[target="_blank"]', 'href')).toBe('/live/plenary');
  });
});
