// After the sitting: /sittings/<id> plays the recording with a chapter per agenda item and a
// marker per vote; a vote's link (`?t=`) starts the video within 2 s of that vote's moment —
// clicked on the page and opened on its own — and the per-deputy table and downloads are
// linked. The room's live page says the sitting ended and plays the recording.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import type { VideoRecordingMark } from '../../protocol/views.ts';
import { publicationPaths } from '../../protocol/publicationPaths.ts';
import { nextEvent, segmentsAdded } from '../media/support.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchSiteBrowser, openPage, playing, showing } from './sitePages.ts';

const S = DEMO_SITTING;
const casts = (voteId: string, members: string[], choice: 'for' | 'against'): CommandInput[] =>
  members.map((memberId) => ({ type: 'vote.cast', sittingId: S, voteId, memberId, choice }));

type MediaLog = { type: string; time: number }[];

describe('the recording of a sitting', () => {
  let t: TestServer;
  let browser: Browser;
  let marks: VideoRecordingMark[];

  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await run(t, [{ type: 'sitting.open', sittingId: S }, { type: 'attendance.set', sittingId: S, memberIds: PRESENT, present: true }]);
    const encoder = await goLive(t, 'plenary', 90, 2);
    const media = t.server.media;
    try {
      await run(t, [{ type: 'item.start', sittingId: S, itemId: 'i1' }]);
      await segmentsAdded(media, 'plenary', 3);
      await run(t, [{ type: 'vote.open', sittingId: S, voteId: 'v1', itemId: 'i1', subject: 'Про затвердження порядку денного' }, ...casts('v1', DEPUTIES.slice(0, 30), 'for')]);
      await segmentsAdded(media, 'plenary', 2);
      await run(t, [{ type: 'vote.close', sittingId: S, voteId: 'v1' }, { type: 'item.start', sittingId: S, itemId: 'i2' }]);
      await segmentsAdded(media, 'plenary', 4);
      await run(t, [{ type: 'vote.open', sittingId: S, voteId: 'v2', itemId: 'i2', subject: 'Про внесення змін до програми' }, ...casts('v2', DEPUTIES.slice(0, 12), 'for'), ...casts('v2', DEPUTIES.slice(12, 20), 'against')]);
      await segmentsAdded(media, 'plenary', 3);
      await run(t, [{ type: 'vote.close', sittingId: S, voteId: 'v2' }]);
      await segmentsAdded(media, 'plenary', 3);
      const complete = nextEvent<[string]>(media, 'recording', (id) => id === S);
      await run(t, [{ type: 'sitting.close', sittingId: S }]);
      await complete;
    } finally {
      await encoder.kill();
    }
    const view = await t.sitting(S);
    expect(view.recording?.status).toBe('complete');
    marks = view.recording!.marks;
    browser = await launchSiteBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const opened = (voteId: string) => marks.find((m) => m.kind === 'vote-opened' && m.id === voteId)!.offset;

  it('plays the recording with a chapter per item, a marker per vote, and each vote linked to its moment', async () => {
    const page = await openPage(browser, `${t.url}/sittings/${S}`);
    await showing(page, 'ended');
    // A recording waits for the resident (no sound out of nowhere); the player says what it is.
    expect(await page.evaluate(() => document.querySelector('video')!.paused)).toBe(true);
    expect(await page.textContent('.player .banner')).toContain('Засідання завершено');
    expect(await page.getAttribute('.timeline', 'data-chapters')).toBe('2');
    expect(await page.getAttribute('.timeline', 'data-markers')).toBe('2');
    expect(await page.textContent('.player .bar')).toContain('Запис засідання');
    for (const voteId of ['v1', 'v2']) {
      expect(await page.getAttribute(`li[data-vote="${voteId}"] a.moment`, 'href')).toBe(`/sittings/${S}?t=${Math.floor(opened(voteId))}`);
    }
    // Chapters: the items taken up link to where they start.
    expect(await page.locator('li[data-item] a.moment').count()).toBe(2);
    // The per-deputy table and the downloads of issue 8.
    const paths = publicationPaths(S);
    const hrefs = await page.$$eval('.record a', (links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([paths.page, paths.motionsCsv, paths.motionsXlsx, paths.votingsCsv, paths.votingsXlsx, paths.minutesDocx, paths.votesJson]);
    await page.close();
  });

  it("starts the video within 2 s of a vote's moment when its link is clicked", async () => {
    const page = await openPage(browser, `${t.url}/sittings/${S}`);
    await showing(page, 'ended');
    const moment = opened('v2');
    expect(moment).toBeGreaterThan(8); // far enough from the start that starting at 0 would fail
    await page.click('li[data-vote="v2"] a.moment');
    await page.waitForFunction(() => (window as unknown as { __media: MediaLog }).__media.some((e) => e.type === 'seeked'));
    const seekedAt = await page.evaluate(() => (window as unknown as { __media: MediaLog }).__media.find((e) => e.type === 'seeked')!.time);
    expect(Math.abs(seekedAt - moment)).toBeLessThanOrEqual(2);
    // …and plays on from there.
    await page.waitForFunction((from) => !document.querySelector('video')!.paused && document.querySelector('video')!.currentTime > from + 0.5, seekedAt);
    expect(new URL(page.url()).search).toBe(`?t=${Math.floor(moment)}`);
    // The panel follows the playhead: that vote is the one shown, its item is current.
    await page.waitForSelector('#current-vote .vote[data-vote="v2"]');
    await page.waitForSelector('li[data-item="i2"][aria-current="step"]');
    await page.close();
  });

  it("starts the video within 2 s of a vote's moment when the link is opened on its own", async () => {
    const moment = opened('v1');
    const page = await openPage(browser, `${t.url}/sittings/${S}?t=${Math.floor(moment)}`);
    await playing(page, 'ended');
    const first = await page.evaluate(() => (window as unknown as { __media: MediaLog }).__media.find((e) => e.type === 'playing')!.time);
    expect(Math.abs(first - moment)).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('the live page of the room says the sitting ended and offers the recording', async () => {
    const page = await openPage(browser, `${t.url}/live/plenary`);
    await showing(page, 'ended');
    expect(await page.textContent('.player .banner')).toContain('Доступний запис засідання');
    expect(await page.evaluate(() => document.querySelector('video')!.duration)).toBeGreaterThan(10);
    expect(await page.textContent('h1')).toBe('Пленарне засідання 67 сесії VIII скликання');
    await page.close();
  });
});
