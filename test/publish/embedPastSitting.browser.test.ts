// The embed code on a past sitting's page points at that sitting (its recording), not at the
// room's live stream, which by then shows another sitting or nothing; that embed page may be
// framed by the council's website and leads to the sitting's full page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet, pageTarget } from '../../client/src/lib/siteUrls.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchSiteBrowser, openPage } from '../site/sitePages.ts';
import { closeLastVoteAndSitting, DEMO_SITTING, openingAndFirstVote, openLastVote, run } from './publishedSitting.ts';

describe('embedding a past sitting', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await run(t, [...openingAndFirstVote(), ...openLastVote(), ...closeLastVoteAndSitting()]);
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('names the sitting in the address of the embed', () => {
    expect(pageTarget('/embed/sittings/demo-plenary')).toEqual({ kind: 'embed-sitting', id: 'demo-plenary' });
    expect(pageTarget('/embed/sittings/..')).toBeNull();
    expect(embedSnippet('https://rada.example.ua', { sittingId: 'demo-plenary' }, 'Засідання', 'en')).toContain(
      'src="https://rada.example.ua/embed/sittings/demo-plenary?lang=en"',
    );
  });

  it("gives the sitting's own embed code on its page, and that embed shows the sitting", async () => {
    const page = await openPage(browser, `${t.url}/sittings/${DEMO_SITTING}`);
    await page.click('summary:has-text("Вбудувати на свій сайт")');
    const code = await page.inputValue('#embed-code');
    await page.close();
    expect(code).toContain(`src="${t.url}/embed/sittings/${DEMO_SITTING}"`);
    expect(code).not.toContain('/embed/plenary');

    const res = await fetch(`${t.url}/embed/sittings/${DEMO_SITTING}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const embed = await openPage(browser, `${t.url}/embed/sittings/${DEMO_SITTING}`);
    await expect(embed.textContent('h1')).resolves.toBe('Пленарне засідання 67 сесії VIII скликання');
    await expect(embed.getAttribute('a[target="_blank"]', 'href')).resolves.toBe(`/sittings/${DEMO_SITTING}`);
    await embed.close();
  });
});
