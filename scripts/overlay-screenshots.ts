// Screenshots of every overlay scene for docs/broadcasters.md: builds the pages, starts a demo
// server, drives the demo sitting through the scenes and saves docs/overlay-<scene>.png
// (1280×720, over a plain grey that stands in for the programme picture).
// Run: npx tsx scripts/overlay-screenshots.ts
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { CommandInput } from '../protocol/commands.ts';
import type { FrameScene } from '../protocol/onAirScene.ts';
import {
  HD,
  itemStart,
  launchOverlayBrowser,
  onAir,
  openOverlay,
  registerPresent,
  run,
  showing,
  sittingOpen,
  voteCasts,
  voteClose,
  voteOpen,
} from '../test/support/overlayPage.ts';
import { startTestServer } from '../test/support/testServer.ts';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const SHOTS: { file: string; scene: FrameScene; commands: CommandInput[] }[] = [
  { file: 'overlay-agenda.png', scene: 'agenda', commands: [sittingOpen(), registerPresent(), itemStart('i2')] },
  {
    file: 'overlay-vote.png',
    scene: 'vote',
    commands: [voteOpen('v1', 'i2', 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки'), ...voteCasts('v1', 19, 4, 2)],
  },
  { file: 'overlay-result.png', scene: 'result', commands: [...voteCasts('v1', 26, 4, 2), voteClose('v1')] },
  { file: 'overlay-attendance.png', scene: 'attendance', commands: [onAir('attendance')] },
  { file: 'overlay-roll.png', scene: 'roll', commands: [onAir('roll')] },
  {
    file: 'overlay-secret.png',
    scene: 'vote',
    commands: [onAir('auto'), voteOpen('s1', 'i2', 'Обрання секретаря ради', { ballot: 'secret' })],
  },
  {
    file: 'overlay-break.png',
    scene: 'break',
    commands: [onAir('break', { breakText: 'Перерва', breakUntil: new Date(Date.now() + 20 * 60_000).toISOString() })],
  },
];

await build({ logLevel: 'warn' });
const t = await startTestServer({ demo: true });
const browser = await launchOverlayBrowser();
try {
  const page = await openOverlay(browser, t.url, 'room=plenary&bg=3b4252&tz=Europe/Kyiv', HD);
  for (const shot of SHOTS) {
    await run(t, shot.commands);
    await showing(page, shot.scene);
    await page.screenshot({ path: docs(shot.file) });
    console.log(`docs/${shot.file}`);
  }
} finally {
  await browser.close();
  await t.close();
}
