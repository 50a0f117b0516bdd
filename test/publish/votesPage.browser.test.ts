// The vote table page in a real browser (Debian's Chromium) with JavaScript switched off: the
// tables are exposed to assistive technology by their captions and headers, printing gives at
// most three A4 landscape pages for the demo sitting without the navigation, and a 360 px
// phone reads it without scrolling the whole page sideways or words broken mid-word.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import {
  closeLastVoteAndSitting,
  DEMO_SITTING,
  lateCorrection,
  openingAndFirstVote,
  openLastVote,
  run,
  secretBallot,
  shortVoteThenCorrection,
  voteWithoutMayor,
} from './publishedSitting.ts';

/** A4 landscape in PDF points (297 × 210 mm). */
const A4_LANDSCAPE = { width: 841.92, height: 594.96 };

let t: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  await run(t, [...openingAndFirstVote(), ...shortVoteThenCorrection(), ...secretBallot(), ...voteWithoutMayor(), ...openLastVote()]);
  await run(t, [...closeLastVoteAndSitting(), ...lateCorrection()]);
  browser = await launchChromium();
  const context = await browser.newContext({ javaScriptEnabled: false });
  page = await context.newPage();
  await page.goto(`${t.url}/sittings/${DEMO_SITTING}/votes`);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the vote table in a browser without JavaScript', () => {
  it('exposes the tables by caption, with column and row headers', async () => {
    await expect(page.getByRole('table', { name: 'Підсумки голосувань' }).isVisible()).resolves.toBe(true);
    const matrix = page.getByRole('table', { name: 'Поіменне голосування (голосування 1–4 з 4)' });
    await expect(matrix.isVisible()).resolves.toBe(true);
    await expect(matrix.getByRole('columnheader').count()).resolves.toBe(5);
    await expect(matrix.getByRole('rowheader', { name: 'Головченко Михайло Петрович' }).count()).resolves.toBe(1);
    // A corrected cell reads as a correction, the original choice included.
    const row = matrix.getByRole('row', { name: /Поліщук Василь Вікторович/ });
    await expect(row.getByRole('cell').nth(1).innerText()).resolves.toMatch(/Проти\s+За/);
    await expect(page.getByText('Остаточні результати.').isVisible()).resolves.toBe(true);
  });

  it('prints the demo sitting on at most three A4 landscape pages, without the navigation', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation').first().isVisible()).resolves.toBe(false);
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const boxes = [...pdf.matchAll(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // One page object per printed page (was 5 before the print layout was tightened).
    const pages = pdf.match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThanOrEqual(3);
    expect(boxes.length).toBeGreaterThan(0);
    for (const [width, height] of boxes) {
      expect(width).toBeCloseTo(A4_LANDSCAPE.width, 0);
      expect(height).toBeCloseTo(A4_LANDSCAPE.height, 0);
    }
    await page.emulateMedia({ media: 'screen' });
  });

  it('reads on a 360 px phone: no sideways scrolling of the page, no word or date broken across lines', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
      const broken = await page.evaluate(() => {
        const found: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          // The record's hash is meant to wrap anywhere.
          if (node.parentElement?.closest('code, .vh')) continue;
          for (const m of (node.textContent ?? '').matchAll(/[^\s\u00a0]+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (lines.size > 1) found.push(m[0]);
          }
        }
        for (const time of document.querySelectorAll('time')) {
          const lines = new Set([...time.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) found.push(time.textContent ?? '');
        }
        return found;
      });
      expect(broken).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('leads back to the sitting and to the front page', async () => {
    const nav = page.getByRole('navigation', { name: 'Навігація' });
    await expect(nav.getByRole('link', { name: 'До засідання (відео, порядок денний)' }).getAttribute('href')).resolves.toBe(`/sittings/${DEMO_SITTING}`);
    await expect(nav.getByRole('link', { name: 'Усі засідання' }).getAttribute('href')).resolves.toBe('/');
    const downloads = page.getByRole('navigation', { name: 'Відкриті дані' });
    await expect(downloads.getByRole('link').count()).resolves.toBe(6);
  });
});
