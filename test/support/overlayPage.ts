// The on-air overlay in Debian's Chromium as OBS would load it (transparent page background),
// and the demo sitting driven to each scene. Shared by the overlay tests, the latency bench and
// the docs screenshot script.
import type { Browser, Page } from 'playwright-core';
import type { CommandInput } from '../../protocol/commands.ts';
import type { FrameScene } from '../../protocol/onAirScene.ts';
import { launchChromium } from './browser.ts';
import { DEMO_SITTING, DEPUTIES } from './demoSitting.ts';
import type { TestServer } from './testServer.ts';

/**
 * OBS renders browser sources on a transparent canvas. The flag asks Chromium for the same;
 * its new headless mode ignores it for screenshots, so those also drop the default background.
 */
export function launchOverlayBrowser(): Promise<Browser> {
  return launchChromium(['--default-background-color=00000000']);
}

export interface OverlayViewport {
  width: number;
  height: number;
}
export const FULL_HD: OverlayViewport = { width: 1920, height: 1080 };
export const HD: OverlayViewport = { width: 1280, height: 720 };

/** Opens `/overlay/?…` and waits until the stage is mounted (fonts loaded) and connected. */
export async function openOverlay(browser: Browser, url: string, query: string, viewport: OverlayViewport = FULL_HD): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.goto(`${url}/overlay/?${query}`);
  await page.waitForSelector('.stage[data-connected="true"]', { state: 'attached' });
  return page;
}

/** Waits until every running animation (Svelte transitions run as Web Animations) has finished. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState === 'finished' || a.playState === 'idle'), null, {
    polling: 'raf',
  });
}

/** Waits until the stage shows `scene` (alone, the previous graphic gone) and stands still. */
export async function showing(page: Page, scene: FrameScene): Promise<void> {
  await page.waitForSelector(`.stage[data-scene="${scene}"]`, { state: 'attached' });
  if (scene !== 'none') await page.waitForSelector(`[data-scene-view="${scene}"]`);
  await settled(page);
}

export async function run(t: Pick<TestServer, 'command'>, commands: CommandInput[]): Promise<void> {
  for (const c of commands) {
    const { status, answer } = await t.command(c);
    if (!answer.ok) throw new Error(`command refused [type:${c.type}, status:${status}, code:${answer.error.code}]`);
  }
}

// ---- the demo plenary sitting, step by step ----

export const PRESENT = ['mayor', ...DEPUTIES.slice(0, 33)];
export const sittingOpen = (): CommandInput => ({ type: 'sitting.open', sittingId: DEMO_SITTING });
export const registerPresent = (memberIds: string[] = PRESENT): CommandInput => ({
  type: 'attendance.set',
  sittingId: DEMO_SITTING,
  memberIds,
  present: true,
});
export const itemStart = (itemId: string): CommandInput => ({ type: 'item.start', sittingId: DEMO_SITTING, itemId });
export const voteOpen = (voteId: string, itemId: string, subject: string, extra: Partial<Extract<CommandInput, { type: 'vote.open' }>> = {}): CommandInput => ({
  type: 'vote.open',
  sittingId: DEMO_SITTING,
  voteId,
  itemId,
  subject,
  ...extra,
});
export const voteCast = (voteId: string, memberId: string, choice: 'for' | 'against' | 'abstain' | 'not-voting'): CommandInput => ({
  type: 'vote.cast',
  sittingId: DEMO_SITTING,
  voteId,
  memberId,
  choice,
});
/** Casts for the first `f` members of `PRESENT`, against for the next `a`, abstain for the next `ab`. */
export function voteCasts(voteId: string, f: number, a: number, ab: number): CommandInput[] {
  return PRESENT.slice(0, f + a + ab).map((id, i) => voteCast(voteId, id, i < f ? 'for' : i < f + a ? 'against' : 'abstain'));
}
export const voteClose = (voteId: string): CommandInput => ({ type: 'vote.close', sittingId: DEMO_SITTING, voteId });
export const onAir = (scene: string, extra: Record<string, unknown> = {}): CommandInput =>
  ({ type: 'overlay.scene', room: 'plenary', scene, ...extra }) as CommandInput;
