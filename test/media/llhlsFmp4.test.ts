// Reading ffmpeg's fragmented MP4 as it comes out of a pipe: whatever the chunking, the same init
// section and fragments, with the video's duration and keyframe starts (real ffmpeg output).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_SECONDS, packagerArgs } from '../../server/media/ffmpegArgs.ts';
import { Fmp4Reader, type Fmp4Fragment } from '../../server/media/fmp4.ts';
import { PART_TARGET } from '../../server/media/HlsPackager.ts';
import { FFMPEG } from './support.ts';

/** 3 s at 25 fps, keyframe each second, with AAC audio: FLV as an encoder sends it, through the packager's own arguments. */
function packagedSample(): Buffer {
  const flv = execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=48000',
    '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
    '-f', 'flv', 'pipe:1',
  ]); // prettier-ignore
  return execFileSync(FFMPEG, packagerArgs({ input: { kind: 'flv-pipe' }, audio: 'copy' }), { input: flv, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'ignore'] });
}

function read(chunks: Buffer[]): { init: Buffer[]; fragments: Fmp4Fragment[] } {
  const init: Buffer[] = [];
  const fragments: Fmp4Fragment[] = [];
  const reader = new Fmp4Reader((i) => init.push(i.data), (f) => fragments.push(f));
  for (const chunk of chunks) reader.push(chunk);
  return { init, fragments };
}

describe('fragmented MP4 from the packager', () => {
  const sample = packagedSample();

  it('splits into the init section and 200 ms fragments, each second beginning with a keyframe', () => {
    const { init, fragments } = read([sample]);
    expect(init).toHaveLength(1);
    expect(init[0]!.toString('latin1', 4, 8)).toBe('ftyp');
    expect(fragments).toHaveLength(15);
    // The first one carries the audio priming offset (21 ms here); the rest are exactly 200 ms.
    expect(fragments[0]!.duration).toBeLessThanOrEqual(PART_TARGET);
    for (const f of fragments.slice(1)) expect(f.duration).toBeCloseTo(FRAGMENT_SECONDS, 3);
    expect(fragments.map((f) => f.independent)).toEqual(fragments.map((_, i) => i % 5 === 0));
    // Nothing lost or added: init and fragments are the stream, but for the index ffmpeg adds at its end.
    const bytes = Buffer.concat([...init, ...fragments.map((f) => f.data)]);
    expect(sample.subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(sample.toString('latin1', bytes.length + 4, bytes.length + 8)).toBe('mfra');
  });

  it('gives the same result whatever sizes the pipe delivers it in (down to single bytes)', () => {
    const whole = read([sample]);
    const chunks: Buffer[] = [];
    for (let at = 0, size = 1; at < sample.length; at += size, size = (size * 7 + 3) % 70_001 || 1) chunks.push(sample.subarray(at, at + size));
    const pieces = read(chunks);
    expect(pieces.fragments.map((f) => [f.duration, f.independent])).toEqual(whole.fragments.map((f) => [f.duration, f.independent]));
    expect(Buffer.concat(pieces.fragments.map((f) => f.data)).equals(Buffer.concat(whole.fragments.map((f) => f.data)))).toBe(true);
  });
});
