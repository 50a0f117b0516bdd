// Settings and command lines of the renditions: RADACAST_RENDITIONS and its companions read and
// refused like every setting (naming the variable), the ladder's ffmpeg arguments (one per
// encoder), a hardware encoder used only when present, the bit rate per height, the
// multivariant playlist as rendered, and the audio-only cut of a real fragmented MP4 by ffmpeg.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import HLS from 'hls-parser';
import type { MasterPlaylist } from 'hls-parser/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { audioOnlyFragment, audioOnlyInit, codecsOf } from '../../server/media/audioTrack.ts';
import { ladderArgs, rungKbps } from '../../server/media/ffmpegArgs.ts';
import { Fmp4Reader } from '../../server/media/fmp4.ts';
import { ladderEncoder } from '../../server/media/ladderEncoder.ts';
import { bitRates, renderMultivariant } from '../../server/media/playlist.ts';
import { FFMPEG, FFPROBE, ffprobe } from './support.ts';

const after = (args: string[], flag: string, from = 0) => args[args.indexOf(flag, from) + 1];

describe('RADACAST_RENDITIONS', () => {
  it('defaults to the program and its audio; lists transcoded heights highest first', () => {
    expect(loadConfig({}).media).toMatchObject({ ladder: [], hwEncoder: 'off', ladderPreset: 'veryfast' });
    const media = loadConfig({ RADACAST_RENDITIONS: 'source, 480p,720P,audio', RADACAST_HW_ENCODER: 'vaapi', RADACAST_RENDITIONS_PRESET: 'faster' }).media;
    expect(media).toMatchObject({ ladder: [720, 480], hwEncoder: 'vaapi', ladderPreset: 'faster' });
  });

  it('refuses what it cannot produce, naming the variable', () => {
    const bad: Record<string, string>[] = [
      { RADACAST_RENDITIONS: 'source,720p' },
      { RADACAST_RENDITIONS: '720p,audio' },
      { RADACAST_RENDITIONS: 'source,720p,720p,audio' },
      { RADACAST_RENDITIONS: 'source,hd,audio' },
      { RADACAST_RENDITIONS: 'source,4320p,audio' },
      { RADACAST_RENDITIONS: 'source,1080p,720p,540p,480p,360p,audio' },
      { RADACAST_HW_ENCODER: 'quicksync' },
      { RADACAST_RENDITIONS_PRESET: 'fastest' },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0]!;
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(name);
    }
  });
});

describe('ladder arguments', () => {
  const rungs = [
    { height: 720, kbps: rungKbps(720) },
    { height: 480, kbps: rungKbps(480) },
  ];

  it('libx264: reads fragmented MP4 on stdin, one fragmented MP4 per rendition on fd 3, 4 …, keyframes where the source has them', () => {
    const args = ladderArgs({ rungs, encoder: 'libx264', preset: 'veryfast' });
    expect(after(args, '-i')).toBe('pipe:0');
    expect(args.slice(args.indexOf('-copyts'), args.indexOf('-i'))).toEqual(['-copyts', '-f', 'mp4']);
    expect(args.filter((a) => a.startsWith('pipe:'))).toEqual(['pipe:0', 'pipe:3', 'pipe:4']);
    const second = args.indexOf('pipe:3');
    expect(after(args, '-vf')).toBe('scale=-2:720');
    expect(after(args, '-vf', second)).toBe('scale=-2:480');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-preset')).toBe('veryfast');
    expect(after(args, '-b:v')).toBe('2500k');
    expect(after(args, '-b:v', second)).toBe('1200k');
    expect(after(args, '-force_key_frames')).toBe('source');
    expect(after(args, '-fps_mode')).toBe('passthrough');
    expect(after(args, '-c:a')).toBe('copy');
    expect(after(args, '-movflags')).toBe('frag_keyframe+empty_moov+default_base_moof');
  });

  it('VAAPI and NVENC when chosen (and found present at start)', () => {
    const vaapi = ladderArgs({ rungs, encoder: 'vaapi', preset: 'veryfast' });
    expect(after(vaapi, '-vaapi_device')).toBe('/dev/dri/renderD128');
    expect(after(vaapi, '-vf')).toBe('format=nv12,hwupload,scale_vaapi=w=-2:h=720');
    expect(after(vaapi, '-c:v')).toBe('h264_vaapi');
    const nvenc = ladderArgs({ rungs, encoder: 'nvenc', preset: 'veryfast' });
    expect(after(nvenc, '-c:v')).toBe('h264_nvenc');
    expect(nvenc).not.toContain('-vaapi_device');
  });

  it('gives lower heights lower bit rates', () => {
    expect([1080, 720, 540, 480, 360, 240, 144].map(rungKbps)).toEqual([4500, 2500, 1600, 1200, 800, 400, 250]);
  });
});

