// Ingest benchmark (issue 6). One 1080p30 stream of about 6 Mbit/s (H.264, keyframe each second,
// no B-frames, AAC) is pushed over RTMP for BENCH_SECONDS:
//  - into radacast (the server in a child process, as `npm start` runs it), measuring the CPU of
//    the server plus its ffmpeg as a share of one core, while hls.js in Debian's Chromium plays
//    the live playlist and the playhead's program date-time is compared with the wall clock;
//  - into `ffmpeg -listen 1 … -c copy` writing the same fMP4 HLS to local files, the baseline.
// The source is encoded once beforehand, and pushed with `-c copy`, so the encoder costs nothing
// to either side. CPU is read from /proc (user + system time of the processes).
// Run: npx tsx bench/ingest.ts   (BENCH_SECONDS=60, BENCH_HLS_CONFIG='{"liveSyncDurationCount":2}')
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { IngestInfo } from '../protocol/media.ts';
import { launchChromium } from '../test/support/browser.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = 5;
const FFMPEG = '/usr/bin/ffmpeg';
const PASSWORD = 'bench-admin-password';
const CLOCK_TICKS = 100; // USER_HZ on Linux
/** hls.js settings of the player, e.g. BENCH_HLS_CONFIG='{"liveSyncDurationCount":2}'; default: hls.js defaults. */
const PLAYER_CONFIG = JSON.parse(process.env.BENCH_HLS_CONFIG ?? '{}') as Record<string, unknown>;
const work = mkdtempSync(join(tmpdir(), 'radacast-bench-ingest-'));

function run(bin: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** user + system CPU ticks of a process, and of it with its descendants still running. */
function cpuTicks(root: number): { own: number; total: number } {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) pending.push(child);
  }
  return { own: stats.get(root)?.ticks ?? 0, total };
}

/** Shares of one core used by `pid` alone and with its descendants over `seconds`. */
async function measureCpu(pid: number, seconds: number): Promise<{ own: number; total: number }> {
  const before = cpuTicks(pid);
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const after = cpuTicks(pid);
  const share = (ticks: number) => ticks / CLOCK_TICKS / elapsed;
  return { own: share(after.own - before.own), total: share(after.total - before.total) };
}

async function encodeSource(): Promise<string> {
  const file = join(work, 'source.flv');
  const encoder = run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(SECONDS + WARMUP_S + 5),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '0',
    '-b:v', '6M', '-maxrate', '6M', '-bufsize', '6M',
    '-c:a', 'aac', '-b:a', '128k',
    '-f', 'flv', file,
  ]);
  if ((await exited(encoder)) !== 0) throw new Error('could not encode the source');
  return file;
}

function push(source: string, url: string): ChildProcess {
  return run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-re', '-i', source, '-c', 'copy', '-f', 'flv', url]);
}

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
  const [port, rtmpPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    RADACAST_DATA_DIR: join(work, 'data'),
    RADACAST_ADMIN_PASSWORD: PASSWORD,
    RADACAST_RTMP_PORT: String(rtmpPort),
    RADACAST_SRT_PORTS: 'off',
    RADACAST_LOG_LEVEL: 'warn',
  };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const server = run(process.execPath, ['--import', tsx, 'server/main.ts'], { env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false)) break;
    if (i > 300) throw new Error('the server did not start');
    await sleep(100);
  }
  const login = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const command = { type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } };
  await fetch(`${url}/api/commands`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(command) });
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
  const source = await encodeSource();
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
