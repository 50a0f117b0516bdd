// The clerk's workflow traps, in Chromium with real clicks and keys: a vote opened on its item
// with a stage picked from the list (the title composed, never glued), renamed afterwards as a
// visible amendment; members with nothing entered shown as pending — not "did not vote" — in
// the grid, the counters, the overlay, the residents' panel and the view; items inserted,
// postponed, resumed and moved with their history; a sitting's details changed and the sitting
// cancelled, which residents see on the front page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoteView } from '../../protocol/views.ts';
import { publicationPaths } from '../../protocol/publicationPaths.ts';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { openOverlay, showing } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { confirmed, consolePage, logEvents, logIn, names, settled, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;
const PRESENT = DEPUTIES.slice(0, 24);
const I1 = 'Про затвердження порядку денного пленарного засідання';

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  const setup = [
    { type: 'sitting.open', sittingId: DEMO_SITTING },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: PRESENT, present: true },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i1' },
  ] as const;
  for (const command of setup) expect((await t.command(command)).answer).toMatchObject({ ok: true });
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await logIn(c.page);
  await c.page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const vote = async (): Promise<VoteView> => (await t.sitting(DEMO_SITTING)).votes[0]!;
const total = (v: VoteView) => v.counts.for + v.counts.against + v.counts.abstain + v.counts.notVoting + v.counts.absent + v.counts.pending;
const counter = (page: Page, key: string) => page.locator(`.counts [data-count="${key}"] dd`).first().textContent();

