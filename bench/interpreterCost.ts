// What the sign-language interpreter costs the server (issue 17): its own small rendition (what
// radacast does: server/media/webrtc/interpreterRendition.ts) against compositing it into the
// program (the alternative: decode the full-size program, overlay the interpreter, encode it all
// again). Both run once over the same inputs — a 1080p30 program and a 720p30 camera, H.264, made
// beforehand and not counted — as fast as they can, and ffmpeg's own -benchmark reports the CPU
// time (user + system) it took; divided by the seconds of media, that is the share of one core
// each needs to keep up live. The rendition's arguments are the server's own, verbatim.
// Run: npx tsx bench/interpreterCost.ts   (BENCH_SECONDS=20)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interpreterRenditionArgs } from '../server/media/webrtc/interpreterRendition.ts';
import { rungKbps } from '../server/media/ffmpegArgs.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const FFMPEG = process.env.RADACAST_FFMPEG ?? '/usr/bin/ffmpeg';

function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg failed [code:${code}] ${err.slice(-2000)}`))));
  });
}

/** CPU seconds from ffmpeg's `-benchmark` line ("bench: utime=1.234s stime=0.056s rtime=…"). */
function cpuSeconds(stderr: string): number {
  const m = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(stderr);
  if (!m?.[1] || !m[2]) throw new Error(`no -benchmark line in ffmpeg's output:\n${stderr.slice(-1000)}`);
  return Number(m[1]) + Number(m[2]);
}

const dir = mkdtempSync(join(tmpdir(), 'radacast-interpreter-cost-'));
try {
  const program = join(dir, 'program.mp4');
  const camera = join(dir, 'camera.mp4');
  const source = (size: string, file: string, kbps: number) =>
    ffmpeg(['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', `${kbps}k`, '-g', '60', '-pix_fmt', 'yuv420p', '-y', file]);
  await source('1920x1080', program, rungKbps(1080));
  await source('1280x720', camera, 2500);

  const renditionDir = join(dir, 'rendition');
  mkdirSync(renditionDir);
  // ffmpeg prints its -benchmark line at the info level, which the server's arguments silence.
  const verbose = (args: string[]) => args.map((a, i) => (args[i - 1] === '-loglevel' ? 'info' : a));
  const rendition = cpuSeconds(await ffmpeg(['-benchmark', ...verbose(interpreterRenditionArgs(camera, renditionDir))]));

  // The composite: the whole program decoded and encoded again at its own size and bitrate, the
  // interpreter (decoded, scaled) laid over a corner.
  const composite = cpuSeconds(
    await ffmpeg([
      '-benchmark', '-hide_banner', '-nostats', '-loglevel', 'info',
      '-i', program, '-i', camera,
      '-filter_complex', '[1:v]scale=480:270[pip];[0:v][pip]overlay=W-w-24:H-h-24,format=yuv420p[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency',
      '-b:v', `${rungKbps(1080)}k`, '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
      '-f', 'mp4', '-y', join(dir, 'composite.mp4'),
    ]), // prettier-ignore
  );
  const share = (cpu: number) => `${((cpu / SECONDS) * 100).toFixed(0)} % of a core`;
  console.log(`media: ${SECONDS} s (program 1920x1080 30 fps, interpreter camera 1280x720 30 fps)`);
  console.log(`interpreter rendition (480x270 25 fps, 400 kb/s): ${rendition.toFixed(2)} s CPU = ${share(rendition)}`);
  console.log(`composite into the 1080p program (${rungKbps(1080)} kb/s):  ${composite.toFixed(2)} s CPU = ${share(composite)}`);
  console.log(`the composite costs ${(composite / rendition).toFixed(1)}× the rendition`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
