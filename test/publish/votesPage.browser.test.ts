// The vote table page in a real browser (Debian's Chromium) with JavaScript switched off: the
// tables are exposed to assistive technology by their captions and headers, and printing
// gives A4 landscape pages without the navigation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { DEMO_SITTING, openingAndFirstVote, run, secretBallot, shortVoteThenCorrection } from './publishedSitting.ts';

/** A4 landscape in PDF points (297 × 210 mm). */
const A4_LANDSCAPE = { width: 841.92, height: 594.96 };

let t: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  await run(t, [...openingAndFirstVote(), ...shortVoteThenCorrection(), ...secretBallot()]);
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
    const matrix = page.getByRole('table', { name: 'Поіменне голосування (голосування 1–2 з 2)' });
    await expect(matrix.isVisible()).resolves.toBe(true);
    await expect(matrix.getByRole('columnheader').count()).resolves.toBe(3);
    await expect(matrix.getByRole('rowheader', { name: 'Головченко Михайло Петрович' }).count()).resolves.toBe(1);
    // A corrected cell reads as a correction, the original choice included.
    const row = matrix.getByRole('row', { name: /Поліщук Василь Вікторович/ });
    await expect(row.getByRole('cell').nth(1).innerText()).resolves.toMatch(/Проти\s+За/);
    await expect(page.getByText('Попередні результати.').isVisible()).resolves.toBe(true);
  });

  it('prints on A4 landscape pages without the navigation', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation').isVisible()).resolves.toBe(false);
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const boxes = [...pdf.matchAll(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThan(0);
    for (const [width, height] of boxes) {
      expect(width).toBeCloseTo(A4_LANDSCAPE.width, 0);
      expect(height).toBeCloseTo(A4_LANDSCAPE.height, 0);
    }
    await page.emulateMedia({ media: 'screen' });
  });
});
