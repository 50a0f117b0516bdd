// Screenshots of the clerk console's main screens for the README: builds the pages, starts a
// demo server, takes the demo sitting to a vote and saves docs/console-<screen>.png at the
// laptop size the console is built for (1366×768), plus the vote on a 10" tablet (1280×800).
// Run: npx tsx scripts/console-screenshots.ts
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { CommandInput } from '../protocol/commands.ts';
import { launchChromium } from '../test/support/browser.ts';
import { DEMO_SITTING, DEPUTIES } from '../test/support/demoSitting.ts';
import { startTestServer, type TestServer } from '../test/support/testServer.ts';
import { consolePage, logIn } from '../test/console/consolePage.ts';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

async function run(t: TestServer, commands: CommandInput[]): Promise<void> {
  for (const command of commands) {
    const { answer } = await t.command(command);
    if (!answer.ok) throw new Error(`${command.type} refused [${answer.error.code}]`);
  }
}

const cast = (memberId: string, choice: 'for' | 'against' | 'abstain'): CommandInput => ({
  type: 'vote.cast',
  sittingId: DEMO_SITTING,
  voteId: 'v1',
  memberId,
  choice,
});

await build({ logLevel: 'warn' });
const t = await startTestServer({ demo: true });
const browser = await launchChromium();
try {
  const { page } = await consolePage(browser, t.url);
  await logIn(page);
  await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).waitFor();
  await page.screenshot({ path: docs('console-sittings.png') });

  await run(t, [
    { type: 'sitting.open', sittingId: DEMO_SITTING },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: ['mayor', ...DEPUTIES.slice(0, 34)], present: true },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i2' },
  ]);
  await page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
  await page.getByText('Зареєстровано: 35 з 43').waitFor();
  await page.screenshot({ path: docs('console-attendance.png') });

  await run(t, [
    {
      type: 'vote.open',
      sittingId: DEMO_SITTING,
      voteId: 'v1',
      itemId: 'i2',
      subject: 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки',
    },
    ...DEPUTIES.slice(0, 12).map((id, i) => cast(id, i % 5 === 4 ? 'against' : 'for')),
  ]);
  await page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  for (let i = 0; i < 13; i += 1) await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: docs('console-vote.png') });

  await page.context().setOffline(true);
  await page.getByRole('status').filter({ hasText: 'Немає зв’язку' }).waitFor();
  for (const key of ['1', '1', '3']) await page.keyboard.press(key);
  await page.screenshot({ path: docs('console-offline.png') });
  await page.context().setOffline(false);
  await page.getByRole('status').filter({ hasText: 'На зв’язку' }).filter({ hasNotText: 'У черзі' }).waitFor();

  const tablet = await consolePage(browser, t.url, { width: 1280, height: 800 });
  await logIn(tablet.page);
  await tablet.page.getByRole('link', { name: 'Пленарне засідання 67 сесії VIII скликання' }).click();
  await tablet.page.getByRole('button', { name: 'Закрити голосування' }).waitFor();
  await tablet.page.screenshot({ path: docs('console-tablet.png') });

  for (const file of ['console-sittings.png', 'console-attendance.png', 'console-vote.png', 'console-offline.png', 'console-tablet.png']) {
    console.log(`docs/${file}`);
  }
} finally {
  await browser.close();
  await t.close();
}
