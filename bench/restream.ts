// Restream benchmark (issue 14). One 1080p30 stream of about 6 Mbit/s is pushed over RTMP into
// radacast (a child process, as `npm start` runs it) for BENCH_SECONDS, with no, one and three
// destinations — each a real `ffmpeg -listen 1` RTMP receiver on loopback — and the CPU of the
// server with its ffmpeg children is measured. The baseline: `ffmpeg -c copy` to the same
// receivers started by hand, one per receiver. What each destination adds to the server is
// compared with what one such ffmpeg costs (target: at most 1.5 ×).
// Run: npx tsx bench/restream.ts   (BENCH_SECONDS=60)
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestInfo } from '../protocol/media.ts';
import type { DestinationView } from '../protocol/restream.ts';
import { encodeSource, exited, FFMPEG, freePort, measureCpu, push, run, sleep, startRadacast } from './mediaBench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = 8;
const PASSWORD = 'bench-admin-password';
const work = mkdtempSync(join(tmpdir(), 'radacast-bench-restream-'));

interface Receiver {
  url: string;
  key: string;
  process: ChildProcess;
}

/** `count` RTMP receivers that copy what they get to nowhere (their own CPU is not measured). */
async function receivers(count: number): Promise<Receiver[]> {
  const started: Receiver[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const key = `bench-key-${i}-${Math.random().toString(36).slice(2)}`;
    const url = `rtmp://127.0.0.1:${port}/live`;
    const process = run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-listen', '1', '-f', 'flv', '-i', `${url}/${key}`, '-c', 'copy', '-f', 'null', '-']);
    started.push({ url, key, process });
  }
  await sleep(500);
  return started;
}

async function stopAll(processes: ChildProcess[]): Promise<void> {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => exited(p)));
}

/** CPU of radacast (node and its ffmpeg children) with `count` destinations live. */
async function radacastRun(source: string, count: number): Promise<{ own: number; total: number }> {
  const targets = await receivers(count);
  const { server, url, cookie } = await startRadacast(join(work, `server-${count}`), PASSWORD);
  const headers = { cookie, 'content-type': 'application/json' };
  for (const [i, r] of targets.entries()) {
    const body = { name: `Receiver ${i + 1}`, kind: 'custom', url: r.url, key: r.key, enabled: true };
    const res = await fetch(`${url}/api/rooms/plenary/destinations/r${i + 1}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`destination not created [status:${res.status}] ${await res.text()}`);
  }
  const info = (await (await fetch(`${url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;
  const encoder = push(source, info.rtmp.url);
  await sleep(WARMUP_S * 1000);
  const list = (await (await fetch(`${url}/api/rooms/plenary/destinations`, { headers: { cookie } })).json()) as DestinationView[];
  const notLive = list.filter((d) => d.status.state !== 'live');
  if (notLive.length > 0) throw new Error(`destinations not live after the warm-up: ${JSON.stringify(notLive.map((d) => d.status))}`);
  const cpu = await measureCpu(server.pid!, SECONDS);
  encoder.kill('SIGKILL');
  server.kill('SIGTERM');
  await exited(server);
  await stopAll(targets.map((t) => t.process));
  return cpu;
}

/** CPU of each of `count` hand-started `ffmpeg -re -i source -c copy -f flv rtmp://…`, one per receiver. */
async function byHandRun(source: string, count: number): Promise<number[]> {
  const targets = await receivers(count);
  const pushers = targets.map((r) => push(source, `${r.url}/${r.key}`));
  await sleep(WARMUP_S * 1000);
  const cpu = await Promise.all(pushers.map((p) => measureCpu(p.pid!, SECONDS)));
  await stopAll([...pushers, ...targets.map((t) => t.process)]);
  return cpu.map((c) => c.total);
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

try {
  process.stdout.write(`restream benchmark: 1080p30 ≈6 Mbit/s over RTMP, ${SECONDS} s per run, ${cpus().length} cores (CPU as a share of one core)\n`);
  const source = await encodeSource(work, SECONDS + WARMUP_S + 10);
  const none = await radacastRun(source, 0);
  const one = await radacastRun(source, 1);
  const three = await radacastRun(source, 3);
  const hand1 = await byHandRun(source, 1);
  const hand3 = await byHandRun(source, 3);
  const lone1 = hand1[0]!;
  const lone3 = hand3.reduce((a, b) => a + b, 0) / hand3.length;
  const added1 = one.total - none.total;
  const added3 = (three.total - none.total) / 3;
  const line = (label: string, cpu: { own: number; total: number }) =>
    `${label}${pct(cpu.total)} (node ${pct(cpu.own)}, ffmpeg ${pct(cpu.total - cpu.own)})\n`;
  process.stdout.write(line('radacast, no destination:      ', none));
  process.stdout.write(line('radacast, one destination:     ', one));
  process.stdout.write(line('radacast, three destinations:  ', three));
  process.stdout.write(`ffmpeg -c copy by hand, one:    ${pct(lone1)}\n`);
  process.stdout.write(`ffmpeg -c copy by hand, three:  ${hand3.map(pct).join(', ')} (mean ${pct(lone3)})\n`);
  process.stdout.write(`added per destination, one:    ${pct(added1)} → ratio ${(added1 / lone1).toFixed(2)} (target ≤ 1.5)\n`);
  process.stdout.write(`added per destination, three:  ${pct(added3)} → ratio ${(added3 / lone3).toFixed(2)} (target ≤ 1.5)\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
