// A clerk corrects slips on a closed sitting's record from the console on a 1366×768 laptop:
// an item's title from the agenda, a misspelt name from attendance (and in the body's roster),
// a secret ballot's totals from the votes history, the sitting's title and session from the
// header, a vote opened on the wrong item moved to its item and a deputy wrongly left absent
// counted after all, from the votes history. Each takes a reason, is listed in the console, and
// the published table shows the corrected values with the originals struck through.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import type { BodyView } from '../../protocol/views.ts';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { seriousViolations } from '../site/sitePages.ts';
import { consolePage, LAPTOP, logEvents, logIn, settled, type ConsolePage } from './consolePage.ts';

const SITTING = 'Пленарне засідання 67 сесії VIII скликання';
const ITEM_TITLE = 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2028 роки';
const NAME = 'Коваленко Олена Петрівна';
const I3_TITLE = 'Про внесення змін до програми компенсації коштів за утеплення житла «Енергодім»';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  const commands: CommandInput[] = [
    { type: 'sitting.open', sittingId: DEMO_SITTING },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: ['mayor', ...DEPUTIES.slice(0, 30)], present: true },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i2' },
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', stage: 'whole' },
    ...DEPUTIES.slice(0, 25).map((memberId): CommandInput => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice: 'for' })),
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v2', itemId: null, subject: 'Обрання секретаря ради', ballot: 'secret' },
    { type: 'vote.tally', sittingId: DEMO_SITTING, voteId: 'v2', for: 25, against: 3, abstain: 2 },
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v2' },
    // Opened while item 2 was still current; the hall voted on item 3.
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v3', stage: 'basis' },
    ...DEPUTIES.slice(0, 24).map((memberId): CommandInput => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v3', memberId, choice: 'for' })),
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v3' },
    { type: 'sitting.close', sittingId: DEMO_SITTING },
  ];
  for (const command of commands) expect((await t.command(command)).answer).toMatchObject({ ok: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url, LAPTOP);
  await logIn(c.page);
  await c.page.getByRole('link', { name: SITTING }).click();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The page never scrolls sideways on the laptop, whichever form is open. */
const fitsTheWidth = () => c.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('correcting a closed sitting’s record from the console', () => {
  it('corrects an item’s title from the agenda, with the reason, and lists it', async () => {
    const { page } = c;
    const before = (await t.sitting(DEMO_SITTING)).agenda.find((i) => i.id === 'i2')!.title;
    await page.getByRole('button', { name: 'Виправити питання 2' }).click();
    const form = page.getByRole('form', { name: 'Виправлення питання 2' });
    await expect(form.getByLabel('Назва питання').inputValue()).resolves.toBe(before);
    await expect(fitsTheWidth()).resolves.toBe(true);
    const submit = form.getByRole('button', { name: 'Записати виправлення' });
    await form.getByLabel('Назва питання').fill(ITEM_TITLE);
    // No reason yet: nothing can be recorded.
    await expect(submit.isDisabled()).resolves.toBe(true);
    await form.getByLabel('Підстава виправлення (буде оприлюднено)').fill('Звірено з рішенням № 283');
    await submit.click();
    await form.waitFor({ state: 'detached' });
    await page.getByText(`Назва питання (питання 2): «${before}» → «${ITEM_TITLE}». Підстава: Звірено з рішенням № 283`).waitFor();
    expect(await logEvents(t, DEMO_SITTING, 'item.corrected')).toEqual([
      expect.objectContaining({ actor: 'clerk', event: { type: 'item.corrected', itemId: 'i2', from: { title: before }, to: { title: ITEM_TITLE }, reason: 'Звірено з рішенням № 283' } }),
    ]);
  });

  it('corrects a misspelt name in this sitting and in the body’s roster', async () => {
    const { page } = c;
    await page.getByRole('tab', { name: /^Реєстрація/ }).click();
    await page.getByRole('button', { name: 'Виправити ім’я' }).click();
    const form = page.getByRole('form', { name: 'Виправлення імені в записі засідання' });
    await form.getByLabel('Депутат').selectOption('d03');
    await form.getByLabel('Правильне ім’я').fill(NAME);
    await expect(form.getByLabel('Виправити й у складі органу (для наступних засідань)').isChecked()).resolves.toBe(true);
    await expect(fitsTheWidth()).resolves.toBe(true);
    await form.getByLabel('Підстава виправлення (буде оприлюднено)').fill('Заява депутатки, паспорт');
    await form.getByRole('button', { name: 'Записати виправлення' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: new RegExp(`^${NAME}`) }).waitFor();
    const body = await (await fetch(`${t.url}/api/bodies/council`)).json() as BodyView;
    expect(body.members.find((m) => m.id === 'd03')!.name).toBe(NAME);
  });

  it('corrects a secret ballot’s totals from the votes history, totals only', async () => {
    const { page } = c;
    await page.getByRole('tab', { name: /^Голосування/ }).click();
    const history = page.getByRole('region', { name: 'Голосування засідання' });
    // The item's corrected title is in the title of the vote on it.
    await history.getByText(`${ITEM_TITLE} — в цілому`, { exact: true }).waitFor();
    await history.getByRole('button', { name: /^Виправити підсумки/ }).click();
    const form = page.getByRole('form', { name: 'Виправлення підсумків: Обрання секретаря ради' });
    await form.getByLabel('За', { exact: true }).fill('20');
    await form.getByLabel('Проти', { exact: true }).fill('8');
    await form.getByLabel('Підстава виправлення (буде оприлюднено)').fill('Протокол лічильної комісії № 2');
    await expect(fitsTheWidth()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Записати виправлення' }).click();
    await history.getByText('Підсумки виправлено: за 25, проти 3, утрималися 2 → за 20, проти 8, утрималися 2. Підстава: Протокол лічильної комісії № 2').waitFor();
    const vote = (await t.sitting(DEMO_SITTING)).votes.find((v) => v.id === 'v2')!;
    expect(vote).toMatchObject({ counts: { for: 20, against: 8, abstain: 2 }, result: 'rejected' });
    expect(vote).not.toHaveProperty('choices');
  });

  it('corrects the sitting’s title and session from the header, and the published table shows every correction', async () => {
    const { page } = c;
    await page.getByRole('button', { name: 'Виправити дані' }).click();
    const form = page.getByRole('form', { name: 'Виправлення даних засідання' });
    await form.getByLabel('Назва засідання').fill('Пленарне засідання 68 сесії VIII скликання');
    await form.getByLabel(/^Сесія/).fill('68 сесія');
    await form.getByLabel('Підстава виправлення (буде оприлюднено)').fill('Номер сесії за розпорядженням голови');
    await form.getByRole('button', { name: 'Записати виправлення' }).click();
    await page.getByRole('heading', { name: 'Пленарне засідання 68 сесії VIII скликання' }).waitFor();
    await settled(page);
    await expect(fitsTheWidth()).resolves.toBe(true);

    const table = await browser.newPage({ viewport: LAPTOP });
    await table.goto(`${t.url}/sittings/${DEMO_SITTING}/votes`);
    const corrections = table.getByRole('table', { name: 'Виправлення запису засідання' });
    const rows = await corrections.getByRole('row').allInnerTexts();
    expect(rows.slice(1).map((r) => r.split('\t').slice(0, 4))).toEqual([
      ['Назва питання (питання 2)', expect.any(String), ITEM_TITLE, 'Звірено з рішенням № 283'],
      ['Ім’я члена органу', expect.not.stringContaining(NAME), NAME, 'Заява депутатки, паспорт'],
      ['Назва засідання', SITTING, 'Пленарне засідання 68 сесії VIII скликання', 'Номер сесії за розпорядженням голови'],
      ['Сесія', expect.any(String), '68 сесія', 'Номер сесії за розпорядженням голови'],
    ]);
    // The original is struck through, the new value inserted.
    await expect(corrections.locator('del').first().textContent()).resolves.not.toBe(ITEM_TITLE);
    await expect(corrections.locator('ins').first().textContent()).resolves.toBe(ITEM_TITLE);
    await table.getByRole('table', { name: 'Виправлення після закриття голосування' }).getByText('за 20, проти 8, утрималися 2').waitFor();
    // Readable by everyone: no serious accessibility violation with the corrections shown.
    await expect(seriousViolations(table)).resolves.toEqual([]);
    const motions = await (await fetch(`${t.url}/api/sittings/${DEMO_SITTING}/motions.csv`)).text();
    expect(motions).toContain(`${ITEM_TITLE} — в цілому`);
    expect(motions).toContain('68 сесія');
    await table.close();
    expect(c.errors).toEqual([]);
  });

  it('moves a vote opened on the wrong item to its item from the votes history, listed as a correction', async () => {
    const { page } = c;
    await page.getByRole('tab', { name: /^Голосування/ }).click();
    const history = page.getByRole('region', { name: 'Голосування засідання' });
    const voted = (title: string) => history.getByRole('listitem').filter({ hasText: title });
    await voted(`${ITEM_TITLE} — за основу`).getByRole('button', { name: /^Перенести на інше питання/ }).click();
    const form = page.getByRole('form', { name: `Перенесення голосування: ${ITEM_TITLE} — за основу` });
    const submit = form.getByRole('button', { name: 'Перенести голосування' });
    await form.getByLabel('Підстава перенесення (буде оприлюднено)').fill('За стенограмою голосували питання 3');
    // Still on its own item: nothing to record.
    await expect(submit.isDisabled()).resolves.toBe(true);
    await form.getByLabel('Питання, на якому насправді голосували').selectOption('i3');
    await expect(fitsTheWidth()).resolves.toBe(true);
    await submit.click();
    await form.waitFor({ state: 'detached' });
    await history.getByText(`${I3_TITLE} — за основу`, { exact: true }).waitFor();
    await page
      .getByText(`Питання порядку денного, до якого віднесено голосування (голосування «${I3_TITLE} — за основу»): «2» → «3». Підстава: За стенограмою голосували питання 3`)
      .waitFor();
    expect(await logEvents(t, DEMO_SITTING, 'vote.moved')).toEqual([
      expect.objectContaining({ actor: 'clerk', event: { type: 'vote.moved', voteId: 'v3', from: 'i2', to: 'i3', reason: 'За стенограмою голосували питання 3' } }),
    ]);
  });

  it('counts a deputy wrongly left absent in a closed vote, saying the vote is counted again, and the table shows it', async () => {
    const { page } = c;
    const history = page.getByRole('region', { name: 'Голосування засідання' });
    await history.getByRole('listitem').filter({ hasText: `${ITEM_TITLE} — в цілому` }).getByRole('button', { name: /^Виправити голос/ }).click();
    const form = page.getByRole('form', { name: `Виправлення: ${ITEM_TITLE} — в цілому` });
    await form.getByLabel('Депутат').selectOption('d35');
    await form.getByLabel('Правильний голос').selectOption('for');
    await form.getByText('Змінюється реєстрація депутата в цьому голосуванні: склад, поріг і результат буде перераховано.').waitFor();
    await form.getByLabel('Підстава виправлення (буде оприлюднено)').fill('Депутат був у залі, картку не вставлено');
    await expect(fitsTheWidth()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Записати виправлення' }).click();
    await form.waitFor({ state: 'detached' });
    const d35 = (await t.sitting(DEMO_SITTING)).roster.find((m) => m.id === 'd35')?.name ?? 'd35';
    await history.getByText(`Виправлено: ${d35}: Відсутній → За. Підстава: Депутат був у залі, картку не вставлено`).waitFor();
    const vote = (await t.sitting(DEMO_SITTING)).votes.find((v) => v.id === 'v1');
    expect(vote).toMatchObject({ counts: { for: 26, absent: 11 }, result: 'adopted', choices: { d35: 'for' } });

    const table = await browser.newPage({ viewport: LAPTOP });
    await table.goto(`${t.url}/sittings/${DEMO_SITTING}/votes`);
    const after = await table.getByRole('table', { name: 'Виправлення після закриття голосування' }).getByRole('row').allInnerTexts();
    expect(after.map((r) => r.split('\t').slice(1, 5))).toContainEqual([d35, 'Відсутній', 'За', 'Депутат був у залі, картку не вставлено']);
    const record = await table.getByRole('table', { name: 'Виправлення запису засідання' }).getByRole('row').allInnerTexts();
    expect(record.at(-1)?.split('\t').slice(0, 4)).toEqual([
      `Питання порядку денного, до якого віднесено голосування (голосування «${I3_TITLE} — за основу»)`,
      '2',
      '3',
      'За стенограмою голосували питання 3',
    ]);
    await expect(seriousViolations(table)).resolves.toEqual([]);
    await table.close();
    expect(c.errors).toEqual([]);
  });
});
