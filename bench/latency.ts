// Glass-to-glass latency benchmark (issue 15). A source draws its own clock into the picture as
// a row of black and white blocks (test/support/glassToGlass.ts), pushes it over RTMP into a
// radacast server, and Debian's Chromium plays the room's live playlist with hls.js twice at
// once: in low-latency mode (parts, blocking reload, target from PART-HOLD-BACK — the residents'
// player) and as plain HLS the way the player ran before (full segments, two segments behind).
// Every presented frame's blocks are read (requestVideoFrameCallback + canvas): latency is the
// frame's display time minus the time the source made it. After a 10 s warm-up, BENCH_SECONDS of
// frames are measured; median and p95 of both are printed, and their ratio.
// Run: npx tsx bench/latency.ts   (BENCH_SECONDS=60)
import { launchChromium } from '../test/support/browser.ts';
import {
  framesShown,
  latencyWebsite,
  listen,
  LOW_LATENCY_HLS,
  percentile,
  PLAIN_HLS,
  playWithClock,
  pushClock,
} from '../test/support/glassToGlass.ts';
import { startTestServer } from '../test/support/testServer.ts';
import type { IngestInfo } from '../protocol/media.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARM_UP_S = 10;

const server = await startTestServer();
await server.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
const info = (await (await fetch(`${server.url}/api/rooms/plenary/ingest`, { headers: { cookie: await server.login() } })).json()) as IngestInfo;
const clock = pushClock(info.rtmp.url, SECONDS + WARM_UP_S + 30);
const website = latencyWebsite();
const origin = await listen(website);
const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
try {
  const playlist = `${server.url}/hls/plenary/index.m3u8`;
  // The playlist answers once the first segment is there.
  while ((await fetch(playlist)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  const players = { 'LL-HLS': LOW_LATENCY_HLS, 'plain HLS': PLAIN_HLS };
  const readers = await Promise.all(
    Object.values(players).map(async (config) => {
      const page = await browser.newPage();
      const read = await playWithClock(page, origin, playlist, config, clock);
      await framesShown(page, 30);
      return read;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_S * 1000));
  for (const read of readers) await read();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const results = await Promise.all(readers.map((read) => read()));
  const figures = Object.keys(players).map((name, i) => {
    const { latencies, fatal } = results[i]!;
    return { name, frames: latencies.length, median: percentile(latencies, 50), p95: percentile(latencies, 95), fatal };
  });
  console.log(`glass-to-glass over ${SECONDS} s (both players at once, 640x360 30 fps source over RTMP):`);
  for (const f of figures) {
    console.log(
      `  ${f.name.padEnd(9)}  median ${(f.median / 1000).toFixed(2)} s  p95 ${(f.p95 / 1000).toFixed(2)} s  (${f.frames} frames${f.fatal.length ? `, fatal: ${f.fatal.join(' ')}` : ''})`,
    );
  }
  const [ll, plain] = figures;
  console.log(`  ratio LL/plain: median ${(ll!.median / plain!.median).toFixed(2)}, p95 ${(ll!.p95 / plain!.p95).toFixed(2)}`);
  console.log(`  target (LL-HLS): median ≤ 1.5 s ${ll!.median <= 1500 ? 'met' : 'NOT met'}, p95 ≤ 2.5 s ${ll!.p95 <= 2500 ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  website.close();
  await clock.kill();
  await server.close();
}
