// SRT ingest with real ffmpeg callers: the room's own port, the stream key as passphrase (a
// wrong one is refused and shown to the operator), live HLS like RTMP, RTMP refused while SRT
// holds the room, and a fresh listener after the caller leaves. The key is never on ffmpeg's
// command line (which `ps` shows) nor in a log line, even when ffmpeg fails and its output is logged.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { freeUdpPort, parsePlaylist, pushTestPattern, segmentsAdded, statusWhen } from './support.ts';

describe('SRT ingest', () => {
  let t: TestServer;
  let port: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    port = await freeUdpPort();
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
    t = await startTestServer({ media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [port] } }, logger);
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
  });
  afterAll(() => t.close());

  it('publishes with the stream key as passphrase, refusing wrong keys and a second publisher', async () => {
    const media = t.server.media;
    const res = await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } });
    const { srt, rtmp } = (await res.json()) as IngestInfo;
    expect(srt).toEqual({
      url: `srt://127.0.0.1:${port}?streamid=${rtmp.key}&passphrase=${rtmp.key}`,
      port,
      streamid: rtmp.key,
      passphrase: rtmp.key,
    });

    const wrong = pushTestPattern(`srt://127.0.0.1:${port}?passphrase=not-the-stream-key`, 2, 'mpegts');
    expect((await wrong.exited).code).not.toBe(0);
    const refused = await statusWhen(media, 'plenary', (s) => s.problem?.code === 'srt-wrong-passphrase');
    expect(refused.state).toBe('offline');
    expect(refused.problem!.messages.en).toContain('wrong passphrase');

    const caller = pushTestPattern(srt!.url, 30, 'mpegts');
    await segmentsAdded(media, 'plenary', 2);
    expect(media.status('plenary')).toMatchObject({
      state: 'live',
      protocol: 'srt',
      video: { codec: 'h264', width: 320, height: 180 },
      audio: { codec: 'aac', transcoded: true },
      problem: null,
    });
    const playlist = parsePlaylist(await (await fetch(`${t.url}/hls/plenary/source.m3u8`)).text());
    expect(playlist.segments.length).toBeGreaterThanOrEqual(2);
    expect(playlist.segments.every((s) => s.programDateTime !== null && s.duration <= 2)).toBe(true);

    // What every user of the machine sees of the listener: no key.
    const pid = Number(readFileSync(join(t.dataDir, 'media', 'pids', 'plenary.srt.pid'), 'utf8'));
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    expect(commandLine).toContain('plenary.srt.ffconcat');
    expect(commandLine).not.toContain(rtmp.key);

    const rtmpWhileSrt = pushTestPattern(rtmp.url, 2);
    expect((await rtmpWhileSrt.exited).stderr).toContain('Another encoder is already streaming');
    await caller.stop();
    await statusWhen(media, 'plenary', (s) => s.state === 'offline');

    // A new listener takes the place of the one the caller left.
    const again = pushTestPattern(srt!.url, 30, 'mpegts');
    await segmentsAdded(media, 'plenary', 1);
    expect(media.status('plenary')!.protocol).toBe('srt');
    await again.stop();
    expect(logLines.join('\n')).not.toContain(rtmp.key);
  });
});

describe('SRT on a busy port', () => {
  it('logs what ffmpeg said, without the stream key', async () => {
    const busy = createSocket('udp4');
    await new Promise<void>((resolve) => busy.bind(0, '127.0.0.1', resolve));
    const port = busy.address().port;
    const logLines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
    const t = await startTestServer({ media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [port] } }, logger);
    try {
      await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
      const failed = await statusWhen(t.server.media, 'plenary', (s) => s.problem?.code === 'port-busy');
      expect(failed.problem!.messages.en).toContain(String(port));
      const { rtmp } = (await (await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie: await t.login() } })).json()) as IngestInfo;
      const log = logLines.join('\n');
      expect(log).toContain('SRT listener failed');
      expect(log).toContain('[redacted]');
      expect(log).not.toContain(rtmp.key);
    } finally {
      await t.close();
      busy.close();
    }
  });
});
