// Screenshots of the residents' pages for the README: builds the pages, starts a demo server
// with its synthetic camera, takes the demo sitting through two votes (a committee sitting
// before it, one after), and saves docs/site-<page>[-phone].png at 1366×768 and 360×740.
// Run: npx tsx scripts/site-screenshots.ts
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { CommandInput } from '../protocol/commands.ts';
import { loadConfig } from '../server/config.ts';
import { nextEvent, segmentsAdded } from '../test/media/support.ts';
import { DEMO_SITTING } from '../test/support/demoSitting.ts';
import { PRESENT, run, voteCasts, voteClose, voteOpen } from '../test/support/overlayPage.ts';
import { startTestServer } from '../test/support/testServer.ts';
import { DESKTOP, PHONE, launchSiteBrowser, openPage, playing } from '../test/site/sitePages.ts';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const committee = (id: string, day: string): CommandInput => ({
  type: 'sitting.create',
  sitting: {
    id,
    bodyId: 'budget-committee',
    title: 'Засідання постійної комісії з питань бюджету, фінансів та економічного розвитку',
    room: 'committee-room',
    scheduledAt: `${day}T14:00:00+02:00`,
    agenda: [{ id: 'c1', number: 1, title: 'Про проєкт бюджету громади на наступний рік' }],
  },
});
const COMMITTEE = ['d36', 'd02', 'd23', 'd14', 'd37', 'd28', 'd39'];
const PAST = 'budget-past';

await build({ logLevel: 'warn' });
const t = await startTestServer({ demo: true, media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [], demoCamera: true } });
const media = t.server.media;
const browser = await launchSiteBrowser();

async function shoot(path: string, file: string, ready: (page: Page) => Promise<void>): Promise<void> {
  for (const [viewport, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
    const page = await openPage(browser, `${t.url}${path}`, { viewport });
    await ready(page);
    await page.screenshot({ path: docs(`${file}${suffix}.png`) });
    console.log(`docs/${file}${suffix}.png`);
    await page.close();
  }
}

/** The in-step panel has caught up with the video (nothing waiting). */
const caughtUp = async (page: Page) => {
  await playing(page, 'live');
  await page.waitForFunction(() => !document.querySelector('[data-sync]')?.textContent?.includes('Оновлень попереду'), undefined, { timeout: 30_000 });
};

try {
  await run(t, [
    committee(PAST, '2026-11-20'),
    { type: 'sitting.open', sittingId: PAST },
    { type: 'attendance.set', sittingId: PAST, memberIds: COMMITTEE.slice(0, 6), present: true },
    { type: 'item.start', sittingId: PAST, itemId: 'c1' },
    { type: 'vote.open', sittingId: PAST, voteId: 'c1-v', itemId: 'c1', subject: 'Рекомендувати проєкт бюджету до розгляду на сесії' },
    ...COMMITTEE.slice(0, 5).map((memberId): CommandInput => ({ type: 'vote.cast', sittingId: PAST, voteId: 'c1-v', memberId, choice: 'for' })),
    { type: 'vote.close', sittingId: PAST, voteId: 'c1-v' },
    { type: 'sitting.close', sittingId: PAST },
    committee('budget-next', '2030-12-15'),
  ]);
  await segmentsAdded(media, 'plenary', 2);
  await run(t, [{ type: 'sitting.open', sittingId: DEMO_SITTING }, { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: PRESENT, present: true }]);
  await run(t, [{ type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i1' }]);
  await segmentsAdded(media, 'plenary', 3);
  await run(t, [voteOpen('v1', 'i1', 'Про затвердження порядку денного пленарного засідання'), ...voteCasts('v1', 30, 1, 2), voteClose('v1')]);
  await run(t, [{ type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i2' }]);
  await segmentsAdded(media, 'plenary', 4);
  await run(t, [
    voteOpen('v2', 'i2', 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки'),
    ...voteCasts('v2', 19, 4, 2),
  ]);
  await shoot('/live/plenary', 'site-live', caughtUp);
  await shoot('/', 'site-home', (p) => p.waitForSelector('.cards li').then(() => undefined));

  await run(t, [...voteCasts('v2', 26, 4, 2), voteClose('v2')]);
  await segmentsAdded(media, 'plenary', 3);
  const complete = nextEvent<[string]>(media, 'recording', (id) => id === DEMO_SITTING, 60_000);
  await run(t, [{ type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i3' }, { type: 'sitting.close', sittingId: DEMO_SITTING }]);
  await complete;
  const v2 = (await t.sitting(DEMO_SITTING)).recording!.marks.find((m) => m.kind === 'vote-opened' && m.id === 'v2')!;
  await shoot(`/sittings/${DEMO_SITTING}?t=${Math.floor(v2.offset)}`, 'site-sitting', (p) => playing(p, 'ended'));
} finally {
  await browser.close();
  await t.close();
}
