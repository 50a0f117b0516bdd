// Ingest benchmark (issue 6). One 1080p30 stream of about 6 Mbit/s (H.264, keyframe each second,
// no B-frames, AAC) is pushed over RTMP for BENCH_SECONDS:
//  - into radacast (the server in a child process, as `npm start` runs it), measuring the CPU of
//    the server plus its ffmpeg as a share of one core, while hls.js in Debian's Chromium plays
//    the live playlist and the playhead's program date-time is compared with the wall clock;
//  - into `ffmpeg -listen 1 … -c copy` writing the same fMP4 HLS to local files, the baseline.
// The source is encoded once beforehand, and pushed with `-c copy`, so the encoder costs nothing
// to either side. CPU is read from /proc (user + system time of the processes).
// Run: npx tsx bench/ingest.ts   (BENCH_SECONDS=60, BENCH_HLS_CONFIG='{"liveSyncDurationCount":2}')
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { IngestInfo } from '../protocol/media.ts';
import { launchChromium } from '../test/support/browser.ts';
import { encodeSource, exited, FFMPEG, freePort, measureCpu, push, run, sleep, startRadacast } from './mediaBench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = 5;
const PASSWORD = 'bench-admin-password';
/** hls.js settings of the player, e.g. BENCH_HLS_CONFIG='{"liveSyncDurationCount":2}'; default: hls.js defaults. */
const PLAYER_CONFIG = JSON.parse(process.env.BENCH_HLS_CONFIG ?? '{}') as Record<string, unknown>;
const work = mkdtempSync(join(tmpdir(), 'radacast-bench-ingest-'));

/** The council's website: a page of another origin with hls.js playing `source`. */
async function playerPage(source: string): Promise<{ server: HttpServer; url: string }> {
  const hlsJs = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');
  const html = `<!doctype html><video id="video" muted playsinline></video><script src="/hls.min.js"></script><script>
    const video = document.getElementById('video');
    const hls = new Hls(${JSON.stringify(PLAYER_CONFIG)});
    window.hls = hls;
    hls.loadSource(${JSON.stringify(source)});
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
  </script>`;
  const server = createHttpServer((req, res) => {
    if (req.url === '/hls.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function radacastRun(source: string): Promise<{ cpu: { own: number; total: number }; latencies: number[] }> {
  const { server, url, cookie } = await startRadacast(work, PASSWORD);
  const info = (await (await fetch(`${url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;

  const encoder = push(source, info.rtmp.url);
  await sleep(WARMUP_S * 1000);
  const website = await playerPage(`${url}/hls/plenary/index.m3u8`);
  const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  const page = await browser.newPage();
  await page.goto(website.url);

  const latencies: number[] = [];
  const sampler = setInterval(() => {
    void page
      .evaluate(() => (window as unknown as { hls: { playingDate: Date | null } }).hls.playingDate?.getTime() ?? null)
      .then((at) => at !== null && latencies.push((Date.now() - at) / 1000))
      .catch(() => undefined);
  }, 1000);
  const cpu = await measureCpu(server.pid!, SECONDS - 5);
  clearInterval(sampler);
  await browser.close();
  website.server.close();
  encoder.kill('SIGKILL');
  server.kill('SIGTERM');
  await exited(server);
  return { cpu, latencies: latencies.slice(3) }; // the player's first seconds are its start-up
}

async function baselineRun(source: string): Promise<number> {
  const rtmpPort = await freePort();
  const out = mkdtempSync(join(work, 'baseline-'));
  const receiver = run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-listen', '1', '-f', 'flv', '-i', `rtmp://127.0.0.1:${rtmpPort}/live/bench`,
    '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_segment_type', 'fmp4',
    '-hls_segment_filename', `${out}/seg-%05d.m4s`, '-hls_flags', '+temp_file+independent_segments', `${out}/index.m3u8`,
  ]);
  await sleep(500);
  const encoder = push(source, `rtmp://127.0.0.1:${rtmpPort}/live/bench`);
  await sleep(WARMUP_S * 1000);
  const cpu = await measureCpu(receiver.pid!, SECONDS - 5);
  encoder.kill('SIGKILL');
  await exited(receiver);
  return cpu.total;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

try {
  process.stdout.write(`ingest benchmark: 1080p30 ≈6 Mbit/s over RTMP, ${SECONDS} s, ${cpus().length} cores, hls.js ${JSON.stringify(PLAYER_CONFIG)}\n`);
  const source = await encodeSource(work, SECONDS + WARMUP_S + 5);
  const radacast = await radacastRun(source);
  const baseline = await baselineRun(source);
  const pct = (share: number) => `${(share * 100).toFixed(1)} % of one core`;
  const { own, total } = radacast.cpu;
  process.stdout.write(`radacast (server + ffmpeg, one hls.js viewer): ${pct(total)} (node ${pct(own)}, ffmpeg ${pct(total - own)})\n`);
  process.stdout.write(`baseline (ffmpeg -c copy to local HLS files):  ${pct(baseline)}\n`);
  process.stdout.write(`ratio: ${(total / baseline).toFixed(2)}\n`);
  process.stdout.write(
    `latency (now minus the playhead's program date-time, hls.js in Chromium): median ${percentile(radacast.latencies, 50).toFixed(2)} s, ` +
      `p95 ${percentile(radacast.latencies, 95).toFixed(2)} s over ${radacast.latencies.length} samples\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
