// The live playlist as an independent parser (hls-parser, strict) and a player's reloads see
// it, with real ffmpeg pushing: the target duration never changes within a playlist — an
// encoder returning with rarer keyframes starts a new generation and the operator is told;
// a segment that leaves the playlist stays fetchable for its duration plus the playlist's
// (RFC 8216 §6.2.2); playlists are gzip-compressed for clients that accept it; and a server
// restart continues the media sequence with a discontinuity instead of starting again at 0.
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import HLS from 'hls-parser';
import type { MediaPlaylist } from 'hls-parser/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { nextEvent, pushTestPattern, segmentsAdded, statusWhen } from './support.ts';

HLS.setOptions({ strictMode: true });

interface Reload {
  at: number;
  playlist: MediaPlaylist & { mediaSequenceBase: number; discontinuitySequenceBase: number };
}

/** Parses strictly; a live playlist always carries both sequence tags. */
function parseLive(text: string): Reload['playlist'] {
  const playlist = HLS.parse(text) as MediaPlaylist;
  // The segment being cut is listed by its LL-HLS parts only (no URI yet): full segments are checked here.
  playlist.segments = playlist.segments.filter((s) => s.uri);
  expect(playlist.mediaSequenceBase).toBeTypeOf('number');
  expect(playlist.discontinuitySequenceBase).toBeTypeOf('number');
  return playlist as Reload['playlist'];
}

describe('live HLS conformance', () => {
  let t: TestServer;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Пленарна зала' } });
    cookie = await t.login();
  });
  afterAll(async () => {
    await t.close();
  });

  async function ingest(): Promise<IngestInfo> {
    return (await (await fetch(`${t.url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;
  }

  async function reload(): Promise<Reload> {
    const res = await fetch(`${t.url}/hls/plenary/source.m3u8`);
    expect(res.status).toBe(200);
    return { at: Date.now(), playlist: parseLive(await res.text()) };
  }

  /** Reloads the playlist after every new segment until `count` segments have come. */
  async function watch(count: number, reloads: Reload[]): Promise<void> {
    for (let i = 0; i < count; i++) {
      await segmentsAdded(t.server.media, 'plenary', 1);
      reloads.push(await reload());
    }
  }

  it('keeps the target duration within a playlist; a longer keyframe interval starts a new generation', async () => {
    const { rtmp } = await ingest();
    const reloads: Reload[] = [];
    const short = pushTestPattern(rtmp.url, 60);
    await watch(7, reloads);

    // Segments that left the playlist are still served for their duration plus the playlist's.
    const checks: Promise<void>[] = [];
    for (let i = 1; i < reloads.length; i++) {
      const listed = new Set(reloads[i]!.playlist.segments.map((s) => s.uri));
      const before = reloads[i - 1]!.playlist;
      const playlistSeconds = before.segments.reduce((sum, s) => sum + s.duration, 0);
      for (const gone of before.segments.filter((s) => !listed.has(s.uri))) {
        // It was last seen listed at reloads[i-1]; a player holding that playlist may ask until then.
        const deadline = reloads[i - 1]!.at + (gone.duration + playlistSeconds) * 1000;
        checks.push(
          new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))).then(async () => {
            const res = await fetch(`${t.url}/hls/plenary/${gone.uri}`);
            expect(res.status, `${gone.uri} at ${Date.now() - deadline} ms past its deadline`).toBe(200);
          }),
        );
      }
    }
    expect(checks.length).toBeGreaterThan(0);
    await Promise.all(checks);

    await short.stop();
    await statusWhen(t.server.media, 'plenary', (s) => s.state === 'offline');
    const long = pushTestPattern(rtmp.url, 60, 'flv', 3);
    const restarted = statusWhen(t.server.media, 'plenary', (s) => s.problem?.code === 'playlist-restarted');
    await watch(3, reloads);
    const status = await restarted;
    expect(status.targetDuration).toBe(3);
    expect(status.problem!.messages.en).toContain('up to 3 s');
    await long.kill();

    const seqs = new Set<number>();
    for (let i = 0; i < reloads.length; i++) {
      const { playlist } = reloads[i]!;
      for (const s of playlist.segments) expect(Math.round(s.duration)).toBeLessThanOrEqual(playlist.targetDuration);
      if (i === 0) continue;
      const previous = reloads[i - 1]!.playlist;
      const shared = playlist.segments.some((s) => previous.segments.some((p) => p.uri === s.uri));
      if (shared) {
        // The same playlist generation: its target never changes (RFC 8216 §6.2.1).
        expect(playlist.targetDuration).toBe(previous.targetDuration);
      } else {
        // A new generation: nothing carried over, numbers move on, the break is counted.
        expect(playlist.mediaSequenceBase).toBeGreaterThan(Math.max(...seqs));
        const firstDisc = playlist.discontinuitySequenceBase + (playlist.segments[0]!.discontinuity ? 1 : 0);
        expect(firstDisc).toBeGreaterThan(previous.discontinuitySequenceBase);
      }
      playlist.segments.forEach((s, k) => seqs.add(playlist.mediaSequenceBase + k));
    }
    expect(new Set(reloads.map((r) => r.playlist.targetDuration))).toEqual(new Set([1, 3]));
  });

  it('serves playlists gzip-compressed to clients that accept it, segments as they are', async () => {
    const raw = (path: string) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const url = new URL(path, t.url);
        request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        })
          .on('error', reject)
          .end();
      });
    const { rtmp } = await ingest();
    const encoder = pushTestPattern(rtmp.url, 30);
    await segmentsAdded(t.server.media, 'plenary', 2);
    const playlist = await raw('/hls/plenary/source.m3u8');
    expect(playlist.headers['content-encoding']).toBe('gzip');
    expect(playlist.headers.vary).toContain('Accept-Encoding');
    const parsed = parseLive(gunzipSync(playlist.body).toString('utf8'));
    const segment = await raw(`/hls/plenary/${parsed.segments.at(-1)!.uri}`);
    expect(segment.headers['content-encoding']).toBeUndefined();
    expect(segment.body.length).toBeGreaterThan(1000);
    const plain = await fetch(`${t.url}/hls/plenary/source.m3u8`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    await encoder.kill();
    await statusWhen(t.server.media, 'plenary', (s) => s.state === 'offline');
  });

  it('continues the media sequence across a server restart, with a discontinuity', async () => {
    let { rtmp } = await ingest();
    let encoder = pushTestPattern(rtmp.url, 30);
    await segmentsAdded(t.server.media, 'plenary', 2);
    const before = (await reload()).playlist;
    const lastBefore = before.mediaSequenceBase + before.segments.length - 1;
    const discBefore = before.discontinuitySequenceBase + before.segments.filter((s) => s.discontinuity).length;
    await encoder.kill();
    const dataDir = t.dataDir;
    await t.close({ keepData: true });
    t = await startTestServer({ dataDir });
    cookie = await t.login();

    ({ rtmp } = await ingest());
    encoder = pushTestPattern(rtmp.url, 30);
    await nextEvent(t.server.media, 'segment');
    const after = (await reload()).playlist;
    await encoder.kill();
    expect(after.mediaSequenceBase).toBeGreaterThan(lastBefore);
    expect(after.segments[0]!.discontinuity).toBe(true);
    expect(after.segments[0]!.discontinuitySequence).toBeGreaterThan(discBefore);
  });
});
