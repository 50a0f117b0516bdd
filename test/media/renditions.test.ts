// The room's multivariant playlist with real ffmpeg pushing a 640×360 program: read by an
// independent parser (hls-parser, strict), each variant's advertised attributes checked against
// what ffprobe measures in the segments it lists, and the renditions lined up — the same media
// sequence numbers, date-times and LL-HLS parts in every media playlist, each reporting where
// the other stands. The audio-only
// rendition carries sound and no picture.
import HLS from 'hls-parser';
import type { MasterPlaylist, MediaPlaylist } from 'hls-parser/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { ffprobe, pushTestPattern, segmentsAdded, statusWhen, type Encoder } from './support.ts';

HLS.setOptions({ strictMode: true });

const ROOM = 'plenary';

/** H.264 profile names as ffprobe prints them → profile_idc (the first byte of avc1.PPCCLL). */
const PROFILE_IDC: Record<string, number> = { 'Constrained Baseline': 0x42, Baseline: 0x42, Main: 0x4d, High: 0x64 };

interface Probed {
  video: { profile: string; level: number; width: number; height: number; r_frame_rate: string } | undefined;
  audio: { profile: string; codec_name: string } | undefined;
  duration: number;
  bytes: number;
}

describe('multivariant live playlist', () => {
  let t: TestServer;
  let encoder: Encoder;
  const dir = mkdtempSync(join(tmpdir(), 'renditions-'));

  beforeAll(async () => {
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Пленарна зала' } });
    const cookie = await t.login();
    const info = (await (await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } })).json()) as IngestInfo;
    encoder = pushTestPattern(info.rtmp.url, 40, 'flv', 1, '640x360');
    await segmentsAdded(t.server.media, ROOM, 4);
  });
  afterAll(async () => {
    await encoder.kill();
    await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(new URL(path, `${t.url}/hls/${ROOM}/`));
    expect(res.status, path).toBe(200);
    return res;
  };
  const media = async (uri: string) => HLS.parse(await (await get(uri)).text()) as MediaPlaylist;

  /** The listed segments of a media playlist, each probed with its init section in front. */
  async function probeSegments(uri: string, playlist: MediaPlaylist): Promise<Probed[]> {
    const base = new URL(uri, `${t.url}/hls/${ROOM}/`);
    const complete = playlist.segments.filter((s) => s.uri);
    return Promise.all(
      complete.map(async (s, i) => {
        const init = Buffer.from(await (await get(new URL(s.map.uri, base).href)).arrayBuffer());
        const data = Buffer.from(await (await get(new URL(s.uri, base).href)).arrayBuffer());
        const file = join(dir, `${uri}-${i}.mp4`);
        writeFileSync(file, Buffer.concat([init, data]));
        const probe = await ffprobe(file);
        const streams = probe.streams as unknown as (Probed['video'] & Probed['audio'] & { codec_type: string })[];
        return {
          video: streams.find((x) => x.codec_type === 'video'),
          audio: streams.find((x) => x.codec_type === 'audio'),
          duration: s.duration,
          bytes: data.length,
        };
      }),
    );
  }

  it('lists the program and its audio alone, with attributes measured from their segments', async () => {
    const master = HLS.parse(await (await get('index.m3u8')).text()) as MasterPlaylist;
    expect(master.isMasterPlaylist).toBe(true);
    const byUri = new Map(master.variants.map((v) => [v.uri, v]));
    expect([...byUri.keys()].sort()).toEqual(['audio.m3u8', 'source.m3u8']);

    const source = byUri.get('source.m3u8')!;
    const sourceProbes = await probeSegments('source.m3u8', await media('source.m3u8'));
    const video = sourceProbes[0]!.video!;
    expect(source.resolution).toEqual({ width: video.width, height: video.height });
    expect(source.resolution).toEqual({ width: 640, height: 360 });
    const [num, den] = video.r_frame_rate.split('/').map(Number);
    expect(source.frameRate).toBeCloseTo(num! / den!, 2);
    const [videoCodec, audioCodec] = source.codecs!.split(',');
    expect(videoCodec!.slice(0, 7)).toBe(`avc1.${PROFILE_IDC[video.profile]!.toString(16)}`);
    expect(Number.parseInt(videoCodec!.slice(9), 16)).toBe(video.level);
    expect(audioCodec).toBe('mp4a.40.2');
    expect(sourceProbes[0]!.audio).toMatchObject({ codec_name: 'aac', profile: 'LC' });

    const audio = byUri.get('audio.m3u8')!;
    expect(audio.codecs).toBe('mp4a.40.2');
    expect(audio.resolution).toBeUndefined();
    const audioProbes = await probeSegments('audio.m3u8', await media('audio.m3u8'));
    for (const p of audioProbes) {
      expect(p.video).toBeUndefined();
      expect(p.audio).toMatchObject({ codec_name: 'aac', profile: 'LC' });
    }

    // Bit rates: the peak covers every segment measured, the average is the window's (the
    // window may move by a segment between the reads, hence the margin).
    for (const [variant, probes] of [
      [source, sourceProbes],
      [audio, audioProbes],
    ] as const) {
      const rates = probes.map((p) => (p.bytes * 8) / p.duration);
      const average = (probes.reduce((sum, p) => sum + p.bytes, 0) * 8) / probes.reduce((sum, p) => sum + p.duration, 0);
      expect(variant.bandwidth).toBeGreaterThanOrEqual(variant.averageBandwidth!);
      expect(variant.averageBandwidth! / average).toBeGreaterThan(0.8);
      expect(variant.averageBandwidth! / average).toBeLessThan(1.25);
      expect(variant.bandwidth / Math.max(...rates)).toBeGreaterThan(0.8);
    }
    expect(audio.bandwidth).toBeLessThan(source.bandwidth / 2);
  });

  it('lines the renditions up: same media sequence, date-times, durations and parts', async () => {
    // Both read at the same moment: blocking reloads for the part the source names next.
    const hint = (await media('source.m3u8')).segments.at(-1)!.parts.at(-1)!;
    expect(hint.hint).toBe(true);
    const [, msn, index] = /part-(\d+)\.(\d+)\.m4s$/.exec(hint.uri)!;
    const query = `?_HLS_msn=${msn}&_HLS_part=${index}`;
    const [source, audio] = await Promise.all([media(`source.m3u8${query}`), media(`audio.m3u8${query}`)]);
    expect(audio.mediaSequenceBase).toBe(source.mediaSequenceBase);
    expect(audio.discontinuitySequenceBase).toBe(source.discontinuitySequenceBase);
    expect(audio.segments.length).toBe(source.segments.length);
    source.segments.forEach((s, i) => {
      const a = audio.segments[i]!;
      expect(a.programDateTime?.getTime()).toBe(s.programDateTime?.getTime());
      expect(a.duration).toBe(s.duration);
      expect(a.parts.map((p) => p.duration)).toEqual(s.parts.map((p) => p.duration));
      if (s.uri) expect(a.uri).toBe(s.uri.replace('/seg-', '/audio-seg-'));
    });
    // Each reports where the other stands (RFC 8216bis §4.4.5.4): the same newest part.
    // A segment just opened holds only the hint; the newest part is then the previous segment's last.
    const edge = (p: MediaPlaylist) => {
      const opened = p.segments.at(-1)!.parts.every((x) => x.hint) ? 1 : 0;
      const parts = p.segments.at(-1 - opened)!.parts.filter((x) => !x.hint);
      return { uri: '', lastMSN: p.mediaSequenceBase! + p.segments.length - 1 - opened, lastPart: parts.length - 1 };
    };
    expect(source.renditionReports).toEqual([{ ...edge(audio), uri: 'audio.m3u8' }]);
    expect(audio.renditionReports).toEqual([{ ...edge(source), uri: 'source.m3u8' }]);
    // An audio part is served as a fragment holding the audio track only.
    const part = audio.segments.flatMap((s) => s.parts).find((p) => !p.hint)!;
    const init = Buffer.from(await (await get(audio.segments[0]!.map.uri)).arrayBuffer());
    const data = Buffer.from(await (await get(part.uri)).arrayBuffer());
    const file = join(dir, 'part.mp4');
    writeFileSync(file, Buffer.concat([init, data]));
    const probe = await ffprobe(file);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['audio']);
  });
});
