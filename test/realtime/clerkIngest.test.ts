// The clerk's console learns each room's ingest state over `/clerk`: every room on connect,
// then each change — here a real encoder (ffmpeg) going live in the plenary room.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { IngestInfo, IngestStatus } from '../../protocol/media.ts';
import { pushTestPattern, type Encoder } from '../media/support.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;
let clerk: Socket | undefined;
let encoder: Encoder | undefined;

beforeEach(async () => {
  t = await startTestServer({ demo: true });
});

afterEach(async () => {
  await encoder?.kill();
  clerk?.close();
  await t.close();
});

it('sends every room’s ingest state on connect and the change when an encoder goes live', async () => {
  const cookie = await t.login();
  const statuses: IngestStatus[] = [];
  let wake: (() => void) | undefined;
  clerk = io(`${t.url}/clerk`, { transports: ['websocket'], extraHeaders: { cookie } });
  clerk.on('ingest', (s: IngestStatus) => {
    statuses.push(s);
    wake?.();
  });
  const until = (p: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => p() && resolve();
      wake();
    });

  await until(() => new Set(statuses.map((s) => s.room)).size === 2);
  expect(statuses.map((s) => [s.room, s.state]).sort()).toEqual([
    ['committee-room', 'offline'],
    ['plenary', 'offline'],
  ]);

  const info = (await (await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;
  encoder = pushTestPattern(info.rtmp.url, 20);
  await until(() => statuses.some((s) => s.room === 'plenary' && s.state === 'live' && s.video !== null));
  const live = statuses.filter((s) => s.room === 'plenary' && s.state === 'live').at(-1)!;
  expect(live.protocol).toBe('rtmp');
  expect(live.video?.codec).toBe('h264');
});
