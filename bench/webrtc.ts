// WebRTC benchmark (issue 17). A WHIP publisher (werift, like OBS) sends the glass-to-glass clock
// picture (test/support/glassToGlass.ts) as H.264 + Opus into a radacast server with the real
// mediasoup worker. Debian's Chromium then watches the same room twice at once: the WHEP preview
// (the console's program preview) and the residents' LL-HLS player; every presented frame's clock
// is read, so latency is display time − the time the source made the frame. After a warm-up,
// BENCH_SECONDS of frames give the median and p95 of both. Then the worker's CPU (user + system,
// from getrusage) is measured with the publisher alone and with BENCH_VIEWERS WHEP viewers.
// Target: WHEP preview median ≤ 400 ms on loopback.
// BENCH_SOURCE=rtmp: the same clock picture comes from an encoder over RTMP instead (B-frames with
// BENCH_BFRAMES=2, as OBS sends by default): the WHEP preview is then the on-demand feed (an ffmpeg
// reading the room's program into mediasoup), whose CPU is measured too.
// Run: npx tsx bench/webrtc.ts   (BENCH_SECONDS=30 BENCH_VIEWERS=5 BENCH_SOURCE=whip|rtmp BENCH_BFRAMES=0)
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { IngestInfo } from '../protocol/media.ts';
import { loadConfig } from '../server/config.ts';
import { launchChromium } from '../test/support/browser.ts';
import {
  FRAME_READER,
  framesShown,
  latencyWebsite,
  listen,
  LOW_LATENCY_HLS,
  percentile,
  playWithClock,
  clockSource,
  type ClockSource,
} from '../test/support/glassToGlass.ts';
import { startTestServer } from '../test/support/testServer.ts';
import { publishWhip } from '../test/support/whip.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 5);
const WARM_UP_S = 8;
const CPU_WINDOW_S = 10;
const ROOM = 'committee';
const SOURCE = process.env.BENCH_SOURCE === 'rtmp' ? 'rtmp' : 'whip';
const B_FRAMES = Number(process.env.BENCH_BFRAMES ?? 0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startTestServer({ webrtc: { ...loadConfig({}).webrtc, listenIp: '127.0.0.1' } });
if (server.server.webrtc.unavailable) throw new Error(`WebRTC unavailable: ${server.server.webrtc.unavailable}`);
await server.command({ type: 'room.upsert', room: { id: ROOM, name: 'Зала комісій' } });
const cookie = await server.login();
const info = (await (await fetch(`${server.url}/api/rooms/${ROOM}/ingest`, { headers: { cookie } })).json()) as IngestInfo;
const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
// The bench's page runs its reader inline on a page of the server's origin (for the login cookie).
const context = await browser.newContext({ bypassCSP: true });
const [name, value] = cookie.split('=') as [string, string];
await context.addCookies([{ name, value, url: server.url }]);

/** A page of the server's origin (the login cookie applies) playing the WHEP preview with the clock reader. */
async function whepPage(clock: ClockSource): Promise<{ page: Page; read: () => Promise<number[]> }> {
  const page = await context.newPage();
  await page.goto(`${server.url}/api/health`);
  await page.setContent('<video id="video" muted playsinline autoplay width="640" height="360"></video>');
  await page.addScriptTag({ content: FRAME_READER });
  await page.evaluate(async (room) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      (document.getElementById('video') as HTMLVideoElement).srcObject = stream;
    };
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(`/whep/${room}`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', 'x-requested-with': 'bench' },
      body: pc.localDescription!.sdp,
    });
    if (res.status !== 201) throw new Error(`WHEP refused: ${res.status} ${await res.text()}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  }, ROOM);
  const read = async () => {
    const frames = await page.evaluate(() => {
      const w = window as unknown as { frames: [number, number][] };
      const f = w.frames;
      w.frames = [];
      return f;
    });
    return frames.map(([shown, ms]) => shown - (clock.epoch() + ms));
  };
  return { page, read };
}

async function cpuPercent(seconds: number): Promise<number> {
  const before = (await server.server.webrtc.workerCpuMs())!;
  await sleep(seconds * 1000);
  const after = (await server.server.webrtc.workerCpuMs())!;
  return ((after - before) / (seconds * 1000)) * 100;
}

/** CPU time (user + system, ms) of a process so far, from /proc (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function feedCpuPercent(seconds: number): Promise<number | null> {
  const pid = await server.server.webrtc.feedPid(ROOM);
  if (pid === undefined) return null;
  const before = processCpuMs(pid);
  await sleep(seconds * 1000);
  return ((processCpuMs(pid) - before) / (seconds * 1000)) * 100;
}

const sourceSeconds = SECONDS + WARM_UP_S + 4 * CPU_WINDOW_S + 60;
const publisher: { clock: ClockSource; stop: () => Promise<void> } =
  SOURCE === 'whip'
    ? await publishWhip(server.url, ROOM, info.rtmp.key, sourceSeconds)
    : (() => {
        const clock = clockSource(sourceSeconds, ['-bf', String(B_FRAMES), '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-f', 'flv', info.rtmp.url]);
        return { clock, stop: () => clock.kill() };
      })();
const website = latencyWebsite();
const origin = await listen(website);
try {
  const playlist = `${server.url}/hls/${ROOM}/index.m3u8`;
  while ((await fetch(playlist)).status !== 200) await sleep(200);

  const cpuPublisher = await cpuPercent(CPU_WINDOW_S);

  const whep = await whepPage(publisher.clock);
  await framesShown(whep.page, 30);
  const hlsPage = await context.newPage();
  const readHls = await playWithClock(hlsPage, origin, playlist, LOW_LATENCY_HLS, publisher.clock);
  await framesShown(hlsPage, 30);
  await sleep(WARM_UP_S * 1000);
  await whep.read();
  await readHls();
  await sleep(SECONDS * 1000);
  const whepLatencies = await whep.read();
  const { latencies: hlsLatencies, fatal } = await readHls();
  await hlsPage.close();

  const [cpuOneViewer, feedCpu] = await Promise.all([cpuPercent(CPU_WINDOW_S), feedCpuPercent(CPU_WINDOW_S)]);
  const extra: Page[] = [];
  for (let i = 1; i < VIEWERS; i++) extra.push((await whepPage(publisher.clock)).page);
  for (const page of extra) await framesShown(page, 10);
  const cpuViewers = await cpuPercent(CPU_WINDOW_S);

  const line = (label: string, values: number[]) =>
    `  ${label.padEnd(13)} median ${Math.round(percentile(values, 50))} ms  p95 ${Math.round(percentile(values, 95))} ms  (${values.length} frames)`;
  const via = SOURCE === 'whip' ? 'WHIP (werift)' : `RTMP (ffmpeg, ${B_FRAMES} B-frames)`;
  console.log(`glass-to-glass over ${SECONDS} s, 640x360 30 fps clock source over ${via}, both players at once:`);
  console.log(line('WHEP preview', whepLatencies));
  console.log(line('LL-HLS', hlsLatencies) + (fatal.length ? `  fatal: ${fatal.join(' ')}` : ''));
  const median = percentile(whepLatencies, 50);
  // The target is the WHIP program's preview; an RTMP-fed one joins after the packager's 200 ms parts.
  if (SOURCE === 'whip') console.log(`  target (WHEP): median ≤ 400 ms ${median <= 400 ? 'met' : 'NOT met'}`);
  console.log(`mediasoup worker CPU (% of one core, ${CPU_WINDOW_S} s windows):`);
  const alone = SOURCE === 'whip' ? "receiving, and forwarding to the HLS bridge; the bridge's ffmpeg not counted" : 'nobody watching: no feed runs';
  console.log(`  publisher alone ${cpuPublisher.toFixed(1)} %  (${alone})`);
  console.log(`  + 1 WHEP viewer ${cpuOneViewer.toFixed(1)} %  → ${(cpuOneViewer - cpuPublisher).toFixed(1)} % per viewer`);
  console.log(
    `  + ${VIEWERS} WHEP viewers ${cpuViewers.toFixed(1)} %  → ${((cpuViewers - cpuPublisher) / VIEWERS).toFixed(1)} % per viewer`,
  );
  if (feedCpu !== null) console.log(`WHEP feed ffmpeg CPU (% of one core, one viewer): ${feedCpu.toFixed(1)} %`);
} finally {
  await publisher.stop();
  await browser.close();
  website.close();
  await server.close();
}