describe('hardware encoder', () => {
  it('is used only when asked for and present; otherwise libx264, and the log says why', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('info', sink);
    expect(await ladderEncoder(FFMPEG, 'off', logger)).toBe('libx264');
    for (const [wanted, device] of [
      ['vaapi', '/dev/dri/renderD128'],
      ['nvenc', '/dev/nvidia0'],
    ] as const) {
      const chosen = await ladderEncoder(FFMPEG, wanted, logger);
      if (existsSync(device)) expect([wanted, 'libx264']).toContain(chosen);
      else {
        expect(chosen).toBe('libx264');
        expect(lines.at(-1)).toContain(device);
        expect(lines.at(-1)).toContain('encoded with libx264');
      }
    }
  });
});

describe('multivariant playlist', () => {
  it('renders variants highest bit rate first, as hls-parser reads them', () => {
    const text = renderMultivariant([
      { uri: 'audio.m3u8', ...bitRates([{ bytes: 16_000, duration: 1 }]), codecs: ['mp4a.40.2'], resolution: null, frameRate: null },
      {
        uri: 'source.m3u8',
        ...bitRates([
          { bytes: 500_000, duration: 1 },
          { bytes: 700_000, duration: 1 },
        ]),
        codecs: ['avc1.64001f', 'mp4a.40.2'],
        resolution: { width: 1280, height: 720 },
        frameRate: 25,
      },
    ]);
    HLS.setOptions({ strictMode: true });
    const master = HLS.parse(text) as MasterPlaylist;
    expect(master.variants.map((v) => [v.uri, v.bandwidth, v.averageBandwidth])).toEqual([
      ['source.m3u8', 5_600_000, 4_800_000],
      ['audio.m3u8', 128_000, 128_000],
    ]);
    expect(master.variants[0]).toMatchObject({ codecs: 'avc1.64001f,mp4a.40.2', resolution: { width: 1280, height: 720 }, frameRate: 25 });
  });
});

describe('audio-only cut', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audio-cut-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every audio sample of a program fragmented by ffmpeg, and no video', async () => {
    const program = join(dir, 'program.mp4');
    execFileSync(FFMPEG, [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '3'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-b:a', '64k'],
      ...['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', program],
    ]);
    const measured = (await ffprobe(program)).streams.find((s) => s.codec_type === 'video') as unknown as { profile: string; level: number };
    expect(measured.profile).toBe('Constrained Baseline'); // ultrafast: profile_idc 66 with constraint flags c0
    const out: Buffer[] = [];
    let init: ReturnType<typeof audioOnlyInit> = null;
    new Fmp4Reader(
      (i) => {
        const level = measured.level.toString(16).padStart(2, '0');
        expect(codecsOf(i.data)).toEqual({ video: `avc1.42c0${level}`, audio: 'mp4a.40.2', picture: { width: 320, height: 180 } });
        init = audioOnlyInit(i.data);
        out.push(init!.data);
      },
      (f) => out.push(audioOnlyFragment(f.data, init!) ?? Buffer.alloc(0)),
    ).push(readFileSync(program));
    const audio = join(dir, 'audio.mp4');
    writeFileSync(audio, Buffer.concat(out));
    const count = (file: string) =>
      execFileSync(FFPROBE, ['-v', 'error', '-count_packets', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
    expect((await ffprobe(audio)).streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(count(audio)).toBe(count(program));
  });
});
