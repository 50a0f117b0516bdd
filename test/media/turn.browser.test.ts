// TURN: the server hands short-lived coturn credentials to authorised callers only (staff, the
// holder of the room's stream key), in WHIP/WHEP answers' Link headers too; and Chromium, allowed
// to use relay candidates only, watches an RTMP-fed program over WHEP through a real coturn on
// loopback — the selected candidate pair is a relay one, and the video plays.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { IceServersAnswer } from '../../protocol/webrtc.ts';
import { loadConfig } from '../../server/config.ts';
import { launchChromium } from '../support/browser.ts';
import { goLive } from '../support/liveStream.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { startTurn, type Turn } from '../support/turn.ts';
import { watchWhep } from '../support/whep.ts';
import type { Encoder } from './support.ts';

const ROOM = 'plenary';
const SECRET = 'coturn-static-auth-secret-for-tests';

let turn: Turn;
let t: TestServer;
let browser: Browser;
let page: Page;
let staff: Record<string, string>;
let key: string;

beforeAll(async () => {
  turn = await startTurn(SECRET);
  const webrtc = { ...loadConfig({}).webrtc, listenIp: '127.0.0.1', turn: { urls: [turn.url], secret: SECRET, ttlSeconds: 600 } };
  t = await startTestServer({ webrtc });
  await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Сесійна зала' } });
  const cookie = await t.login();
  staff = { cookie, 'x-requested-with': 'radacast' };
  const res = await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } });
  key = ((await res.json()) as IngestInfo).rtmp.key;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${t.url}/healthz`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await turn?.stop();
});

async function iceServers(headers: Record<string, string>): Promise<{ status: number; answer: IceServersAnswer | null }> {
  const res = await fetch(`${t.url}/api/webrtc/ice-servers/${ROOM}`, { headers });
  const parsed = IceServersAnswer.safeParse(await res.json());
  return { status: res.status, answer: parsed.success ? parsed.data : null };
}

it('gives short-lived TURN credentials to staff and to the holder of the stream key, never to a stranger', async () => {
  const before = Date.now();
  const { status, answer } = await iceServers({ cookie: staff.cookie ?? '' });
  expect(status).toBe(200);
  const [server] = answer?.iceServers ?? [];
  expect(server?.urls).toEqual([turn.url]);
  const expiry = Number(server?.username.split(':')[0]) * 1000;
  expect(expiry).toBeGreaterThan(before + 590_000);
  expect(expiry).toBeLessThan(before + 610_000);

  expect((await iceServers({ authorization: `Bearer ${key}` })).status).toBe(200);
  expect((await iceServers({})).status).toBe(401);
  expect((await iceServers({ authorization: 'Bearer not-a-key' })).status).toBe(401);
});

it('plays an RTMP-fed program over WHEP through TURN only (relay candidates), the answer linking the ICE servers', async () => {
  const encoder: Encoder = await goLive(t, ROOM, 120, 2);
  try {
    const { answer } = await iceServers({ cookie: staff.cookie ?? '' });
    const viewer = await watchWhep(page, t.url, ROOM, staff, { iceServers: answer?.iceServers ?? [], iceTransportPolicy: 'relay' });
    expect(viewer.links.join('\n')).toContain(`<${turn.url}>; rel="ice-server"`);
    const stats = await viewer.plays(25);
    expect(stats.localCandidate).toBe('relay');
    expect(stats.frameWidth).toBeGreaterThan(0);
    await viewer.close();
  } finally {
    await encoder.kill();
  }
}, 120_000);
