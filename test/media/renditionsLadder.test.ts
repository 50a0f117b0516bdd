// The transcoded ladder (RADACAST_RENDITIONS=source,240p,audio) with real ffmpeg: a 640×360
// program gets a 240p rendition whose advertised attributes match what ffprobe measures, whose
// segments begin where the program's do (same media sequence numbers and date-times, each with a
// keyframe), with LL-HLS parts; and a ladder that cannot keep up (libx264 `placebo`) tells the
// operator while the program keeps advancing.
import HLS from 'hls-parser';
import type { MasterPlaylist, MediaPlaylist } from 'hls-parser/types.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { FFPROBE, ffprobe, pushTestPattern, segmentsAdded, statusWhen, type Encoder } from './support.ts';

HLS.setOptions({ strictMode: true });

const ROOM = 'plenary';
const dir = mkdtempSync(join(tmpdir(), 'ladder-'));

async function serverWith(renditions: string, preset = 'veryfast'): Promise<{ t: TestServer; rtmp: string }> {
  const env = { RADACAST_RENDITIONS: renditions, RADACAST_RENDITIONS_PRESET: preset };
  const t = await startTestServer({ media: { ...loadConfig(env).media, rtmpPort: 0, srtPorts: [] } });
  await t.command({ type: 'room.upsert', room: { id: ROOM, name: 'Пленарна зала' } });
  const cookie = await t.login();
  const info = (await (await fetch(`${t.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } })).json()) as IngestInfo;
  return { t, rtmp: info.rtmp.url };
}

/** Whether the first video packet of a file is a keyframe. */
function firstFrameIsKey(file: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0', file]);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n')[0]!.startsWith('K')) : reject(new Error(`ffprobe failed [code:${code}]`))));
  });
}

describe('transcoded renditions', () => {
  let t: TestServer | null = null;
  let encoder: Encoder | null = null;
  afterAll(async () => {
    await encoder?.kill();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a 240p rendition measured as advertised, its segments lined up with the program', async () => {
    const server = await serverWith('source,240p,audio');
    t = server.t;
    encoder = pushTestPattern(server.rtmp, 40, 'flv', 1, '640x360');
    const base = `${t.url}/hls/${ROOM}/`;
    const get = async (path: string) => {
      const res = await fetch(new URL(path, base));
      expect(res.status, path).toBe(200);
      return res;
    };
    const room = t.server.media.liveRoom(ROOM)!;
    // The ladder needs a few segments (its ffmpeg starts with the run).
    await segmentsAdded(t.server.media, ROOM, 3);
    while (room.playlist('240p') === null || (HLS.parse(room.playlist('240p')!) as MediaPlaylist).segments.filter((s) => s.uri).length < 3) {
      await segmentsAdded(t.server.media, ROOM, 1);
    }
    const master = HLS.parse(await (await get('index.m3u8')).text()) as MasterPlaylist;
    expect(master.variants.map((v) => v.uri)).toEqual(['source.m3u8', '240p.m3u8', 'audio.m3u8']);
    const rung = master.variants[1]!;
    expect(rung.bandwidth).toBeLessThan(master.variants[0]!.bandwidth);

    const [source, low] = [HLS.parse(await (await get('source.m3u8')).text()) as MediaPlaylist, HLS.parse(await (await get('240p.m3u8')).text()) as MediaPlaylist];
    const sourceBySeq = new Map(source.segments.map((s, i) => [source.mediaSequenceBase! + i, s]));
    const complete = low.segments.filter((s) => s.uri);
    expect(complete.length).toBeGreaterThanOrEqual(3);
    const both = complete.flatMap((s, i) => {
      const program = sourceBySeq.get(low.mediaSequenceBase! + i);
      return program?.uri ? [{ s, program }] : [];
    });
    expect(both.length).toBeGreaterThanOrEqual(2);
    for (const { s, program } of both) {
      expect(s.programDateTime?.getTime()).toBe(program.programDateTime?.getTime());
      expect(s.duration).toBeCloseTo(program.duration, 1);
    }
    expect(low.partTargetDuration).toBeCloseTo(0.23, 2);
    expect(low.renditionReports.map((r) => r.uri).sort()).toEqual(['audio.m3u8', 'source.m3u8']);
    const lowReport = source.renditionReports.find((r) => r.uri === '240p.m3u8')!;
    expect(lowReport.lastMSN).toBeLessThanOrEqual(source.mediaSequenceBase! + source.segments.length - 1);
    expect(low.segments.at(-1)!.parts.length).toBeGreaterThan(0);

    const init = Buffer.from(await (await get(complete[0]!.map.uri)).arrayBuffer());
    const bytes: number[] = [];
    for (const [i, s] of complete.entries()) {
      const data = Buffer.from(await (await get(s.uri)).arrayBuffer());
      bytes.push(data.length);
      const file = join(dir, `240p-${i}.mp4`);
      writeFileSync(file, Buffer.concat([init, data]));
      expect(await firstFrameIsKey(file), `segment ${s.uri} begins with a keyframe`).toBe(true);
      if (i === 0) {
        const probe = await ffprobe(file);
        const video = probe.streams.find((x) => x.codec_type === 'video')!;
        expect(rung.resolution).toEqual({ width: video.width, height: video.height });
        expect(video.height).toBe(240);
        expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
        expect(rung.codecs).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      }
    }
    const average = (bytes.reduce((a, b) => a + b, 0) * 8) / complete.reduce((sum, s) => sum + s.duration, 0);
    expect(rung.averageBandwidth! / average).toBeGreaterThan(0.7);
    expect(rung.averageBandwidth! / average).toBeLessThan(1.4);
    await encoder.kill();
    await statusWhen(t.server.media, ROOM, (s) => s.state === 'offline');
    await t.close();
    t = null;
  });

  it('tells the operator when the ladder cannot keep up; the program keeps advancing', async () => {
    const server = await serverWith('source,360p,240p,audio', 'placebo');
    t = server.t;
    encoder = pushTestPattern(server.rtmp, 60, 'flv', 1, '640x360');
    await segmentsAdded(t.server.media, ROOM, 1);
    const status = await statusWhen(t.server.media, ROOM, (s) => s.problem?.code === 'renditions-behind');
    expect(status.problem!.messages.en).toContain('cannot transcode');
    expect(status.problem!.message).toContain('RADACAST_RENDITIONS');
    // The program goes on at its own pace: five more one-second segments within eight seconds.
    const began = Date.now();
    await segmentsAdded(t.server.media, ROOM, 5);
    expect(Date.now() - began).toBeLessThan(8000);
    const playlist = HLS.parse(t.server.media.liveRoom(ROOM)!.playlist('source')!) as MediaPlaylist;
    const newest = playlist.segments.filter((s) => s.uri).at(-1)!;
    expect(Date.now() - newest.programDateTime!.getTime()).toBeLessThan(4000);
  }, 60_000);
});
