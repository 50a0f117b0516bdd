// The relay end to end with real parts: an encoder (ffmpeg) publishes once to the room, and
// the server copies it to two platforms at once — a plain RTMP listener and an RTMPS one behind
// a TLS terminator whose self-signed certificate the server trusts through
// RADACAST_RESTREAM_CA_FILE. One platform dropping mid-stream retries and comes back while the
// other and the residents' HLS keep going; keys never reach the log output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import type { RoomDestinations } from '../../protocol/restream.ts';
import { freePort } from '../support/childServer.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { destinationWhen, received, startReceiver, startTlsTerminator, type Receiver, type TlsTerminator } from './restreamSupport.ts';
import { pushTestPattern, segmentsAdded, type Encoder } from './support.ts';

const KEY_A = 'plain-key-0123456789-AAAA';
const KEY_B = 'secure-key-9876543210-BBBB';

let t: TestServer | undefined;
let encoder: Encoder | undefined;
let clerk: Socket | undefined;
const receivers: Receiver[] = [];
const terminators: TlsTerminator[] = [];
const dirs: string[] = [];
const logLines: string[] = [];

afterEach(async () => {
  clerk?.close();
  await encoder?.kill();
  await t?.close();
  await Promise.all(receivers.splice(0).map((r) => r.kill()));
  await Promise.all(terminators.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  logLines.length = 0;
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'radacast-restream-'));
  dirs.push(dir);
  return dir;
}

async function server(caFile?: string): Promise<TestServer> {
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await startTestServer({ demo: true, logLevel: 'debug', restream: { secretKeyFile: undefined, caFile } }, logger);
  return t;
}

async function put(s: TestServer, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${s.url}/api/rooms/plenary/destinations/${id}`, {
    method: 'PUT',
    headers: { cookie: await s.login(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function publish(s: TestServer, seconds: number): Promise<Encoder> {
  const res = await fetch(`${s.url}/api/rooms/plenary/ingest`, { headers: { cookie: await s.login() } });
  const { rtmp } = (await res.json()) as IngestInfo;
  encoder = pushTestPattern(rtmp.url, seconds);
  return encoder;
}

async function grows(file: string, beyond: number): Promise<number> {
  for (let i = 0; i < 60; i++) {
    const { seconds } = await received(file).catch(() => ({ seconds: 0 }));
    if (seconds > beyond) return seconds;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${file} did not grow beyond ${beyond} s`);
}

