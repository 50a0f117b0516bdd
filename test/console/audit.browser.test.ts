// The audit trail in the console as an admin reads it: what was just done on the admin page is
// at the top with who did it, the action filter narrows the list, and the chain is said to hold.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logIn, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await logIn(c.page);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the audit trail in the console', () => {
  it('shows an account just created, filters by action, and says the chain holds', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Адміністрування' }).click();
    const users = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Облікові записи' }) });
    await users.getByLabel('Ім’я користувача').fill('mariia');
    await users.getByLabel('Пароль').fill('clerk-password-9');
    await users.getByRole('button', { name: 'Створити' }).click();
    await page.getByRole('cell', { name: 'mariia' }).first().waitFor();

    const audit = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Журнал адміністрування' }) });
    await audit.getByRole('button', { name: 'Показати' }).click();
    const first = audit.locator('tbody tr').first();
    await first.getByRole('rowheader', { name: 'створено обліковий запис' }).waitFor();
    expect(await first.locator('td').allInnerTexts()).toEqual([expect.any(String), 'admin', 'mariia', 'role: clerk']);
    await audit.getByRole('status').filter({ hasText: 'Ланцюжок записів цілий.' }).waitFor();

    await audit.getByLabel('Дія').selectOption({ label: 'змінено пароль' });
    await audit.getByRole('button', { name: 'Показати' }).click();
    await audit.getByRole('cell', { name: 'Записів немає.' }).waitFor();
    expect(c.errors).toEqual([]);
  });
});
