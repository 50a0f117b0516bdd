// The demo sitting run end to end through the console only: log in, open, register 35
// deputies, take up items, three votes (one needing two thirds, one corrected after closing,
// one secret ballot), close the sitting. Then the public API must hold exactly what was clicked.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../protocol/model.ts';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { confirmed, consolePage, logIn, names, settled, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
let name: Map<string, string>;

const REGISTERED = DEPUTIES.slice(0, 35);
const LABEL: Record<Choice, string> = { for: 'За', against: 'Проти', abstain: 'Утримався', 'not-voting': 'Не голосував' };

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  name = await names(t, DEMO_SITTING);
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Clicks each member's choice in the vote grid, in roll-call order. */
async function castAll(choices: [string, Choice][]): Promise<void> {
  for (const [memberId, choice] of choices) {
    await c.page.getByRole('button', { name: `${name.get(memberId)}: ${LABEL[choice]}`, exact: true }).click();
  }
  await settled(c.page);
}

async function openVote(options: { secret?: boolean; expectRule: string }): Promise<void> {
  const { page } = c;
  await page.getByRole('tab', { name: /Голосування/ }).click();
  await page.getByRole('button', { name: 'Нове голосування' }).click();
  // The rule defaults to the current item's.
  await expect(page.getByLabel('Правило').inputValue()).resolves.toBe(options.expectRule);
  if (options.secret) await page.getByLabel('Таємне').check();
  // The stage is picked from the list (the item's title is never typed).
  await page.getByRole('radio', { name: 'за основу і в цілому' }).check();
  await page.getByRole('button', { name: 'Відкрити голосування' }).click();
  await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
}

describe('the demo sitting through the console', () => {
  it('records exactly what the clerk clicked', async () => {
    const { page } = c;
    await logIn(page);
    await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
    await confirmed(page, 'Відкрити засідання');
    await page.getByText('Наживо', { exact: true }).waitFor();

    // Registration, one deputy at a time.
    for (const id of REGISTERED) await page.getByRole('button', { name: new RegExp(`^${name.get(id)} `) }).click();
    await page.getByText('Зареєстровано 35 з 42 депутатів, міського голови немає').first().waitFor();
    await settled(page);
    await expect(page.getByText('кворум є (потрібно 22)').first().isVisible()).resolves.toBe(true);

    // Vote 1 on item 1 (majority of the composition), corrected after it closes.
    await confirmed(page, 'Розпочати розгляд 1', 'Розпочати розгляд');
    await openVote({ expectRule: 'majority-of-composition' });
    const first: [string, Choice][] = REGISTERED.slice(0, 33).map((id, i) => [id, i < 25 ? 'for' : i < 30 ? 'against' : 'abstain']);
    await castAll(first);
    await page.getByText('Зараз рішення приймається (25 «за»)').waitFor();
    await confirmed(page, 'Закрити голосування');
    await page.getByRole('button', { name: 'Нове голосування' }).waitFor();
    await page.getByRole('button', { name: /^Виправити голос/ }).click();
    await page.getByLabel('Депутат').selectOption('d26');
    await page.getByLabel('Правильний голос').selectOption('for');
    await page.getByLabel('Підстава виправлення').fill('Технічна помилка: депутат голосував «за», підтверджено відеозаписом');
    await page.getByRole('button', { name: 'Записати виправлення' }).click();
    await page.getByText(`Виправлено: ${name.get('d26')}: Проти → За.`, { exact: false }).waitFor();

    // Vote 2 on item 8, which needs two thirds: 28 of 42.
    await confirmed(page, 'Розпочати розгляд 8', 'Розпочати розгляд');
    await openVote({ expectRule: 'two-thirds-of-composition' });
    await page.getByText('Потрібно «за»: 28 із 42').waitFor();
    const second: [string, Choice][] = REGISTERED.map((id, i) => [id, i < 28 ? 'for' : i < 33 ? 'against' : 'abstain']);
    await castAll(second);
    await page.getByText('Зараз рішення приймається (28 «за»)').waitFor();
    await confirmed(page, 'Закрити голосування');

    // Vote 3 on item 2, a secret ballot: totals only.
    await confirmed(page, 'Розпочати розгляд 2', 'Розпочати розгляд');
    await openVote({ secret: true, expectRule: 'majority-of-composition' });
    await expect(page.getByRole('button', { name: new RegExp(`${name.get('d01')}: За`) }).count()).resolves.toBe(0);
    await page.getByRole('spinbutton', { name: 'За' }).fill('20');
    await page.getByRole('spinbutton', { name: 'Проти' }).fill('10');
    await page.getByRole('spinbutton', { name: 'Утрималися' }).fill('3');
    await page.getByRole('button', { name: 'Записати підсумки' }).click();
    await page.getByText('Зараз рішення не приймається (бракує 2 «за»)').waitFor();
    await confirmed(page, 'Закрити голосування');

    await confirmed(page, 'Закрити засідання');
    const published = page.getByRole('link', { name: 'Оприлюднена таблиця поіменного голосування' });
    await published.waitFor();
    await expect(published.getAttribute('href')).resolves.toBe(`/sittings/${DEMO_SITTING}/votes`);
    expect(c.errors).toEqual([]);

    // The record, as the public reads it.
    const view = await t.sitting(DEMO_SITTING);
    expect(view.status).toBe('closed');
    expect(view.attendance.present).toEqual(REGISTERED);
    expect(view.agenda.filter((i) => i.status === 'done').map((i) => i.id)).toEqual(['i1', 'i2', 'i8']);
    expect(view.votes).toHaveLength(3);
    const [v1, v2, v3] = view.votes;
    const choices = (cast: [string, Choice][], registered: string[]) =>
      Object.fromEntries(DEPUTIES.map((id) => [id, registered.includes(id) ? (new Map(cast).get(id) ?? 'not-voting') : 'absent']));
    expect(v1).toMatchObject({
      itemId: 'i1',
      rule: 'majority-of-composition',
      ballot: 'roll-call',
      status: 'closed',
      composition: 42,
      required: 22,
      counts: { for: 26, against: 4, abstain: 3, notVoting: 2, absent: 7 },
      result: 'adopted',
      corrections: [{ memberId: 'd26', from: 'against', to: 'for', reason: 'Технічна помилка: депутат голосував «за», підтверджено відеозаписом' }],
    });
    expect(v1?.choices).toEqual({ ...choices(first, REGISTERED), d26: 'for' });
    expect(v2).toMatchObject({
      itemId: 'i8',
      rule: 'two-thirds-of-composition',
      required: 28,
      counts: { for: 28, against: 5, abstain: 2, notVoting: 0, absent: 7 },
      result: 'adopted',
    });
    expect(v2?.choices).toEqual(choices(second, REGISTERED));
    expect(v3).toMatchObject({
      itemId: 'i2',
      ballot: 'secret',
      required: 22,
      counts: { for: 20, against: 10, abstain: 3, notVoting: 2, absent: 7 },
      result: 'rejected',
    });
    expect(v3).not.toHaveProperty('choices');
    const table = await fetch(`${t.url}/sittings/${DEMO_SITTING}/votes`);
    expect(table.status).toBe(200);
  });
});
