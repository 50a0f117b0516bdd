// The clerk console in Debian's Chromium for the browser tests: a context at the laptop size
// the console is built for, logging in through the form, and small readers of what the page
// shows. Every action in the tests goes through the page as a clerk would do it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LogEntry } from '../../protocol/answers.ts';
import type { DomainEvent } from '../../protocol/events.ts';
import type { SittingView } from '../../protocol/views.ts';
import { ADMIN_PASSWORD, type TestServer } from '../support/testServer.ts';

export const LAPTOP = { width: 1366, height: 768 };

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Script errors the page raised: a test ends by expecting none. */
  errors: Error[];
}

export async function consolePage(browser: Browser, url: string, viewport = LAPTOP): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, locale: 'uk-UA', timezoneId: 'Europe/Kyiv' });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (err) => errors.push(err));
  await page.goto(`${url}/console/`);
  return { context, page, errors };
}

/**
 * Logs in through the login form. The fields are looked up inside that form: right after a
 * logout the admin page (whose new-account form has the same labels) may still be on screen.
 */
export async function logIn(page: Page, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Вхід до пульта секретаря' }) });
  await form.getByLabel('Ім’я користувача').fill(username);
  await form.getByLabel('Пароль').fill(password);
  await form.getByRole('button', { name: 'Увійти' }).click();
  await page.getByRole('status').filter({ hasText: 'На зв’язку' }).waitFor();
}

/** Clicks an action, then the same-named (or given) button of the confirmation dialog. */
export async function confirmed(page: Page, action: string, confirm = action): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: confirm, exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
}

/** The record's events of one type, as GET /api/sittings/:id/log publishes them. */
export async function logEvents<T extends string>(
  t: TestServer,
  sittingId: string,
  type: T,
): Promise<(LogEntry & { event: Extract<DomainEvent, { type: T }> })[]> {
  const res = await fetch(`${t.url}/api/sittings/${sittingId}/log`);
  const body = (await res.json()) as { verified: boolean; events: LogEntry[] };
  if (!body.verified) throw new Error('the log failed verification');
  return body.events.filter((e): e is LogEntry & { event: Extract<DomainEvent, { type: T }> } => e.event.type === type);
}

export async function names(t: TestServer, sittingId: string): Promise<Map<string, string>> {
  const view: SittingView = await t.sitting(sittingId);
  return new Map(view.roster.map((m) => [m.id, m.name]));
}

/** Waits until the console shows nothing waiting and is in sync (the queue badge is gone). */
export async function settled(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'На зв’язку' }).filter({ hasNotText: 'У черзі' }).waitFor();
}
