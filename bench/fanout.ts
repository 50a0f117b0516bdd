// Fan-out benchmark (issue 3): N subscribers on `/live` in separate processes, a clerk issuing
// vote.cast commands over HTTP; latency from the command's acknowledgement to its arrival at
// each subscriber (p50, p99, max) at N = 1,000 and 5,000, against a bare `ws` server
// broadcasting the same payload to the same N (baseline), and memory per idle subscriber.
// Run: npx tsx bench/fanout.ts [N ...]
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { SittingUpdate } from '../protocol/socket.ts';
import { DEPUTIES } from '../test/support/demoSitting.ts';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const NS = SIZES.length > 0 ? SIZES : [1000, 5000];
const WORKERS = Number(process.env.FANOUT_WORKERS ?? 4);
const COMMANDS = 100;
const INTERVAL_MS = Number(process.env.FANOUT_INTERVAL_MS ?? 100);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const now = () => performance.timeOrigin + performance.now();

type Msg = { type: string; [k: string]: unknown };

function start(script: string, args: string[] = []): ChildProcess {
  return fork(here(script), args, { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function next(child: ChildProcess, type: string): Promise<Msg> {
  return new Promise((resolve) => {
    const on = (m: Msg) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
  });
}

async function memory(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  const reply = next(child, 'memory');
  child.send({ type: 'memory' });
  return (await reply) as unknown as { rss: number; heapUsed: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  p50: number;
  p99: number;
  max: number;
  missing: number;
  bytesPerSubscriber: number;
  heapPerSubscriber: number;
}

async function run(mode: 'socketio' | 'ws', n: number, sample: string | null): Promise<{ result: Result; sample: string }> {
  const server = start(mode === 'socketio' ? './fanout/server.ts' : './fanout/wsServer.ts');
  const { port } = (await next(server, 'ready')) as unknown as { port: number };
  const url = `http://127.0.0.1:${port}`;
  let cookie = '';
  let payload = sample ?? '';
  if (mode === 'socketio') {
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'bench-password' }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
  const send = async (i: number): Promise<number> => {
    const body =
      mode === 'socketio'
        ? JSON.stringify({ type: 'vote.cast', sittingId: 'demo-plenary', voteId: 'v1', memberId: DEPUTIES[i % 42], choice: i % 84 < 42 ? 'for' : 'against' })
        : payload.replace('"seq":0', `"seq":${i}`);
    const res = await fetch(mode === 'socketio' ? `${url}/api/commands` : `${url}/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    });
    const answer = (await res.json()) as { ok: boolean; seq?: number };
    if (!answer.ok) throw new Error(`command refused: ${JSON.stringify(answer)}`);
    return answer.seq ?? i;
  };

  if (mode === 'socketio') {
    // One real update, so the baseline broadcasts a payload of the same size.
    const probe = io(`${url}/live`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => probe.emit('subscribe', { sittingId: 'demo-plenary' }, () => resolve()));
    const got = new Promise<SittingUpdate>((resolve) => probe.once('update', resolve));
    await send(1000);
    payload = JSON.stringify({ ...(await got), seq: 0 });
    probe.close();
  }

  const before = await memory(server);
  const workers = Array.from({ length: WORKERS }, (_, w) =>
    start('./fanout/subscribers.ts', [mode, url, String(Math.floor(n / WORKERS) + (w < n % WORKERS ? 1 : 0))]),
  );
  await Promise.all(workers.map((w) => next(w, 'ready')));
  await sleep(500);
  const after = await memory(server);

  const acks: Record<string, number> = {};
  for (let i = 0; i < COMMANDS; i++) {
    const started = now();
    const seq = await send(i);
    acks[seq] = now();
    await sleep(Math.max(0, INTERVAL_MS - (now() - started)));
  }
  await sleep(1500);
  const replies = await Promise.all(
    workers.map((w) => {
      const reply = next(w, 'latencies');
      w.send({ type: 'latencies', acks });
      return reply as Promise<unknown> as Promise<{ latencies: number[]; missing: number }>;
    }),
  );
  const all = replies.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const missing = replies.reduce((s, r) => s + r.missing, 0);
  for (const w of workers) w.send({ type: 'stop' });
  server.send({ type: 'stop' });
  await Promise.all([server, ...workers].map((c) => new Promise((r) => c.once('exit', r))));
  return {
    sample: payload,
    result: {
      p50: pct(all, 50),
      p99: pct(all, 99),
      max: all.at(-1) ?? NaN,
      missing,
      bytesPerSubscriber: (after.rss - before.rss) / n,
      heapPerSubscriber: (after.heapUsed - before.heapUsed) / n,
    },
  };
}

const f = (x: number) => x.toFixed(1).padStart(7);
console.log(`fan-out: ${COMMANDS} vote.cast commands every ${INTERVAL_MS} ms, ${WORKERS} subscriber processes, 2-core machine`);
for (const n of NS) {
  const io1 = await run('socketio', n, null);
  const ws = await run('ws', n, io1.sample);
  const a = io1.result;
  const b = ws.result;
  console.log(`\nN = ${n} subscribers (update payload ${io1.sample.length} bytes)`);
  console.log(`  radacast /live (socket.io): p50 ${f(a.p50)} ms  p99 ${f(a.p99)} ms  max ${f(a.max)} ms  missing ${a.missing}`);
  console.log(`  baseline bare ws          : p50 ${f(b.p50)} ms  p99 ${f(b.p99)} ms  max ${f(b.max)} ms  missing ${b.missing}`);
  console.log(`  ratio radacast/baseline   : p50 ${(a.p50 / b.p50).toFixed(2)}  p99 ${(a.p99 / b.p99).toFixed(2)}`);
  console.log(
    `  memory per idle subscriber: radacast ${(a.bytesPerSubscriber / 1024).toFixed(1)} KB RSS (${(a.heapPerSubscriber / 1024).toFixed(1)} KB heap), ` +
      `baseline ${(b.bytesPerSubscriber / 1024).toFixed(1)} KB RSS (${(b.heapPerSubscriber / 1024).toFixed(1)} KB heap)`,
  );
}
