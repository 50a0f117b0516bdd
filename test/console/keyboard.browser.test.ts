// A whole vote recorded without the mouse: log in, reach the sitting, open the vote, record
// every registered deputy's choice with the digit keys (moving with the arrows to change one),
// and close the vote through its confirmation — keyboard only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, names, settled, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
const PRESENT = DEPUTIES.slice(0, 24);

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  // The sitting is open with 24 deputies registered and item 1 taken up; the vote is the test.
  const setup = [
    { type: 'sitting.open', sittingId: DEMO_SITTING },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: PRESENT, present: true },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i1' },
  ] as const;
  for (const command of setup) expect((await t.command(command)).answer).toMatchObject({ ok: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The focused element's role and the name a screen reader would give it (label, aria-label or text). */
const focusedAs = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as (HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }) | null;
    if (!el || el === document.body) return { role: '', name: '' };
    const name = (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { role: el.getAttribute('role') ?? el.tagName.toLowerCase(), name };
  });
const focused = async (page: Page) => (await focusedAs(page)).name;

/** Presses Tab (or Shift+Tab) until an element of that role and name has the focus. */
async function tabTo(page: Page, role: string, name: RegExp, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press(key);
    const now = await focusedAs(page);
    if (now.role === role && name.test(now.name)) return;
  }
  throw new Error(`focus never reached ${role} ${name}`);
}

describe('the console by keyboard alone', () => {
  it('records a full vote without the mouse', async () => {
    const { page } = c;
    await tabTo(page, 'input', /Ім’я користувача/);
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'На зв’язку' }).waitFor();

    await tabTo(page, 'a', /^Пленарне засідання 67 сесії/);
    await page.keyboard.press('Enter');
    // The tabs are one stop: arrows move between them.
    await tabTo(page, 'tab', /^Реєстрація/);
    await page.keyboard.press('ArrowRight');
    await expect(focused(page)).resolves.toBe('Голосування');
    await tabTo(page, 'button', /^Нове голосування$/);
    await page.keyboard.press('Enter');
    // The stage list has the focus (the item is chosen, never typed): the arrows pick "за основу і в
    // цілому"; the open button is a few Tabs on, and once the vote is open the grid takes the focus.
    await expect(focused(page)).resolves.toBe('за основу');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(focused(page)).resolves.toBe('за основу і в цілому');
    await tabTo(page, 'button', /^Відкрити голосування$/);
    await page.keyboard.press('Enter');
    const name = await names(t, DEMO_SITTING);
    await page.waitForFunction((label) => document.activeElement?.getAttribute('aria-label') === label, `${name.get('d01')}: За`);

    // Roll call: 18 for, 4 against, 2 abstain; each digit goes on to the next deputy.
    for (const key of [...'111111111111111111', ...'2222', ...'33']) await page.keyboard.press(key);
    // Change one: back to the second deputy and record "against" instead.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect(focused(page)).resolves.toMatch(new RegExp(`^${name.get('d02')}:`));
    await page.keyboard.press('2');
    await page.getByText('Зараз рішення не приймається (бракує 5 «за»)').waitFor();

    // The dialog's confirm stays disabled (not focusable) until every choice has reached the server.
    await settled(page);
    await tabTo(page, 'button', /^Закрити голосування$/, 'Shift+Tab');
    await page.keyboard.press('Enter');
    // The dialog opens on "Скасувати"; the deliberate answer is one Tab away.
    await expect(focused(page)).resolves.toBe('Скасувати');
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe('Закрити голосування');
    await page.waitForFunction(() => !(document.activeElement as HTMLButtonElement | null)?.disabled);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Нове голосування' }).waitFor();
    await expect(page.getByRole('region', { name: 'Голосування засідання' }).getByText('Не прийнято', { exact: true }).isVisible()).resolves.toBe(true);

    const vote = (await t.sitting(DEMO_SITTING)).votes[0]!;
    expect(vote).toMatchObject({ status: 'closed', required: 22, counts: { for: 17, against: 5, abstain: 2, notVoting: 0, absent: 18 }, result: 'rejected' });
    expect(vote.choices).toMatchObject({ d01: 'for', d02: 'against', d18: 'for', d19: 'against', d23: 'abstain', d24: 'abstain' });
    expect(c.errors).toEqual([]);
  });
});
