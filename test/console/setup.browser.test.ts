// A fresh install set up entirely in the console, as an admin would: the council (factions,
// seats, head, convocation and open-data codes), a committee of its deputies, a room with its
// stream (addresses, key copied and rotated), then a sitting created and opened with them.
// A deputy who leaves afterwards stays in that sitting and is out of the next one.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import type { BodyView } from '../../protocol/views.ts';
import { launchChromium } from '../support/browser.ts';
import { goLive } from '../support/liveStream.ts';
import { seriousViolations } from '../site/sitePages.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { confirmed, consolePage, logEvents, logIn, type ConsolePage } from './consolePage.ts';

let t: TestServer;
let browser: Browser;
let c: ConsolePage;

const COUNCIL = 'Тестова міська рада';
const COMMITTEE = 'Постійна комісія з питань бюджету';
const MEMBERS = ['Головченко Михайло Петрович', 'Тимошенко Віктор Романович', 'Коваль Олена Іванівна', 'Шевчук Андрій Олегович'];

beforeAll(async () => {
  t = await startTestServer();
  browser = await launchChromium();
  c = await consolePage(browser, t.url);
  await c.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  await logIn(c.page);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const body = async (id: string): Promise<BodyView> => (await (await fetch(`${t.url}/api/bodies/${id}`)).json()) as BodyView;

async function ingest(room: string): Promise<IngestInfo> {
  const res = await fetch(`${t.url}/api/rooms/${room}/ingest`, { headers: { cookie: await t.login() } });
  return (await res.json()) as IngestInfo;
}

describe('set-up of a fresh install in the console', () => {
  it('says a sitting needs a body and a room, and where they are made', async () => {
    const { page } = c;
    await page.getByText('Щоб створити засідання, потрібні орган і зала.').waitFor();
    await page.getByRole('region', { name: 'Нове засідання' }).getByRole('link', { name: 'Налаштування' }).click();
    await page.getByText('Органів ще немає.', { exact: false }).waitFor();
    await page.getByText('Зал ще немає', { exact: false }).waitFor();
  });

  it('creates the council with its factions, roster, head and open-data codes, refusing a bad code first', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Новий орган' }).click();
    // The form opens with the focus on its first field.
    await expect(page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim().startsWith('Вид органу'))).resolves.toBe(true);
    await page.getByLabel('Назва органу').fill(COUNCIL);
    const seats = page.getByLabel('Кількість місць за статутом');
    await seats.fill('0');
    await seats.press('End');
    await seats.pressSequentially('3');
    // No leading zero stays on screen.
    await expect(seats.inputValue()).resolves.toBe('3');
    await page.getByLabel('Скликання (наприклад, VIII)').fill('IX');
    await page.getByLabel('Код ЄДРПОУ (8 цифр)').fill('123');
    await page.getByLabel('Код КАТОТТГ (UA і 17 цифр)').fill('UA18040470000000001');
    await page.getByRole('button', { name: 'Додати фракцію' }).click();
    await page.getByLabel('Назва фракції 1').fill('Рідне місто');
    for (const [i, name] of MEMBERS.entries()) {
      await page.getByRole('button', { name: 'Додати члена' }).click();
      await page.getByLabel(`ПІБ члена ${i + 1}`).fill(name);
    }
    await page.getByLabel('Фракція члена 2').selectOption({ label: 'Рідне місто' });
    await page.getByLabel('Голова органу').selectOption({ label: MEMBERS[0]! });

    await page.getByRole('button', { name: 'Зберегти орган' }).click();
    await page.getByRole('alert').filter({ hasText: 'код ЄДРПОУ — 8 цифр' }).waitFor();
    expect((await fetch(`${t.url}/api/bodies`).then((r) => r.json())).bodies).toEqual([]);

    await page.getByLabel('Код ЄДРПОУ (8 цифр)').fill('04053625');
    await page.getByRole('button', { name: 'Зберегти орган' }).click();
    await page.getByRole('status').filter({ hasText: `Орган «${COUNCIL}» збережено.` }).waitFor();
    const council = await body('council');
    expect(council).toMatchObject({
      kind: 'council',
      name: COUNCIL,
      seats: 3,
      head: 'd01',
      convocation: 'IX',
      authorityId: '04053625',
      katottg: 'UA18040470000000001',
      factions: [{ id: 'f-1', name: 'Рідне місто' }],
    });
    expect(council.members.map((m) => [m.id, m.name, m.faction, m.role])).toEqual([
      ['d01', MEMBERS[0], null, 'head'],
      ['d02', MEMBERS[1], 'f-1', 'deputy'],
      ['d03', MEMBERS[2], null, 'deputy'],
      ['d04', MEMBERS[3], null, 'deputy'],
    ]);
    // Every field of the editor is labelled, for a screen reader as for the tests.
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a committee of council deputies', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'До налаштувань' }).click();
    await page.getByRole('link', { name: 'Новий орган' }).click();
    await page.getByLabel('Вид органу').selectOption({ label: 'Постійна комісія' });
    await page.getByLabel('Назва органу').fill(COMMITTEE);
    await page.getByLabel('Кількість місць за статутом').fill('2');
    await page.getByLabel('Додати депутата ради').selectOption({ label: MEMBERS[1]! });
    await page.getByLabel('Додати депутата ради').selectOption({ label: MEMBERS[2]! });
    await page.getByLabel('Роль члена 2').selectOption({ label: 'Секретар' });
    await page.getByLabel('Голова органу').selectOption({ label: MEMBERS[1]! });
    await page.getByRole('button', { name: 'Зберегти орган' }).click();
    await page.getByRole('status').filter({ hasText: `Орган «${COMMITTEE}» збережено.` }).waitFor();
    const committee = await body('committee-1');
    expect(committee).toMatchObject({ kind: 'committee', seats: 2, head: 'd02', factions: [] });
    expect(committee.members.map((m) => [m.id, m.name, m.faction, m.role])).toEqual([
      ['d02', MEMBERS[1], 'f-1', 'head'],
      ['d03', MEMBERS[2], null, 'secretary'],
    ]);
  });

  it('creates a room and sets up its stream: addresses to copy, the key rotated after a confirmation', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'До налаштувань' }).click();
    await page.getByLabel('Назва зали', { exact: true }).fill('Сесійна зала');
    await page.getByLabel('Ідентифікатор зали (латиницею)').fill('plenary');
    await page.getByRole('button', { name: 'Створити залу' }).click();
    await page.getByRole('status').filter({ hasText: 'Залу «Сесійна зала» збережено.' }).waitFor();
    expect((await fetch(`${t.url}/api/rooms`).then((r) => r.json())).rooms).toEqual([{ id: 'plenary', name: 'Сесійна зала' }]);

    const stream = page.getByRole('region', { name: 'Трансляція: Сесійна зала' });
    await stream.getByText('Камера: немає сигналу').waitFor();
    const before = await ingest('plenary');
    await expect(stream.getByLabel('RTMP-сервер').inputValue()).resolves.toBe(before.rtmp.server);
    // The key is hidden until asked, and copied as it is.
    await expect(stream.getByLabel('Ключ потоку').getAttribute('type')).resolves.toBe('password');
    await stream.getByRole('button', { name: 'Копіювати Ключ потоку' }).click();
    await stream.getByText('Скопійовано.').first().waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(before.rtmp.key);

    await confirmed(page, 'Змінити ключ потоку Сесійна зала', 'Змінити ключ');
    await stream.getByText('Ключ змінено.', { exact: false }).waitFor();
    const after = await ingest('plenary');
    expect(after.rtmp.key).not.toBe(before.rtmp.key);
    await expect(stream.getByLabel('Ключ потоку').inputValue()).resolves.toBe(after.rtmp.key);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a sitting of the new council in the new room, with its session, and opens it', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Засідання', exact: true }).click();
    const form = page.getByRole('region', { name: 'Нове засідання' });
    await form.getByLabel('Орган').selectOption({ label: COUNCIL });
    await form.getByLabel('Назва засідання').fill('Пленарне засідання 1 сесії');
    await form.getByLabel('Сесія (наприклад, 45 сесія)').fill('1 сесія');
    await form.getByLabel('Зала').selectOption({ label: 'Сесійна зала' });
    await form.getByLabel('Дата і час початку').fill('2026-12-20T10:00');
    await form.getByRole('button', { name: 'Створити засідання' }).click();
    await page.getByRole('heading', { name: 'Пленарне засідання 1 сесії' }).waitFor();
    const id = 'council-2026-12-20';
    const [created] = await logEvents(t, id, 'sitting.created');
    expect(created?.event).toMatchObject({ sitting: { bodyId: 'council', room: 'plenary', session: '1 сесія' } });
    // The sitting screen shows the room's camera.
    await page.getByText('Камера: немає сигналу').waitFor();

    await confirmed(page, 'Відкрити засідання');
    await page.getByRole('button', { name: 'Закрити засідання' }).waitFor();
    const view = await t.sitting(id);
    expect(view).toMatchObject({ status: 'live', body: { name: COUNCIL, seats: 3, head: 'd01' } });
    expect(view.roster.map((m) => m.name)).toEqual(MEMBERS);
  });

  it('lets a deputy leave: kept in the sitting held, out of the next one', async () => {
    const { page } = c;
    await page.getByRole('link', { name: 'Налаштування' }).click();
    await page.getByRole('link', { name: `Редагувати ${COUNCIL}` }).click();
    await page.getByRole('button', { name: `Вибув ${MEMBERS[3]}` }).click();
    await page.getByRole('button', { name: 'Зберегти орган' }).click();
    await page.getByRole('status').filter({ hasText: `Орган «${COUNCIL}» збережено.` }).waitFor();
    const council = await body('council');
    expect(council.members.find((m) => m.id === 'd04')?.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await t.sitting('council-2026-12-20')).roster.map((m) => m.id)).toEqual(['d01', 'd02', 'd03', 'd04']);

    const next = await t.command({
      type: 'sitting.create',
      sitting: { id: 's2', bodyId: 'council', title: 'Пленарне засідання 2 сесії', room: 'plenary', scheduledAt: '2027-01-20T10:00:00+02:00' },
    });
    expect(next.answer.ok).toBe(true);
    expect((await t.sitting('s2')).roster.map((m) => m.id)).toEqual(['d01', 'd02', 'd03']);
    expect(c.errors).toEqual([]);
  });

  it('shows on the sitting screen when the room’s camera goes live, with its bitrate, and when it stops', async () => {
    const { page } = c;
    await page.goto(`${t.url}/console/sittings/council-2026-12-20`);
    const camera = page.getByText(/^Камера:/);
    await expect(camera.innerText()).resolves.toBe('Камера: немає сигналу');
    const encoder = await goLive(t, 'plenary', 30);
    try {
      await page.getByText('Камера: в ефірі').waitFor();
      await page.getByText(/RTMP · h264 \d+×\d+ · \d+ кбіт\/с/i).waitFor();
    } finally {
      await encoder.kill();
    }
    await page.getByText('Камера: немає сигналу').waitFor();
    expect(c.errors).toEqual([]);
  });
});
