// Preparing sittings in the console: importing an agenda and a roster (a file with a bad line
// is refused with that line's number and nothing changes), a conflicting edit from another
// console explained in plain Ukrainian (and English), creating a sitting, and administration
// of clerk accounts and API tokens.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyView } from '../../protocol/views.ts';
import { launchChromium } from '../support/browser.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { confirmed, consolePage, logIn, settled, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

const council = async (): Promise<BodyView> => (await (await fetch(`${t.url}/api/bodies/council`)).json()) as BodyView;

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

describe('preparing sittings', () => {
  it('refuses an agenda CSV with a bad line, naming the line, and imports nothing', async () => {
    const { page } = c;
    const before = (await t.sitting(DEMO_SITTING)).agenda;
    await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
    await page.getByRole('tab', { name: 'Порядок денний' }).click();
    const csv = ['номер;назва;правило', '1;Про порядок денний;', '2;;', '3;Про подолання вето;2/3'].join('\n');
    await page.getByRole('textbox', { name: 'Порядок денний' }).fill(csv);
    await page.getByRole('button', { name: 'Перевірити та зберегти' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Нічого не імпортовано' });
    await expect(alert.innerText()).resolves.toContain('Рядок 3: немає назви питання.');
    await expect(page.getByRole('dialog').isVisible()).resolves.toBe(false);
    expect((await t.sitting(DEMO_SITTING)).agenda).toEqual(before);
  });

  it('explains a conflicting edit from another console and shows the true agenda', async () => {
    const { page } = c;
    await page.getByRole('textbox', { name: 'Порядок денний' }).fill('1. Про порядок денний\n2. Про бюджет [2/3]');
    // Meanwhile another console replaces the agenda.
    const other = await t.command({ type: 'agenda.set', sittingId: DEMO_SITTING, agenda: [{ id: 'x1', number: '1', title: 'Змінено іншим пультом' }] });
    expect(other.answer.ok).toBe(true);
    await page.getByRole('complementary', { name: 'Порядок денний' }).getByText('Змінено іншим пультом').waitFor();
    await confirmed(page, 'Перевірити та зберегти', 'Замінити');
    const refusal = page.getByRole('tabpanel').getByRole('alert');
    await expect(refusal.innerText()).resolves.toMatch(/Дані застаріли: очікувався номер 1, актуальний 2\. .*Дані на екрані оновлено/);
    expect((await t.sitting(DEMO_SITTING)).agenda.map((i) => i.title)).toEqual(['Змінено іншим пультом']);

    // The same refusal in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(refusal.innerText()).resolves.toMatch(/Out of date: expected 1, the record is at 2\./);
    await page.getByRole('button', { name: 'Українська' }).click();

    // Told and shown the current agenda, the clerk saves again deliberately.
    await confirmed(page, 'Перевірити та зберегти', 'Замінити');
    await page.getByText('Порядок денний збережено: питань 2.').waitFor();
    expect((await t.sitting(DEMO_SITTING)).agenda.map((i) => [i.number, i.title, i.rule])).toEqual([
      ['1', 'Про порядок денний', 'majority-of-composition'],
      ['2', 'Про бюджет', 'two-thirds-of-composition'],
    ]);
  });

  it('refuses a roster file with a bad line, naming the line, and changes nothing; a good one replaces it', async () => {
    const { page } = c;
    const before = await council();
    await page.getByRole('link', { name: '← Засідання' }).click();
    await page.getByRole('link', { name: before.name }).click();
    const rows = before.members.map((m) => `${m.id},${m.name},${m.faction ?? ''},${m.role}`);
    const bad = ['id,name,faction,role', ...rows.slice(0, 2), 'd99,Нова Депутатка,Фракція-привид,deputy', ...rows.slice(2, 40)].join('\n');
    await page.getByLabel('Файл').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const alert = page.getByRole('alert').filter({ hasText: 'Нічого не імпортовано' });
    await expect(alert.innerText()).resolves.toContain('Рядок 4: невідома фракція «Фракція-привид».');
    expect(await council()).toEqual(before);

    const good = bad.replace('Фракція-привид', 'Зелене місто');
    await page.getByRole('textbox', { name: 'Склад у форматі CSV' }).fill(good);
    await confirmed(page, 'Перевірити та зберегти', 'Зберегти склад');
    await page.getByText('Склад збережено.').waitFor();
    const after = await council();
    expect(after.members).toHaveLength(41);
    expect(after.members[2]).toEqual({ id: 'd99', name: 'Нова Депутатка', faction: 'zelene-misto', role: 'deputy' });
    expect(after.head).toBe('mayor');
  });

  it('creates a sitting for a body and opens its console', async () => {
    const { page } = c;
    await page.getByRole('link', { name: '← Засідання' }).click();
    const form = page.getByRole('region', { name: 'Нове засідання' });
    await form.getByLabel('Орган').selectOption('budget-committee');
    await form.getByLabel('Назва засідання').fill('Засідання бюджетної комісії');
    await form.getByLabel('Зала').selectOption('committee-room');
    await form.getByLabel('Дата і час початку').fill('2026-12-15T14:30');
    await form.getByRole('button', { name: 'Створити засідання' }).click();
    await page.getByRole('heading', { name: 'Засідання бюджетної комісії' }).waitFor();
    const id = 'budget-committee-2026-12-15';
    await expect(page.evaluate(() => location.pathname)).resolves.toBe(`/console/sittings/${id}`);
    const view = await t.sitting(id);
    expect(view).toMatchObject({ bodyId: 'budget-committee', room: 'committee-room', status: 'scheduled', scheduledAt: '2026-12-15T14:30:00+02:00' });
    expect(view.roster).toHaveLength(7);
  });

  it('cues the break slate for the room, previews it on the real overlay page, then takes it to air', async () => {
    const { page } = c;
    await page.getByRole('link', { name: '← Засідання' }).click();
    await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
    const onAir = page.getByRole('complementary', { name: 'Ефір' });
    await onAir.getByText('в ефірі: Авто').waitFor();
    await onAir.getByText('нічого не підготовлено').waitFor();
    await onAir.getByText('Перерва й налаштування').click();
    await onAir.getByLabel('Текст перерви').fill('Перерва на обід');
    await onAir.getByLabel('Перерва до').fill('23:59');
    await onAir.getByRole('button', { name: 'Підготувати перерву' }).click();
    await onAir.getByText('наступна: Перерва').waitFor();
    await expect(onAir.getByRole('button', { name: 'Перерва', exact: true }).getAttribute('aria-pressed')).resolves.toBe('true');
    // The preview monitor is the overlay page itself, showing the cue; nothing is on air yet.
    await page.frameLocator('iframe[title="Наступна ефірна графіка"]').getByText('Перерва на обід').waitFor();
    expect(t.server.record.onAir('plenary')).toMatchObject({ scene: 'auto', preview: { scene: 'break', breakText: 'Перерва на обід' } });
    await onAir.getByRole('button', { name: 'В ефір (Take)' }).click();
    await onAir.getByText('в ефірі: Перерва').waitFor();
    const state = t.server.record.onAir('plenary');
    expect(state).toMatchObject({ scene: 'break', breakText: 'Перерва на обід' });
    expect(new Date(state.breakUntil!).toLocaleTimeString('uk-UA', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit' })).toBe('23:59');
    await page.frameLocator('iframe[title="Ефірна графіка зараз"]').getByText('Перерва на обід').waitFor();
    await onAir.getByRole('button', { name: 'В ефір (Take)' }).click();
    await onAir.getByText('в ефірі: Авто').waitFor();
    expect(t.server.record.onAir('plenary').scene).toBe('auto');
  });

  it('lets an admin manage clerk accounts and API tokens', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Адміністрування' }).click();
    const users = page.getByRole('region', { name: 'Облікові записи' });
    await users.getByLabel('Ім’я користувача').fill('clerk1');
    await users.getByLabel('Пароль').fill('clerk-password-1');
    await users.getByRole('button', { name: 'Створити' }).click();
    await users.getByText('Обліковий запис «clerk1» створено.').waitFor();

    const tokens = page.getByRole('region', { name: 'API-токени' });
    await tokens.getByLabel('Назва').fill('Електронна система голосування');
    await tokens.getByRole('button', { name: 'Створити' }).click();
    const token = await tokens.getByRole('textbox', { name: 'Токен' }).inputValue();
    const viaToken = await fetch(`${t.url}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } }),
    });
    expect(viaToken.status).toBe(200);
    await confirmed(page, 'Відкликати Електронна система голосування', 'Відкликати');
    await tokens.getByText(/^Відкликано /).waitFor();
    const revoked = await fetch(`${t.url}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } }),
    });
    expect(revoked.status).toBe(401);

    // The new clerk logs in and sees no administration.
    await page.getByRole('button', { name: 'Вийти' }).click();
    await logIn(page, 'clerk1', 'clerk-password-1');
    await expect(page.getByRole('link', { name: 'Адміністрування' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).waitFor();
  });

  it('asks for the password over the screen when the server ends the session, then sends the refused command', async () => {
    const { page, context } = c;
    await page.getByRole('link', { name: 'Засідання бюджетної комісії' }).click();
    const member = page.getByRole('button', { name: /^Гуменюк Микола Вікторович / });
    await member.waitFor();
    // Logged out elsewhere (the same session ended by its cookie).
    const session = (await context.cookies()).find((k) => k.name === 'radacast_session')!;
    await fetch(`${t.url}/api/session`, { method: 'DELETE', headers: { cookie: `${session.name}=${session.value}`, 'x-requested-with': 'test' } });
    await member.click();
    const dialog = page.getByRole('dialog', { name: 'Сеанс завершився' });
    await dialog.getByText('Сервер більше не приймає вхід «clerk1».', { exact: false }).waitFor();
    expect((await t.sitting('budget-committee-2026-12-15')).attendance.present).toEqual([]);
    await dialog.getByLabel('Пароль').fill('clerk-password-1');
    await dialog.getByRole('button', { name: 'Продовжити' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await settled(page);
    // The click made before the login is applied once, and the clerk is still on the same sitting.
    expect((await t.sitting('budget-committee-2026-12-15')).attendance.present).toHaveLength(1);
    await member.waitFor();
    expect(c.errors).toEqual([]);
  });
});
