// Choices made while offline survive what happens to the tablet's browser: a reload (the page
// warns first) and a killed browser. The outbox is kept on the device, restored for the same
// user, and sent once the link is back — each command once, in order, with its commandId.
//
// The killed browser is a real one: a Chromium with its own profile folder is killed with
// SIGKILL (found by that folder on its command line — the one process this test started with
// it), and a new Chromium opens the same profile, as a tablet does after a crash.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../protocol/model.ts';
import { CHROMIUM, launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, LAPTOP, logEvents, logIn, names, settled } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let name: Map<string, string>;
const LABEL: Record<Choice, string> = { for: 'За', against: 'Проти', abstain: 'Утримався', 'not-voting': 'Не голосував' };
const SITTING_LINK = 'Пленарне засідання 67 сесії VIII скликання';

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' })) {
    expect((await t.command(command)).answer).toMatchObject({ ok: true });
  }
  name = await names(t, DEMO_SITTING);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function click(page: Page, casts: [string, Choice][]): Promise<void> {
  for (const [memberId, choice] of casts) {
    await page.getByRole('button', { name: `${name.get(memberId)}: ${LABEL[choice]}`, exact: true }).click();
  }
}

async function openVote(page: Page): Promise<void> {
  await page.getByRole('link', { name: SITTING_LINK }).click();
  await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
}

/** The vote's casts in the record: member, choice, commandId. */
async function castsInLog(): Promise<{ member: string; choice: string; commandId: string | null }[]> {
  return (await logEvents(t, DEMO_SITTING, 'vote.cast')).map((e) => ({
    member: e.event.memberId,
    choice: e.event.choice,
    commandId: e.commandId,
  }));
}

/** The commandIds the console keeps on the device, oldest first (read from its IndexedDB). */
function keptCommandIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('radacast-console');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const all = open.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            const rows = all.result as { commandId: string; order: number }[];
            resolve(rows.sort((a, b) => a.order - b.order).map((r) => r.commandId));
            open.result.close();
          };
        };
      }),
  );
}

describe('the outbox kept on the device', () => {
  it('survives a reload while offline (after a warning) and is sent once, in order, with the same commandIds', async () => {
    const c = await consolePage(browser, t.url);
    await logIn(c.page);
    await openVote(c.page);
    const before = (await castsInLog()).length;

    await c.context.setOffline(true);
    await c.page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
    const offline: [string, Choice][] = [
      ['d01', 'for'],
      ['d02', 'against'],
      ['d01', 'abstain'],
    ];
    await click(c.page, offline);
    await c.page.getByRole('status').filter({ hasText: 'У черзі: 3' }).filter({ hasText: 'збережено на пристрої' }).waitFor();
    const kept = await keptCommandIds(c.page);
    expect(kept).toHaveLength(3);

    // Leaving the page asks first; the clerk leaves anyway (a reload, offline: the page is gone).
    const asked = new Promise<string>((resolve) =>
      c.page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.accept();
      }),
    );
    await c.page.reload().catch(() => undefined);
    await expect(asked).resolves.toBe('beforeunload');
    expect((await castsInLog()).length).toBe(before);

    await c.context.setOffline(false);
    await c.page.goto(`${t.url}/console/sittings/${DEMO_SITTING}`);
    // The outbox is read back from IndexedDB after the page loads, so the queue can look empty
    // for a moment: wait for the record to hold the commands, then for the console to settle.
    await expect.poll(async () => (await castsInLog()).length - before, { timeout: 20_000 }).toBe(offline.length);
    await settled(c.page);
    const log = (await castsInLog()).slice(before);
    expect(log.map((e) => [e.member, e.choice])).toEqual(offline);
    expect(log.map((e) => e.commandId)).toEqual(kept);
    await expect(
      c.page.getByRole('button', { name: `${name.get('d01')}: Утримався`, exact: true }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    expect(await keptCommandIds(c.page)).toEqual([]);
    expect(c.errors).toEqual([]);
    await c.context.close();
  });

  it('survives a killed browser: a new browser on the same profile, the same user, sends it exactly once', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'radacast-profile-'));
    try {
      const first = await persistentConsole(profile);
      await logIn(first.page);
      await openVote(first.page);
      const before = (await castsInLog()).length;
      await first.context.setOffline(true);
      await first.page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
      const offline: [string, Choice][] = [
        ['d10', 'for'],
        ['d11', 'not-voting'],
      ];
      await click(first.page, offline);
      await first.page.getByRole('status').filter({ hasText: 'У черзі: 2' }).filter({ hasText: 'збережено на пристрої' }).waitFor();
      const kept = await keptCommandIds(first.page);

      const closed = new Promise((resolve) => first.context.once('close', resolve));
      process.kill(browserPid(profile), 'SIGKILL');
      await closed;
      expect((await castsInLog()).length).toBe(before);

      const second = await persistentConsole(profile);
      // The session cookie may or may not have reached the disk before the kill.
      if (await second.page.getByRole('heading', { name: 'Вхід до пульта секретаря' }).isVisible()) await logIn(second.page);
      await second.page.getByRole('status').filter({ hasText: 'На зв’язку' }).waitFor();
      await second.page.goto(`${t.url}/console/sittings/${DEMO_SITTING}`);
      await expect.poll(async () => (await castsInLog()).length - before, { timeout: 20_000 }).toBe(offline.length);
      await settled(second.page);
      const log = (await castsInLog()).slice(before);
      expect(log.map((e) => [e.member, e.choice])).toEqual(offline);
      expect(log.map((e) => e.commandId)).toEqual(kept);
      expect((await t.sitting(DEMO_SITTING)).votes[0]?.choices).toMatchObject({ d10: 'for', d11: 'not-voting' });
      await second.context.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

/** A Chromium of its own on a profile folder, at the console's login page. */
async function persistentConsole(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-quic'],
    viewport: LAPTOP,
    locale: 'uk-UA',
    timezoneId: 'Europe/Kyiv',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${t.url}/console/`);
  await page.getByRole('heading', { name: /Вхід до пульта секретаря|Засідання/ }).first().waitFor();
  return { context, page };
}

/** The browser process started on `profile` (not its helpers, which carry --type=). */
function browserPid(profile: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${profile}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  throw new Error(`no browser on the profile [profile:${profile}]`);
}
