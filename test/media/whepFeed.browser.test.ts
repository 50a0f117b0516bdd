// WHEP preview of a program that arrives over RTMP or SRT, with the real mediasoup worker and Chromium:
// the first viewer starts a feed (an ffmpeg reading the room's program into mediasoup), the viewer
// decodes the video and hears the audio; H.264 with B-frames is re-encoded, without them copied;
// the feed stops after the last viewer leaves and when the program ends, and a new program (the
// encoder reconnecting) is picked up. A room with no program at all stays 409 no-program.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import type { FeedPlan } from '../../server/media/webrtc/ProgramFeed.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { watchWhep, WhepRefused } from '../support/whep.ts';
import { freeUdpPort, nextEvent, pushTestPattern, segmentsAdded, statusWhen, type Encoder } from './support.ts';

const ROOM = 'plenary';

let t: TestServer;
let browser: Browser;
let page: Page;
let staff: Record<string, string>;
let rtmpUrl: string;
let srtUrl: string;

beforeAll(async () => {
  const srtPort = await freeUdpPort();
  t = await startTestServer({
    webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' },
    media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [srtPort] },
  });
  await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Сесійна зала' } });
  const cookie = await t.login();
  staff = { cookie, 'x-requested-with': 'radacast' };
  const res = await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } });
  const ingest = (await res.json()) as IngestInfo;
  rtmpUrl = ingest.rtmp.url;
  srtUrl = ingest.srt?.url ?? '';
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  page = await browser.newPage();
  await page.goto(`${t.url}/healthz`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const feedEvent = (predicate: (plan: FeedPlan | null) => boolean) =>
  nextEvent<[string, FeedPlan | null]>(t.server.webrtc, 'feed', (room, plan) => room === ROOM && predicate(plan), 30_000);

/** Pushes a test pattern; returns once the room is live over `over` and has two of its segments. */
async function encoderLive(bFrames: number, over: 'rtmp' | 'srt' = 'rtmp'): Promise<Encoder> {
  // The previous test's program must be gone, or its last segments would count for this one.
  await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
  const live = statusWhen(t.server.media, ROOM, (s) => s.state === 'live' && s.protocol === over);
  const encoder = over === 'rtmp' ? pushTestPattern(rtmpUrl, 120, 'flv', 1, '640x360', bFrames) : pushTestPattern(srtUrl, 120, 'mpegts', 1, '640x360', bFrames);
  await live;
  await segmentsAdded(t.server.media, ROOM, 2);
  return encoder;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('answers 409 no-program for a room with no program at all, and starts nothing', async () => {
  const refused = await watchWhep(page, t.url, ROOM, staff).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(WhepRefused);
  expect(refused).toMatchObject({ status: 409 });
  expect(String((refused as WhepRefused).body)).toContain('no-program');
  expect(await t.server.webrtc.feedPid(ROOM)).toBeUndefined();
});

it('plays an RTMP program with B-frames (re-encoded), stops the feed after the last viewer leaves', async () => {
  const encoder = await encoderLive(2);
  try {
    const started = feedEvent((plan) => plan !== null);
    const viewer = await watchWhep(page, t.url, ROOM, staff);
    const [, plan] = await started;
    expect(plan?.video?.mode).toBe('encode');
    expect(plan?.audio).toBe(true);
    const stats = await viewer.plays(25);
    expect(stats.frameWidth).toBe(640);
    const pid = await t.server.webrtc.feedPid(ROOM);
    expect(pid).toBeDefined();

    // A second viewer shares the running feed.
    const second = await browser.newPage();
    await second.goto(`${t.url}/healthz`);
    const other = await watchWhep(second, t.url, ROOM, staff);
    await other.plays(10);
    expect(await t.server.webrtc.feedPid(ROOM)).toBe(pid);

    const stopped = feedEvent((p) => p === null);
    await other.close();
    await second.close();
    await viewer.close();
    await stopped;
    await expect.poll(() => isAlive(pid ?? 0)).toBe(false);
  } finally {
    await encoder.kill();
  }
  await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
}, 120_000);

it('copies an RTMP program without B-frames; the program ending ends the preview; a new program is picked up', async () => {
  const encoder = await encoderLive(0);
  const started = feedEvent((plan) => plan !== null);
  const viewer = await watchWhep(page, t.url, ROOM, staff);
  const [, plan] = await started;
  expect(plan?.video?.mode).toBe('copy');
  expect((await viewer.plays(25)).frameWidth).toBe(640);

  // The encoder goes away: the feed and the viewer's session end with the program.
  const stopped = feedEvent((p) => p === null);
  await encoder.kill();
  await stopped;
  expect((await fetch(viewer.location, { method: 'DELETE', headers: staff })).status).toBe(404);

  // It reconnects: the next viewer gets the new program.
  const again = await encoderLive(0);
  try {
    const next = await watchWhep(page, t.url, ROOM, staff);
    await next.plays(25);
    await next.close();
  } finally {
    await again.kill();
  }
}, 120_000);

it('plays an SRT program the same way', async () => {
  const encoder = await encoderLive(0, 'srt');
  try {
    expect(t.server.media.status(ROOM)?.protocol).toBe('srt');
    const started = feedEvent((plan) => plan !== null);
    const viewer = await watchWhep(page, t.url, ROOM, staff);
    const [, plan] = await started;
    expect(plan?.video?.mode).toBe('copy');
    expect((await viewer.plays(25)).frameWidth).toBe(640);
    await viewer.close();
  } finally {
    await encoder.kill();
  }
}, 120_000);
