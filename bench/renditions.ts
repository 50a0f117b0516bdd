// Renditions benchmark (issue 16). A 1080p30 ≈6 Mbit/s stream (H.264, keyframe each second, AAC)
// is pushed over RTMP into radacast (a child process, as `npm start` runs it) for BENCH_SECONDS
// with RADACAST_RENDITIONS=source,720p,audio and then source,480p,audio, measuring from /proc the
// CPU of the ladder's ffmpeg (the transcoded rendition) and of the rest (node + the packager),
// and whether the ladder kept up (the status shows `renditions-behind` when it did not).
// Baselines: ffmpeg alone doing the same encode from the file at real time (-re), writing the
// same fragmented MP4 to /dev/null. The audio-only rendition costs no ffmpeg: Node cuts it from
// the program's fragments — measured in this process over the whole source, against ffmpeg
// alone copying the audio to fragmented MP4.
// Run: npx tsx bench/renditions.ts   (BENCH_SECONDS=30, RADACAST_RENDITIONS_PRESET=veryfast)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestInfo, IngestStatus } from '../protocol/media.ts';
import { audioOnlyFragment, audioOnlyInit, type AudioInit } from '../server/media/audioTrack.ts';
import { rungKbps } from '../server/media/ffmpegArgs.ts';
import { Fmp4Reader } from '../server/media/fmp4.ts';
import { CLOCK_TICKS, encodeSource, exited, FFMPEG, measureCpu, processTree, push, run, sleep, startRadacast } from './mediaBench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PRESET = process.env.RADACAST_RENDITIONS_PRESET ?? 'veryfast';
const WARMUP_S = 5;
const PASSWORD = 'bench-admin-password';
const work = mkdtempSync(join(tmpdir(), 'radacast-bench-renditions-'));

/** CPU ticks of the descendants of `root` whose command line matches, and of all the others (root included). */
function ticksBy(root: number, matches: (cmdline: string) => boolean): { matched: number; rest: number } {
  const tree = processTree(root);
  const matched = tree.filter((p) => p.pid !== root && matches(p.cmdline)).reduce((sum, p) => sum + p.ticks, 0);
  return { matched, rest: tree.reduce((sum, p) => sum + p.ticks, 0) - matched };
}

const isLadder = (cmdline: string) => cmdline.includes('-force_key_frames');

async function radacastRun(source: string, height: number): Promise<{ ladder: number; rest: number; behind: boolean; variants: string }> {
  const { server, url, cookie } = await startRadacast(work, PASSWORD, { RADACAST_RENDITIONS: `source,${height}p,audio`, RADACAST_RENDITIONS_PRESET: PRESET });
  const info = (await (await fetch(`${url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;
  const encoder = push(source, info.rtmp.url);
  await sleep(WARMUP_S * 1000);
  const before = ticksBy(server.pid!, isLadder);
  const started = performance.now();
  await sleep(SECONDS * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const after = ticksBy(server.pid!, isLadder);
  const status = (await (await fetch(`${url}/api/rooms/plenary/status`)).json()) as IngestStatus;
  const variants = (await (await fetch(`${url}/hls/plenary/index.m3u8`)).text())
    .split('\n')
    .filter((l) => l.startsWith('#EXT-X-STREAM-INF'))
    .map((l) => /BANDWIDTH=(\d+)/.exec(l)![1] + ' ' + (/RESOLUTION=(\S+?)(,|$)/.exec(l)?.[1] ?? 'audio'))
    .join('; ');
  encoder.kill('SIGKILL');
  server.kill('SIGTERM');
  await exited(server);
  const share = (ticks: number) => ticks / CLOCK_TICKS / elapsed;
  return { ladder: share(after.matched - before.matched), rest: share(after.rest - before.rest), behind: status.problem?.code === 'renditions-behind', variants };
}

/** ffmpeg alone: the same encode from the file at real time, fragmented MP4 to /dev/null. */
async function baseline(source: string, output: string[]): Promise<number> {
  const ffmpeg = run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-re', '-i', source, ...output,
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', '-y', '/dev/null']);
  await sleep(WARMUP_S * 1000);
  const cpu = await measureCpu(ffmpeg.pid!, SECONDS);
  ffmpeg.kill('SIGKILL');
  await exited(ffmpeg);
  return cpu.total;
}

const ladderOutput = (height: number) => [
  '-map', '0:v:0', '-map', '0:a:0', '-vf', `scale=-2:${height}`, '-c:v', 'libx264', '-preset', PRESET, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
  '-b:v', `${rungKbps(height)}k`, '-maxrate', `${rungKbps(height)}k`, '-bufsize', `${2 * rungKbps(height)}k`, '-force_key_frames', 'source', '-bf', '0', '-c:a', 'copy',
];

/** Node's audio cut over the whole source (fragmented as the packager gets it): CPU seconds per second of media. */
async function audioCut(source: string, seconds: number): Promise<number> {
  const fragmented = join(work, 'program.mp4');
  const copy = run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-i', source, '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy',
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', '-y', fragmented]);
  await exited(copy);
  const data = readFileSync(fragmented);
  let init: AudioInit | null = null;
  const fragments: Buffer[] = [];
  new Fmp4Reader((i) => (init = audioOnlyInit(i.data)), (f) => fragments.push(f.data)).push(data);
  const start = process.cpuUsage();
  let bytes = 0;
  for (const f of fragments) bytes += audioOnlyFragment(f, init!)?.length ?? 0;
  const used = process.cpuUsage(start);
  process.stdout.write(`  (cut ${fragments.length} fragments of ${seconds} s into ${Math.round(bytes / 1024)} KB of audio)\n`);
  return (used.user + used.system) / 1e6 / seconds;
}

try {
  process.stdout.write(`renditions benchmark: 1080p30 ≈6 Mbit/s over RTMP, ${SECONDS} s per run, libx264 ${PRESET}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n`);
  const total = SECONDS + WARMUP_S + 10;
  const source = await encodeSource(work, total);
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  for (const height of [720, 480]) {
    const r = await radacastRun(source, height);
    const alone = await baseline(source, ladderOutput(height));
    process.stdout.write(
      `${height}p rendition: ladder ffmpeg ${pct(r.ladder)} of one core (ffmpeg alone from the file: ${pct(alone)}, ratio ${(r.ladder / alone).toFixed(2)}); ` +
        `node + packager ${pct(r.rest)}; ${r.behind ? 'FELL BEHIND' : 'kept up'}; variants: ${r.variants}\n`,
    );
  }
  const cut = await audioCut(source, total);
  const audioAlone = await baseline(source, ['-map', '0:a:0', '-c:a', 'copy']);
  process.stdout.write(`audio-only rendition: Node's cut ${(cut * 100).toFixed(3)} % of one core (ffmpeg alone copying the audio: ${pct(audioAlone)}, ratio ${(cut / audioAlone).toFixed(2)})\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
