// A flaky connection mid-vote: choices made while offline wait in the console's queue (shown
// as pending) and, once the link is back, are applied exactly once each, in the order clicked.
//
// Chromium's offline emulation (context.setOffline) does not close an open WebSocket: frames
// are just held (checked by hand with Chromium 156). The console therefore drops its socket
// itself on the browser's `offline` event, as it must on a real network loss the browser
// notices. The second case needs no emulation: the server itself goes away and comes back
// on the same port and data folder, and the socket really breaks.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../protocol/model.ts';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { consolePage, logEvents, logIn, names, settled, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
let name: Map<string, string>;
const LABEL: Record<Choice, string> = { for: 'За', against: 'Проти', abstain: 'Утримався', 'not-voting': 'Не голосував' };

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 25), voteId: 'v1' })) {
    expect((await t.command(command)).answer).toMatchObject({ ok: true });
  }
  name = await names(t, DEMO_SITTING);
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await logIn(c.page);
  await c.page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
  await c.page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const choiceButton = (memberId: string, choice: Choice) =>
  c.page.getByRole('button', { name: `${name.get(memberId)}: ${LABEL[choice]}`, exact: true });

async function click(casts: [string, Choice][]): Promise<void> {
  for (const [memberId, choice] of casts) await choiceButton(memberId, choice).click();
}

/** The vote's casts in the log: member, choice and commandId, in the record's order. */
async function castsInLog(): Promise<{ member: string; choice: string; commandId: string | null }[]> {
  return (await logEvents(t, DEMO_SITTING, 'vote.cast')).map((e) => ({
    member: e.event.memberId,
    choice: e.event.choice,
    commandId: e.commandId,
  }));
}

describe('the console on a flaky connection', () => {
  it('queues choices made offline and applies each exactly once, in order, when back online', async () => {
    const { page, context } = c;
    const online: [string, Choice][] = [
      ['d01', 'for'],
      ['d02', 'against'],
    ];
    await click(online);
    await settled(page);

    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
    const offline: [string, Choice][] = [
      ['d03', 'for'],
      ['d04', 'against'],
      ['d05', 'abstain'],
      ['d03', 'against'],
      ['d06', 'not-voting'],
    ];
    await click(offline);
    await page.getByText('У черзі: 5').waitFor();
    // Shown as chosen, marked as waiting, and not in the record yet.
    await expect(choiceButton('d03', 'against').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByRole('row', { name: new RegExp(name.get('d04')!) }).getByText('очікує надсилання').isVisible()).resolves.toBe(true);
    expect((await castsInLog()).map((e) => e.member)).toEqual(['d01', 'd02']);

    await context.setOffline(false);
    await settled(page);
    const log = await castsInLog();
    expect(log.map((e) => [e.member, e.choice])).toEqual([...online, ...offline]);
    expect(new Set(log.map((e) => e.commandId)).size).toBe(log.length);
    expect(log.every((e) => e.commandId !== null)).toBe(true);
    const vote = (await t.sitting(DEMO_SITTING)).votes[0]!;
    expect(vote.choices).toMatchObject({ d01: 'for', d02: 'against', d03: 'against', d04: 'against', d05: 'abstain', d06: 'not-voting' });
    await expect(choiceButton('d03', 'against').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByText('очікує надсилання').count()).resolves.toBe(0);
  });

  it('keeps the queue across a server restart and sends it once the server is back', async () => {
    const { page } = c;
    const port = Number(new URL(t.url).port);
    const dataDir = t.dataDir;
    const before = (await castsInLog()).length;
    await t.close({ keepData: true });
    await page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
    const whileDown: [string, Choice][] = [
      ['d07', 'for'],
      ['d08', 'abstain'],
      ['d07', 'not-voting'],
    ];
    await click(whileDown);
    await page.getByText('У черзі: 3').waitFor();

    t = await startTestServer({ dataDir, port, demo: true });
    await settled(page);
    const log = await castsInLog();
    expect(log.slice(before).map((e) => [e.member, e.choice])).toEqual(whileDown);
    expect(new Set(log.map((e) => e.commandId)).size).toBe(log.length);
    expect((await t.sitting(DEMO_SITTING)).votes[0]?.choices).toMatchObject({ d07: 'not-voting', d08: 'abstain' });
    expect(c.errors).toEqual([]);
  });
});
