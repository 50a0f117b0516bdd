// A sitting outlasts a login: the console renews the session while the clerk works, so it
// never ends mid-vote; if it ends anyway (the clerk was idle past its lifetime), the next
// command is not lost — the password is asked over the vote, and the queue is sent after it,
// each command once. The lifetime is 4 s here (RADACAST_SESSION_TTL_MINUTES in production).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logEvents, logIn, names, settled, type ConsolePage } from './consolePage.ts';

const TTL_MS = 4000;
let t: TestServer;
let browser: Browser;
let c: ConsolePage;
let name: Map<string, string>;

beforeAll(async () => {
  t = await startTestServer({ demo: true, sessionTtlMs: TTL_MS });
  for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' })) {
    expect((await t.command(command)).answer).toMatchObject({ ok: true });
  }
  name = await names(t, DEMO_SITTING);
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const forButton = (memberId: string) => c.page.getByRole('button', { name: `${name.get(memberId)}: За`, exact: true });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sessionCookie(): Promise<string> {
  const k = (await c.context.cookies()).find((cookie) => cookie.name === 'radacast_session')!;
  return `${k.name}=${k.value}`;
}

async function castsInLog(): Promise<[string, string][]> {
  return (await logEvents(t, DEMO_SITTING, 'vote.cast')).map((e) => [e.event.memberId, e.event.choice as string]);
}

describe('the console session', () => {
  it('is renewed while the clerk works, past the moment it would have ended', async () => {
    const { page } = c;
    await logIn(page);
    const loggedInAt = Date.now();
    await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
    await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
    // The clerk moves along the grid now and then, for one and a half lifetimes.
    await forButton('d01').focus();
    while (Date.now() - loggedInAt < TTL_MS * 1.5) {
      await page.keyboard.press('ArrowDown');
      await pause(300);
    }
    await forButton('d05').click();
    await settled(page);
    expect(await castsInLog()).toEqual([['d05', 'for']]);
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    expect((await fetch(`${t.url}/api/session`, { headers: { cookie: await sessionCookie() } })).status).toBe(200);
  });

  it('after the session ended asks for the password over the vote, then sends what waited, once each', async () => {
    const { page, context } = c;
    // Offline, the clerk records two choices; meanwhile the session ends.
    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
    await forButton('d06').click();
    await forButton('d07').click();
    await page.getByText('У черзі: 2').waitFor();
    const cookie = await sessionCookie();
    while ((await fetch(`${t.url}/api/session`, { headers: { cookie } })).status === 200) await pause(200);

    await context.setOffline(false);
    const dialog = page.getByRole('dialog', { name: 'Сеанс завершився' });
    await dialog.getByText('У черзі команд: 2.').waitFor();
    // The password field has the focus; a wrong password is told and changes nothing.
    await page.keyboard.type('wrong-password');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Неправильне ім’я користувача або пароль.' }).waitFor();
    expect(await castsInLog()).toEqual([['d05', 'for']]);

    await dialog.getByLabel('Пароль').fill(ADMIN_PASSWORD);
    await dialog.getByRole('button', { name: 'Продовжити' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await settled(page);
    expect(await castsInLog()).toEqual([
      ['d05', 'for'],
      ['d06', 'for'],
      ['d07', 'for'],
    ]);
    // Still on the vote, as before.
    await expect(forButton('d07').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
    expect(c.errors).toEqual([]);
  });
});
