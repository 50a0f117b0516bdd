// The small forms of a sitting, as a clerk types into them: the secret-ballot totals and the
// correction of a closed vote open with the focus on their first field, and a number typed
// into a field that shows 0 never keeps a leading zero.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logIn, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  const commands = [
    ...liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' }),
    { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'for' },
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v2', subject: 'Обрання секретаря ради', ballot: 'secret' },
  ] as const;
  for (const command of commands) expect((await t.command(command)).answer).toMatchObject({ ok: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await logIn(c.page);
  await c.page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The label text of the element that has the focus. */
const focusedLabel = () => c.page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim() ?? null);

describe('forms in a sitting', () => {
  it('opens the secret-ballot totals on the first figure, and typed numbers keep no leading zero', async () => {
    const { page } = c;
    const tally = page.getByRole('form', { name: 'Підсумки таємного голосування' });
    await tally.waitFor();
    await expect(focusedLabel()).resolves.toMatch(/^За/);
    const votesFor = tally.getByLabel('За');
    await expect(votesFor.inputValue()).resolves.toBe('0');
    await page.keyboard.type('25');
    await expect(votesFor.inputValue()).resolves.toBe('25');
    // Clicked after the 0 and typed: still no leading zero.
    const against = tally.getByLabel('Проти');
    await against.click();
    await against.press('End');
    await against.pressSequentially('3');
    await expect(against.inputValue()).resolves.toBe('3');
    await tally.getByRole('button', { name: 'Записати підсумки' }).click();
    await expect.poll(async () => (await t.sitting(DEMO_SITTING)).votes[1]?.counts).toMatchObject({ for: 25, against: 3 });
  });

  it('opens the correction of a closed vote on its first field', async () => {
    const { page } = c;
    await page.getByRole('button', { name: /^Виправити голос/ }).click();
    await expect(focusedLabel()).resolves.toMatch(/^Депутат/);
    expect(c.errors).toEqual([]);
  });
});
