// What the media benchmarks share: child processes, free ports, CPU read from /proc (user +
// system time of a process and its descendants), the 1080p30 source encoded once and pushed
// with `-c copy`, and radacast started as `npm start` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const FFMPEG = '/usr/bin/ffmpeg';
export const CLOCK_TICKS = 100; // USER_HZ on Linux

export function run(bin: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
}

export function exited(child: ChildProcess): Promise<number | null> {
  // A child that ended on its own already (a receiver whose caller left) emits nothing more.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process and its descendants still running: user + system CPU ticks and command line of each. */
export function processTree(root: number): { pid: number; ticks: number; cmdline: string }[] {
  const stats = new Map<number, { ppid: number; ticks: number; cmdline: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  const tree: { pid: number; ticks: number; cmdline: string }[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const s = stats.get(pid);
    if (s) tree.push({ pid, ticks: s.ticks, cmdline: s.cmdline });
    for (const [child, c] of stats) if (c.ppid === pid) pending.push(child);
  }
  return tree;
}

/** user + system CPU ticks of a process, and of it with its descendants still running. */
export function cpuTicks(root: number): { own: number; total: number } {
  const tree = processTree(root);
  return { own: tree.find((p) => p.pid === root)?.ticks ?? 0, total: tree.reduce((sum, p) => sum + p.ticks, 0) };
}

/** Shares of one core used by `pid` alone and with its descendants over `seconds`. */
export async function measureCpu(pid: number, seconds: number): Promise<{ own: number; total: number }> {
  const before = cpuTicks(pid);
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const after = cpuTicks(pid);
  const share = (ticks: number) => ticks / CLOCK_TICKS / elapsed;
  return { own: share(after.own - before.own), total: share(after.total - before.total) };
}

/** A 1080p30 ≈6 Mbit/s H.264 + AAC source of `seconds`, encoded once so pushing it costs no encoding. */
export async function encodeSource(work: string, seconds: number): Promise<string> {
  const file = join(work, 'source.flv');
  const encoder = run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '0',
    '-b:v', '6M', '-maxrate', '6M', '-bufsize', '6M',
    '-c:a', 'aac', '-b:a', '128k',
    '-f', 'flv', file,
  ]);
  if ((await exited(encoder)) !== 0) throw new Error('could not encode the source');
  return file;
}

export function push(source: string, url: string): ChildProcess {
  return run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-re', '-i', source, '-c', 'copy', '-f', 'flv', url]);
}

/** radacast in a child process with a `plenary` room, logged in as admin. */
export async function startRadacast(work: string, password: string, extraEnv: Record<string, string> = {}): Promise<{ server: ChildProcess; url: string; cookie: string }> {
  const [port, rtmpPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    RADACAST_DATA_DIR: join(work, 'data'),
    RADACAST_ADMIN_PASSWORD: password,
    RADACAST_RTMP_PORT: String(rtmpPort),
    RADACAST_SRT_PORTS: 'off',
    RADACAST_LOG_LEVEL: 'warn',
    ...extraEnv,
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
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const command = { type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } };
  await fetch(`${url}/api/commands`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(command) });
  return { server, url, cookie };
}