describe('restream relay', () => {
  it('copies the ingest to an RTMP and an RTMPS platform at once; a dropped platform comes back without disturbing the rest', async () => {
    const dir = workDir();
    const [portA, portB] = [await freePort(), await freePort()];
    const tls = await startTlsTerminator(dir, portB);
    terminators.push(tls);
    const s = await server(tls.certFile);
    receivers.push(await startReceiver(portA, KEY_A, join(dir, 'a1.ts')), await startReceiver(portB, KEY_B, join(dir, 'b.ts')));
    await put(s, 'a', { name: 'ТРК «Місто»', kind: 'custom', url: `rtmp://127.0.0.1:${portA}/live`, key: KEY_A, enabled: true });
    await put(s, 'b', { name: 'YouTube', kind: 'youtube', url: `rtmps://127.0.0.1:${tls.port}/live/`, key: KEY_B, enabled: true });
    expect(s.server.restream.list('plenary')!.map((d) => d.status.state)).toEqual(['off', 'off']);

    await publish(s, 90);
    const liveA = await destinationWhen(s.server.restream, 'plenary', 'a', (d) => d.status.state === 'live');
    await destinationWhen(s.server.restream, 'plenary', 'b', (d) => d.status.state === 'live');
    expect(liveA.status.problem).toBeNull();

    // Both platforms get H.264 and AAC, and more of it as time goes on.
    const [a1, b1] = [await grows(receivers[0]!.file, 2), await grows(receivers[1]!.file, 2)];
    expect((await received(receivers[0]!.file)).codecs).toEqual(['aac', 'h264']);
    expect((await received(receivers[1]!.file)).codecs).toEqual(['aac', 'h264']);
    await grows(receivers[0]!.file, a1 + 2);
    const bLive = await destinationWhen(s.server.restream, 'plenary', 'b', (d) => (d.status.bitrateKbps ?? 0) > 0);
    // Keyframe each second and a small bitrate: no YouTube rule is broken.
    expect(bLive.status.warnings).toEqual([]);

    // Platform A goes away mid-stream: it retries, B and the residents' HLS carry on.
    const bBefore = (await received(receivers[1]!.file)).seconds;
    await receivers[0]!.kill();
    const retrying = await destinationWhen(s.server.restream, 'plenary', 'a', (d) => d.status.state === 'retrying');
    expect(retrying.status.problem?.code).toMatch(/dropped|refused|failed/);
    expect(retrying.status.problem?.messages.uk.length).toBeGreaterThan(10);
    await segmentsAdded(s.server.media, 'plenary', 2);
    expect(s.server.restream.list('plenary')!.find((d) => d.id === 'b')!.status.state).toBe('live');
    await grows(receivers[1]!.file, bBefore + 2);

    // A is back: the relay finds it on its next attempt.
    receivers[0] = await startReceiver(portA, KEY_A, join(dir, 'a2.ts'));
    const back = await destinationWhen(s.server.restream, 'plenary', 'a', (d) => d.status.state === 'live', 40_000);
    expect(back.status.problem).toBeNull();
    const a2 = await grows(receivers[0].file, 2);
    expect((await received(receivers[0].file)).codecs).toEqual(['aac', 'h264']);
    await grows(receivers[0].file, a2 + 1);
    expect((await received(receivers[1]!.file)).seconds).toBeGreaterThan(b1);

    // The encoder stops: so do the relays.
    await encoder!.stop();
    await destinationWhen(s.server.restream, 'plenary', 'a', (d) => d.status.state === 'off');
    await destinationWhen(s.server.restream, 'plenary', 'b', (d) => d.status.state === 'off');

    // The platforms saw the keys; the server's log output never did.
    expect(receivers[1]!.stderr()).toContain(KEY_B);
    const log = logLines.join('\n');
    expect(log).toContain('restream relay started');
    expect(log).not.toContain(KEY_A);
    expect(log).not.toContain(KEY_B);
  }, 150_000);

  it('explains a refused key and an untrusted certificate to the consoles, and gives up on the key', async () => {
    const dir = workDir();
    const tls = await startTlsTerminator(dir, await freePort());
    terminators.push(tls);
    // No CA file: the terminator's self-signed certificate is not trusted.
    const s = await server();
    // The server's own RTMP ingest refuses a key it does not know, as a platform would.
    await put(s, 'bad', { name: 'Facebook', kind: 'facebook', url: `rtmp://127.0.0.1:${s.server.media.rtmpPort}/live`, key: 'not-a-room-key-123456', enabled: true });
    await put(s, 'tls', { name: 'Telegram', kind: 'telegram', url: `rtmps://127.0.0.1:${tls.port}/s/`, key: '1234567890:AbCdEfGhIjKl', enabled: true });

    const pushed: RoomDestinations[] = [];
    let wake: (() => void) | undefined;
    const consoleSees = (p: () => boolean) =>
      new Promise<void>((resolve) => {
        wake = () => p() && resolve();
        wake();
      });
    clerk = io(`${s.url}/clerk`, { transports: ['websocket'], extraHeaders: { cookie: await s.login() } });
    clerk.on('destinations', (d: RoomDestinations) => {
      pushed.push(d);
      wake?.();
    });
    await consoleSees(() => new Set(pushed.map((p) => p.room)).size === 2);

    await publish(s, 60);
    const failed = await destinationWhen(s.server.restream, 'plenary', 'bad', (d) => d.status.state === 'failed');
    expect(failed.status.problem?.code).toBe('wrong-key');
    expect(failed.status.problem?.messages.en).toContain('stream key');
    const untrusted = await destinationWhen(s.server.restream, 'plenary', 'tls', (d) => d.status.problem?.code === 'tls');
    expect(untrusted.status.state).toMatch(/retrying|starting/);

    // The consoles got every room on connect and the changes since, with advice and no keys.
    expect(new Set(pushed.map((p) => p.room))).toEqual(new Set(['plenary', 'committee-room']));
    const seen = () => pushed.filter((p) => p.room === 'plenary').flatMap((p) => p.destinations);
    await consoleSees(() => seen().some((d) => d.id === 'bad' && d.status.state === 'failed' && d.status.problem?.code === 'wrong-key'));
    expect(JSON.stringify(pushed)).not.toContain('not-a-room-key-123456');

    // Switched off on the record: the relay stops retrying and shows off.
    const off = await s.command({ type: 'destination.switch', room: 'plenary', destinationId: 'tls', enabled: false });
    expect(off.status).toBe(200);
    await destinationWhen(s.server.restream, 'plenary', 'tls', (d) => d.status.state === 'off' && !d.enabled);
    const log = logLines.join('\n');
    expect(log).not.toContain('not-a-room-key-123456');
    expect(log).not.toContain('AbCdEfGhIjKl');
  }, 120_000);
});
