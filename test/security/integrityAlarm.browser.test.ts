// The alarm of a read-only record (issue 12) on every page a person reads: the residents' front
// page, the watch pages and the clerk's console; none on a sound record.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../../protocol/messages.ts';
import { launchChromium } from '../support/browser.ts';
import { breakRecord } from '../support/brokenRecord.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  const setUp = await startTestServer({ demo: true });
  await setUp.close({ keepData: true });
  breakRecord(setUp.dataDir);
  t = await startTestServer({ dataDir: setUp.dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a read-only record', () => {
  it.each(['/', '/live/plenary', '/sittings/demo-plenary', '/console'])('raises the alarm on %s', async (path) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${t.url}${path}`);
      const alarm = page.getByRole('alert').filter({ hasText: message('ui.integrity.alarm', 'uk') });
      await alarm.waitFor();
      expect(await alarm.textContent()).toContain(message('ui.integrity.alarm', 'en'));
    } finally {
      await page.close();
    }
  });

  it('shows no alarm when the record is sound', async () => {
    const sound = await startTestServer({ demo: true });
    const page = await browser.newPage();
    try {
      await page.goto(`${sound.url}/console`);
      await page.getByRole('button', { name: 'Увійти' }).waitFor();
      const health = (await (await fetch(`${sound.url}/api/health`)).json()) as { status: string };
      expect(health.status).toBe('ready');
      expect(await page.locator('[data-integrity-alarm]').count()).toBe(0);
    } finally {
      await page.close();
      await sound.close();
    }
  });
});
