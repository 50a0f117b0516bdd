// Glass-to-glass latency, measured from the picture itself: the source (ffmpeg) draws the
// milliseconds since an epoch into every frame as a row of black and white blocks, the page
// reads the blocks of each frame the browser presents (requestVideoFrameCallback + canvas) and
// records display time − source time. Nothing the server stamps (PROGRAM-DATE-TIME) is used.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { LineSplitter } from '../../server/media/ffmpegLog.ts';

/** Bits of the clock: 2^26 ms is 18 hours after the epoch. */
const BITS = 26;
const WIDTH = 640;
const HEIGHT = 360;
const BLOCK = WIDTH / 32;

export interface ClockSource {
  /** The wall-clock ms the blocks count from (frame t was made at epoch + t). */
  epoch(): number;
  exited: Promise<void>;
  kill(): Promise<void>;
}

/**
 * Pushes a 640x360 30 fps picture with the clock in its top row of blocks over RTMP (H.264,
 * keyframe each second, no B-frames, x264 zerolatency; AAC tone). The blocks hold the frame's
 * time t (ms); `-re` makes frame t at epoch + t. The epoch is read from ffmpeg itself: `showinfo`
 * logs each frame as the source makes it, and the earliest (log arrival − t) is taken — a frame
 * made late under load only makes the latency figure err on the high side.
 */
export function pushClock(url: string, seconds: number): ClockSource {
  return clockSource(seconds, ['-c:a', 'aac', '-b:a', '64k', '-f', 'flv', url]);
}

/**
 * The same clock picture and tone with other outputs: `outputs` follows the video encoder
 * settings (audio codec, format and destination; see test/support/whip.ts for RTP to WebRTC).
 */
export function clockSource(seconds: number, outputs: string[]): ClockSource {
  let epoch = Number.POSITIVE_INFINITY;
  const blocks = ['showinfo', `drawbox=x=0:y=0:w=${WIDTH}:h=${BLOCK * 2}:color=black:t=fill`];
  for (let bit = 0; bit < BITS; bit++) {
    blocks.push(
      `drawbox=x=${bit * BLOCK}:y=0:w=${BLOCK}:h=${BLOCK * 2}:color=white:t=fill:enable='mod(floor(t*1000/${2 ** bit}),2)'`,
    );
  }
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-vf', blocks.join(','),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '0',
    ...outputs,
  ]; // prettier-ignore
  const child = spawn('/usr/bin/ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const splitter = new LineSplitter();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const at = Date.now();
    for (const line of splitter.push(chunk)) {
      const frame = /Parsed_showinfo_0 .* pts_time:([\d.]+)/.exec(line);
      if (frame) epoch = Math.min(epoch, at - Number(frame[1]) * 1000);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    epoch: () => epoch,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Page script reading the clock of every frame `#video` presents into `window.frames`
 * ([display time, clock ms]); shared by the HLS page here and the WHEP page of bench/webrtc.ts.
 */
export const FRAME_READER = `
  window.frames = [];
  const video = document.getElementById('video');
  const canvas = document.createElement('canvas');
  canvas.width = ${WIDTH};
  canvas.height = ${BLOCK * 2};
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const onFrame = (_now, frame) => {
    context.drawImage(video, 0, 0, ${WIDTH}, ${HEIGHT}, 0, 0, ${WIDTH}, ${HEIGHT});
    const row = context.getImageData(0, 0, ${WIDTH}, ${BLOCK * 2}).data;
    let ms = 0;
    for (let bit = 0; bit < ${BITS}; bit++) {
      const x = bit * ${BLOCK} + ${BLOCK / 2};
      const i = (${BLOCK} * ${WIDTH} + x) * 4;
      if (row[i] > 128) ms += 2 ** bit;
    }
    window.frames.push([performance.timeOrigin + frame.expectedDisplayTime, ms]);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
`;

const HLS_JS = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');

/**
 * A page on its own origin with hls.js (config from the query string, JSON) playing `source`,
 * reading the clock of every presented frame into `window.frames` ([display time, clock ms]).
 */
export function latencyWebsite(): Server {
  const page = `<!doctype html><html><body>
<video id="video" muted playsinline width="${WIDTH}" height="${HEIGHT}"></video>
<script src="/hls.min.js"></script>
<script>
${FRAME_READER}
  const params = new URLSearchParams(location.search);
  window.fatal = [];
  const hls = new Hls(JSON.parse(params.get('config')));
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) window.fatal.push(data.details); });
  hls.loadSource(params.get('source'));
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
</script></body></html>`;
  return createServer((req, res) => {
    if (req.url === '/hls.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(HLS_JS);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/**
 * Opens the player on `page`; returns a reader of the glass-to-glass latencies (ms) of the
 * frames presented since the last read.
 */
export async function playWithClock(
  page: Page,
  website: string,
  source: string,
  config: object,
  clock: ClockSource,
): Promise<() => Promise<{ latencies: number[]; fatal: string[] }>> {
  const query = new URLSearchParams({ source, config: JSON.stringify(config) });
  await page.goto(`${website}?${query.toString()}`);
  return async () => {
    const { frames, fatal } = await page.evaluate(() => {
      const w = window as unknown as { frames: [number, number][]; fatal: string[] };
      const frames = w.frames;
      w.frames = [];
      return { frames, fatal: w.fatal };
    });
    return { latencies: frames.map(([shown, ms]) => shown - (clock.epoch() + ms)), fatal };
  };
}

/** Resolves once the page has presented `count` frames since the last read. */
export async function framesShown(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { frames: unknown[] }).frames.length > n, count, { timeout: 30_000 });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The hls.js settings compared: today's plain HLS (two segments behind) and low-latency mode. */
export const PLAIN_HLS = { lowLatencyMode: false, liveSyncDurationCount: 2 };
export const LOW_LATENCY_HLS = { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 };
