// A resident watching /live/plenary in Chromium while ffmpeg pushes the hall's picture: the
// page plays with the live badge and latency; a choice cast through the API appears at once
// in real-time mode, and in the default in-step mode only once the video's playhead
// (program date-time) has passed the moment it was cast; the result is announced to screen
// readers; "back to live" after falling behind; a room without a picture yet, a break, a
// dropped encoder and a wrong address each get a clear state, and the player recovers by itself.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../media/support.ts';
import { run, PRESENT } from '../support/overlayPage.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchSiteBrowser, openPage, panelTime, playing, shownCount, shownLatency } from './sitePages.ts';

describe('the live page', () => {
  let t: TestServer;
  let encoder: Encoder;
  let browser: Browser;
  let inStep: Page;
  let realTime: Page;

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await run(t, liveVoteCommands({ present: PRESENT, voteId: 'v1' }));
    encoder = await goLive(t, 'plenary', 180);
    browser = await launchSiteBrowser();
    [inStep, realTime] = await Promise.all([openPage(browser, `${t.url}/live/plenary`), openPage(browser, `${t.url}/live/plenary`)]);
    await realTime.getByRole('button', { name: 'У реальному часі' }).click();
    await Promise.all([playing(inStep, 'live'), playing(realTime, 'live')]);
  });

  afterAll(async () => {
    await browser?.close();
    await encoder?.kill();
    await t?.close();
  });

  it('plays live with the live badge and the latency, the panel following the playhead by default', async () => {
    await inStep.waitForSelector('[data-sync="in-step"] time');
    const state = await inStep.evaluate(() => ({
      badge: document.querySelector('.player .live-badge')?.textContent?.trim(),
      latency: document.querySelector('.player .latency')?.textContent?.trim(),
      pressed: document.querySelector('button[aria-pressed="true"]')?.textContent?.trim(),
    }));
    expect(state).toMatchObject({ badge: 'Наживо', pressed: 'Синхронно з відео' });
    expect(state.latency).toMatch(/^Затримка \d+(,\d)? с від залу$/);
    // The panel's moment is the video's: seconds behind the wall clock, not minutes.
    const behind = Date.now() - (await panelTime(inStep))!;
    expect(behind).toBeGreaterThan(0);
    expect(behind).toBeLessThan(15_000);
    expect(await realTime.getAttribute('[data-sync]', 'data-sync')).toBe('real-time');
  });

  it('shows a cast vote at once in real time, and in step only once the playhead passes its moment', async () => {
    expect(await shownCount(realTime, 'for')).toBe('0');
    expect(await shownCount(inStep, 'for')).toBe('0');

    const sent = Date.now();
    const { answer } = await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'for' });
    if (!answer.ok) throw new Error(answer.error.code);
    const castAt = Date.parse(answer.events[0]!.at);

    // The in-step page has the update, but the video has not reached its moment yet (with
    // low-latency HLS about a second): the panel still shows the state before it. Read at once.
    await inStep.waitForFunction(() => /Оновлень попереду: \d+/.test(document.querySelector('[data-sync="in-step"]')?.textContent ?? ''), undefined, { timeout: 5000 });
    const early = await inStep.evaluate(() => ({
      count: document.querySelector('.vote [data-count="for"] dd')?.textContent?.trim(),
      at: Date.parse(document.querySelector('[data-sync="in-step"] time')!.getAttribute('datetime')!),
      ahead: document.querySelector('[data-sync="in-step"]')!.textContent,
    }));
    expect(early.ahead).toMatch(/Оновлень попереду: \d+/);
    expect(early.count).toBe('0');
    expect(early.at).toBeLessThan(castAt);

    await realTime.waitForFunction(() => document.querySelector('.vote [data-count="for"] dd')?.textContent?.trim() === '1', undefined, { timeout: 5000 });
    const realTimeMs = Date.now() - sent;
    expect(realTimeMs).toBeLessThan(1500);

    await inStep.waitForFunction(() => document.querySelector('.vote [data-count="for"] dd')?.textContent?.trim() === '1', undefined, { timeout: 20_000 });
    const inStepMs = Date.now() - sent;
    // Shown in the same render as the playhead that reached the moment — never before it.
    expect(await panelTime(inStep)).toBeGreaterThanOrEqual(castAt);
    expect(inStepMs).toBeGreaterThan(realTimeMs + 500);
    // The member's row in the per-member list says it in words.
    expect(await inStep.textContent('[data-member="d01"] .choice')).toBe('За');
  });

  it('announces the result to screen readers, in step with the video on the in-step page', async () => {
    await run(t, [
      // d02…d25, with d01 before: 25 for, 22 needed.
      ...PRESENT.slice(2, 26).map((memberId) => ({ type: 'vote.cast' as const, sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice: 'for' as const })),
      { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
    ]);
    const announced = (page: Page) => page.evaluate(() => document.querySelector('[data-announcer]')!.textContent ?? '');
    await realTime.waitForFunction(() => document.querySelector('[data-announcer]')!.textContent.includes('рішення прийнято'), undefined, { timeout: 5000 });
    // The vote by its published title: the item's, then the formula the clerk gave.
    expect(await announced(realTime)).toMatch(
      /^Голосування «Про затвердження порядку денного пленарного засідання — Про бюджет міста на 2027 рік»: рішення прийнято\. За 25, /,
    );
    expect(await announced(inStep)).not.toContain('рішення прийнято');
    await inStep.waitForFunction(() => document.querySelector('[data-announcer]')!.textContent.includes('рішення прийнято'), undefined, { timeout: 20_000 });
    expect(await inStep.textContent('.vote .result')).toBe('Рішення прийнято');
  });

  it('offers "back to live" once the resident falls behind, and brings them back to the edge', async () => {
    await realTime.evaluate(() => document.querySelector('video')!.pause());
    await realTime.getByRole('button', { name: 'До прямого ефіру' }).waitFor({ timeout: 5000 });
    // Paused for a while: the picture is well behind the hall.
    await realTime.waitForFunction(() => Number(/\d+/.exec(document.querySelector('.player .latency')?.textContent ?? '')?.[0]) >= 8, undefined, { timeout: 15_000 });
    await realTime.getByRole('button', { name: 'До прямого ефіру' }).click();
    await realTime.waitForSelector('.player .live-badge', { timeout: 10_000 });
    await realTime.waitForFunction(() => Number(/\d+/.exec(document.querySelector('.player .latency')?.textContent ?? '')?.[0]) <= 6, undefined, { timeout: 10_000 });
    expect(await realTime.evaluate(() => document.querySelector('video')!.paused)).toBe(false);
  });

  it('waits for a picture that is not there yet (the playlist answers 404) and plays as soon as the encoder starts', async () => {
    await run(t, [
      {
        type: 'sitting.create',
        sitting: { id: 'budget-1', bodyId: 'budget-committee', title: 'Засідання комісії з питань бюджету', room: 'committee-room', scheduledAt: '2030-12-08T14:00:00+02:00' },
      },
      { type: 'sitting.open', sittingId: 'budget-1' },
    ]);
    const page = await openPage(browser, `${t.url}/live/committee-room`);
    await page.waitForSelector('.player[data-stage="waiting"][data-video="unavailable"]', { timeout: 10_000 });
    const committee = await goLive(t, 'committee-room', 60, 2);
    try {
      await playing(page, 'live', 30_000);
    } finally {
      await committee.kill();
      await page.close();
    }
  });

  it('says clearly when a room or a sitting does not exist', async () => {
    const room = await openPage(browser, `${t.url}/live/no-such-room`);
    await room.waitForSelector('[role="alert"]');
    expect(await room.textContent('h1')).toBe('Сторінку не знайдено.');
    expect(await room.textContent('[role="alert"]')).toContain('no-such-room');
    const sitting = await openPage(browser, `${t.url}/sittings/no-such-sitting`);
    await sitting.waitForSelector('[role="alert"]');
    expect(await sitting.textContent('[role="alert"]')).toContain('no-such-sitting');
    await Promise.all([room.close(), sitting.close()]);
  });

  it('says so when the clerk puts a break on air', async () => {
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    await run(t, [{ type: 'overlay.scene', room: 'plenary', scene: 'break', breakText: 'Перерва на 15 хвилин', breakUntil: until }]);
    await realTime.waitForSelector('.player[data-stage="break"] [role="status"]:has-text("Перерва на 15 хвилин")', { timeout: 5000 });
    await inStep.waitForSelector('.player[data-stage="break"]', { timeout: 20_000 });
    await run(t, [{ type: 'overlay.scene', room: 'plenary', scene: 'auto' }]);
    await realTime.waitForSelector('.player[data-stage="live"]', { timeout: 5000 });
  });

  it('recovers by itself when the encoder drops and comes back: waiting, then live again without a reload', async () => {
    await encoder.kill();
    const droppedAt = Date.now();
    // Slate and text in one look: the player may flick back to "live" for a moment when the last
    // data of the dropped run arrives late, and a second read would then wait for a slate again.
    await realTime.waitForSelector('.player[data-stage="waiting"] .slate:has-text("Очікуємо на відео")', { timeout: 30_000 });
    encoder = await goLive(t, 'plenary', 120, 1);
    // The old window stays listed for a while after a drop, so a retry of the player may show its
    // last frames as live for a moment: "live again" is the new picture playing, its moment in
    // the hall (now minus the latency shown) after the drop.
    await expect
      .poll(
        async () => {
          await playing(realTime, 'live', 40_000);
          const latency = await shownLatency(realTime);
          return latency !== null && Date.now() - latency * 1000 > droppedAt;
        },
        { timeout: 50_000, interval: 500 },
      )
      .toBe(true);
  });
});