describe('the vote subject and pending choices', () => {
  it('composes the title from the item and the picked stage, and shows members with nothing entered as pending everywhere', async () => {
    const { page } = c;
    await page.getByRole('tab', { name: /^Голосування/ }).click();
    await page.getByRole('button', { name: 'Нове голосування' }).click();
    // The item is chosen, shown, not typed: the form starts on the current item, the stage list has the focus.
    await expect(page.getByLabel('Питання порядку денного').inputValue()).resolves.toBe('i1');
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).resolves.toBe('basis');
    await page.getByRole('radio', { name: 'за основу і в цілому' }).check();
    await page.getByText(`${I1} — за основу і в цілому`).waitFor();
    await page.getByRole('button', { name: 'Відкрити голосування' }).click();
    await page.getByRole('heading', { name: `${I1} — за основу і в цілому` }).waitFor();

    // At 0:00 nobody is pressed in the grid and the counters say "not yet entered", not "did not vote".
    const grid = page.getByRole('table');
    await expect(grid.locator('button[aria-pressed="true"]').count()).resolves.toBe(0);
    await expect(grid.getByText('ще не внесено').count()).resolves.toBe(24);
    await expect(counter(page, 'pending')).resolves.toBe('24');
    await expect(counter(page, 'notVoting')).resolves.toBe('0');
    const opened = await vote();
    expect(opened).toMatchObject({ stage: 'basis-and-whole', title: `${I1} — за основу і в цілому`, counts: { notVoting: 0, pending: 24, absent: 18 } });
    expect(total(opened)).toBe(42);

    // The overlay's roll table and the residents' panel say "not yet entered" too.
    const overlay = await openOverlay(browser, t.url, 'room=plenary&scene=roll');
    await showing(overlay, 'roll');
    await expect(overlay.locator('[data-count="pending"] dt').textContent()).resolves.toBe('Ще не внесено');
    await expect(overlay.locator('[data-count="notVoting"]').count()).resolves.toBe(0);
    await expect(overlay.locator('[data-member="d01"] .choice').textContent()).resolves.toBe('Ще не внесено');
    const resident = await browser.newPage();
    await resident.goto(`${t.url}/live/plenary`);
    const card = resident.locator(`article.vote[data-vote="${opened.id}"]`);
    await card.locator('[data-count="pending"] dd').filter({ hasText: '24' }).waitFor();
    await expect(card.locator('[data-count="notVoting"]').count()).resolves.toBe(0);
    await expect(card.locator('[data-count="pending"] dt').textContent()).resolves.toContain('Ще не внесено');

    // Two entries: "for", and an explicit "не голосую", which stays a choice of its own.
    const name = await names(t, DEMO_SITTING);
    await page.getByRole('button', { name: `${name.get('d01')}: За`, exact: true }).click();
    await page.getByRole('button', { name: `${name.get('d02')}: Не голосував`, exact: true }).click();
    await settled(page);
    await expect(page.getByRole('button', { name: `${name.get('d02')}: Не голосував`, exact: true }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(counter(page, 'pending')).resolves.toBe('22');
    await expect(counter(page, 'notVoting')).resolves.toBe('1');
    await overlay.locator('[data-member="d02"] .choice').filter({ hasText: 'Не голосував' }).waitFor();
    await card.locator('[data-count="pending"] dd').filter({ hasText: '22' }).waitFor();
    const partly = await vote();
    expect(partly.counts).toMatchObject({ for: 1, notVoting: 1, pending: 22 });
    expect(partly.choices).toMatchObject({ d01: 'for', d02: 'not-voting', d03: 'pending', d40: 'absent' });
    expect(total(partly)).toBe(42);

    // Closing turns what was never entered into "did not vote".
    await confirmed(page, 'Закрити голосування');
    await page.getByRole('button', { name: 'Нове голосування' }).waitFor();
    const closed = await vote();
    expect(closed).toMatchObject({ status: 'closed', counts: { for: 1, notVoting: 23, pending: 0, absent: 18 } });
    expect(total(closed)).toBe(42);
    await overlay.locator('[data-count="notVoting"]').waitFor();
    await expect(overlay.locator('[data-member="d03"] .choice').textContent()).resolves.toBe('Не голосував');
    await overlay.close();
    await resident.close();
  });

  it('changes a closed vote’s subject with a reason, shown as an amendment in the console and the published table', async () => {
    const { page } = c;
    const history = page.getByRole('region', { name: 'Голосування засідання' });
    await history.getByRole('button', { name: /^Змінити предмет/ }).click();
    await page.getByRole('radio', { name: 'в цілому', exact: true }).check();
    await page.getByText(`${I1} — в цілому`, { exact: true }).waitFor();
    await page.getByLabel('Підстава зміни (буде оприлюднено)').fill('За стенограмою голосували в цілому');
    await page.getByRole('button', { name: 'Записати зміну предмета' }).click();
    await history.getByText(`Предмет змінено: «${I1} — за основу і в цілому» → «${I1} — в цілому». Підстава: За стенограмою голосували в цілому`).waitFor();
    await history.getByText(`${I1} — в цілому`, { exact: true }).waitFor();

    const renamed = await vote();
    expect(renamed).toMatchObject({ stage: 'whole', title: `${I1} — в цілому`, counts: { for: 1, notVoting: 23 } });
    expect(renamed.renames).toEqual([
      { from: `${I1} — за основу і в цілому`, to: `${I1} — в цілому`, reason: 'За стенограмою голосували в цілому', at: expect.any(String) },
    ]);
    expect(await logEvents(t, DEMO_SITTING, 'vote.renamed')).toHaveLength(1);
    const table = await (await fetch(`${t.url}${publicationPaths(DEMO_SITTING).page}`)).text();
    expect(table).toContain('Зміни предмета голосування');
    expect(table).toContain(`<del>${I1} — за основу і в цілому</del>`);
    expect(table).toContain(`<ins>${I1} — в цілому</ins>`);
    expect(c.errors).toEqual([]);
  });
});

describe('the agenda during the sitting', () => {
  it('postpones the current item, inserts a new one, takes it up, resumes the postponed one and moves another, with the history', async () => {
    const { page } = c;
    await page.getByRole('button', { name: 'Відкласти питання 1' }).click();
    await page.locator('li.postponed').getByText('Відкладено', { exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Порядок денний' }).click();
    const form = page.getByRole('form', { name: 'Нове питання порядку денного' });
    await form.getByLabel('Номер', { exact: true }).fill('1-1');
    await form.getByLabel('Назва питання').fill('Про звернення до Верховної Ради України');
    await form.getByLabel('Доповідач').fill('Секретар ради');
    await form.getByLabel('Місце в порядку денному').selectOption({ label: 'після питання 1' });
    await form.getByRole('button', { name: 'Додати до порядку денного' }).click();
    await form.getByText('Питання 1-1 додано.').waitFor();

    await confirmed(page, 'Розпочати розгляд 1-1', 'Розпочати розгляд');
    await page.getByRole('button', { name: 'Повернутися до розгляду 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Розпочати розгляд', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Перемістити питання 8 вище' }).click();
    await settled(page);

    const view = await t.sitting(DEMO_SITTING);
    const inserted = view.agenda.find((i) => i.number === '1-1')!;
    expect(view.agenda.map((i) => i.number)).toEqual(['1', '1-1', '2', '3', '4', '5', '6', '8', '7']);
    expect(view.agenda.slice(0, 2).map((i) => i.status)).toEqual(['current', 'done']);
    expect(inserted).toMatchObject({ title: 'Про звернення до Верховної Ради України', rapporteur: 'Секретар ради' });
    expect(view.agendaHistory.map((h) => h.kind)).toEqual(['postponed', 'inserted', 'resumed', 'moved']);
    for (const type of ['item.postponed', 'agenda.inserted', 'agenda.moved']) expect(await logEvents(t, DEMO_SITTING, type)).toHaveLength(1);

    const changes = page.getByRole('region', { name: 'Зміни порядку денного' });
    await expect(changes.getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringContaining('питання 8 переміщено (після питання 6)'),
      expect.stringContaining('повернулися до питання 1'),
      expect.stringContaining('додано питання 1-1 «Про звернення до Верховної Ради України» (після питання 1)'),
      expect.stringContaining('питання 1 відкладено'),
    ]);
  });

  it('lists the items never taken up when the sitting is closed', async () => {
    const { page } = c;
    await page.getByRole('button', { name: 'Закрити засідання', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Не розглянуто питань: 7.', { exact: false }).waitFor();
    await expect(dialog.getByRole('listitem').count()).resolves.toBe(7);
    await dialog.getByText('8. Про подолання вето').waitFor();
    await dialog.getByRole('button', { name: 'Закрити засідання', exact: true }).click();
    await page.getByText(/^Засідання закрито .*Результати оприлюднено/).waitFor();
    expect((await t.sitting(DEMO_SITTING)).agenda.filter((i) => i.status === 'pending')).toHaveLength(7);
    expect(c.errors).toEqual([]);
  });
});

describe('sitting details', () => {
  it('changes a scheduled sitting’s title and date, then cancels it, and residents see it cancelled', async () => {
    const created = await t.command({
      type: 'sitting.create',
      sitting: { id: 'extra-68', bodyId: 'council', title: 'Позачергове засідання', room: 'plenary', scheduledAt: '2099-01-15T10:00:00+02:00' },
    });
    expect(created.answer).toMatchObject({ ok: true });
    const { page } = c;
    await page.goto(`${t.url}/console/`);
    await page.getByRole('link', { name: 'Позачергове засідання' }).click();

    await page.getByRole('button', { name: 'Змінити дані' }).click();
    const form = page.getByRole('form', { name: 'Дані засідання' });
    await form.getByLabel('Назва засідання').fill('Позачергове засідання 68 сесії');
    await form.getByLabel('Дата і час початку').fill('2099-01-22T11:30');
    await form.getByRole('button', { name: 'Зберегти зміни' }).click();
    await page.getByRole('heading', { name: 'Позачергове засідання 68 сесії' }).waitFor();
    expect(await t.sitting('extra-68')).toMatchObject({ title: 'Позачергове засідання 68 сесії', scheduledAt: '2099-01-22T11:30:00+02:00', status: 'scheduled' });

    await page.getByRole('button', { name: 'Скасувати засідання' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Причина скасування (буде оприлюднено)').fill('Питання розглянуто на черговому засіданні');
    await dialog.getByRole('button', { name: 'Скасувати засідання' }).click();
    await page.getByText(/^Засідання скасовано .* Причина: Питання розглянуто на черговому засіданні/).waitFor();
    expect(await t.sitting('extra-68')).toMatchObject({ status: 'cancelled', cancelled: { reason: 'Питання розглянуто на черговому засіданні' } });
    await expect(page.getByRole('button', { name: 'Відкрити засідання' }).count()).resolves.toBe(0);

    const home = await browser.newPage();
    await home.goto(`${t.url}/`);
    const row = home.locator('li[data-sitting="extra-68"]');
    await row.getByText('Скасовано', { exact: true }).waitFor();
    await row.getByText('Засідання скасовано. Причина: Питання розглянуто на черговому засіданні').waitFor();
    await home.close();
    expect(c.errors).toEqual([]);
  });
});
