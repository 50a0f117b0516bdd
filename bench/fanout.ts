// Fan-out benchmark (issues 3 and 18): N subscribers on `/live` in separate processes, a clerk
// issuing vote.cast commands over HTTP; latency from the command's acknowledgement to its
// arrival at each subscriber (p50, p99, max) at N = 1,000 and 5,000 — and from the command's
// sending to its arrival (whichever leaves first, update or acknowledgement) and the clerk's
// own wait for the acknowledgement — against a bare `ws` server
// broadcasting the same payload to the same N (baseline), the update's size, memory per idle
// subscriber, and a reconnect storm: with the demo camera live (the view carries a recording),
// all N drop and subscribe again at once — the time until the last is answered.
// The subscribers speak /live with bench/fanout/leanClient.ts (FANOUT_CLIENT=socket.io-client:
// the real client), as cheap per update as the baseline's.
// Run: npx tsx bench/fanout.ts [N ...]   (FANOUT_ROUNDS=k: k rounds and the median ratio)
import type { ChildProcess } from 'node:child_process';
import { io } from 'socket.io-client';
import type { SittingUpdate } from '../protocol/socket.ts';
import { ask, castBody, type Latencies, COMMANDS, INTERVAL_MS, login, measure, next, sleep, start, stop, subscribers, WORKERS, now } from './fanout/harness.ts';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const NS = SIZES.length > 0 ? SIZES : [1000, 5000];
const ROUNDS = Math.max(1, Number(process.env.FANOUT_ROUNDS ?? 1));

const memory = (child: ChildProcess) => ask<{ rss: number; heapUsed: number }>(child, 'memory');

interface Result extends Latencies {
  bytesPerSubscriber: number;
  heapPerSubscriber: number;
}

async function run(mode: 'socketio' | 'ws', n: number, sample: string | null): Promise<{ result: Result; sample: string }> {
  const server = start(mode === 'socketio' ? './server.ts' : './wsServer.ts');
  const { port } = (await next(server, 'ready')) as unknown as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const cookie = mode === 'socketio' ? await login(url) : '';
  let payload = sample ?? '';
  const send = async (i: number): Promise<number> => {
    const body = mode === 'socketio' ? castBody(i) : payload.replace('"seq":0', `"seq":${i}`);
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
  const workers = await subscribers(mode, [url], n);
  await sleep(500);
  const after = await memory(server);
  const latencies = await measure(workers, send);
  await stop([server, ...workers]);
  return {
    sample: payload,
    result: {
      ...latencies,
      bytesPerSubscriber: (after.rss - before.rss) / n,
      heapPerSubscriber: (after.heapUsed - before.heapUsed) / n,
    },
  };
}

/** All N reconnect at once (camera live): ms from the signal until the last subscriber is answered again. */
async function storm(n: number): Promise<{ ms: number; snapshotBytes: number; cpuMs: number }> {
  const server = start('./server.ts', ['camera']);
  const { port } = (await next(server, 'ready')) as unknown as { port: number };
  const url = `http://127.0.0.1:${port}`;
  // Until the camera's recording is part of the sitting's view.
  let snapshotBytes = 0;
  for (let i = 0; i < 100 && snapshotBytes === 0; i++) {
    const view = (await (await fetch(`${url}/api/sittings/demo-plenary`)).text());
    if (view.includes('"recording"')) snapshotBytes = view.length;
    else await sleep(300);
  }
  const workers = await subscribers('socketio', [url], n);
  await sleep(500);
  const cpuBefore = await ask<{ user: number; system: number }>(server, 'cpu');
  const started = now();
  const answers = workers.map((w) => next(w, 'storm'));
  for (const w of workers) w.send({ type: 'storm' });
  const last = Math.max(...(await Promise.all(answers)).map((m) => m.lastAnswer as number));
  const cpuAfter = await ask<{ user: number; system: number }>(server, 'cpu');
  await stop([server, ...workers]);
  return { ms: last - started, snapshotBytes, cpuMs: (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000 };
}

const f = (x: number) => x.toFixed(1).padStart(7);
console.log(`fan-out: ${COMMANDS} vote.cast commands every ${INTERVAL_MS} ms, ${WORKERS} subscriber processes, 2-core machine`);
for (const n of NS) {
  // FANOUT_STORM=only: the reconnect storm alone; =0: without it.
  if (process.env.FANOUT_STORM !== 'only') {
    // FANOUT_ROUNDS=k: k rounds of radacast then the baseline, and the median of their ratios —
    // on a shared machine one round's p99 ratio swings by ±15 % either way.
    const ratios: { p50: number; p99: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const io1 = await run('socketio', n, null);
      const ws = await run('ws', n, io1.sample);
      const a = io1.result;
      const b = ws.result;
      ratios.push({ p50: a.p50 / b.p50, p99: a.p99 / b.p99 });
      console.log(`\nN = ${n} subscribers (update payload ${io1.sample.length} bytes)${ROUNDS > 1 ? `, round ${round} of ${ROUNDS}` : ''}`);
      console.log(`  radacast /live (socket.io): p50 ${f(a.p50)} ms  p99 ${f(a.p99)} ms  max ${f(a.max)} ms  missing ${a.missing}`);
      console.log(`  baseline bare ws          : p50 ${f(b.p50)} ms  p99 ${f(b.p99)} ms  max ${f(b.max)} ms  missing ${b.missing}`);
      console.log(`  ratio radacast/baseline   : p50 ${(a.p50 / b.p50).toFixed(2)}  p99 ${(a.p99 / b.p99).toFixed(2)}`);
      console.log(`  command sent → arrival    : radacast p50 ${f(a.sentP50)} ms  p99 ${f(a.sentP99)} ms; baseline p50 ${f(b.sentP50)} ms  p99 ${f(b.sentP99)} ms (ratio p99 ${(a.sentP99 / b.sentP99).toFixed(2)})`);
      console.log(`  clerk's wait for the ack  : radacast p50 ${f(a.ackP50)} ms  p99 ${f(a.ackP99)} ms; baseline p50 ${f(b.ackP50)} ms  p99 ${f(b.ackP99)} ms`);
      console.log(
        `  memory per idle subscriber: radacast ${(a.bytesPerSubscriber / 1024).toFixed(1)} KB RSS (${(a.heapPerSubscriber / 1024).toFixed(1)} KB heap), ` +
          `baseline ${(b.bytesPerSubscriber / 1024).toFixed(1)} KB RSS (${(b.heapPerSubscriber / 1024).toFixed(1)} KB heap)`,
      );
    }
    if (ROUNDS > 1) {
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      console.log(`  median ratio over ${ROUNDS} rounds: p50 ${median(ratios.map((r) => r.p50)).toFixed(2)}  p99 ${median(ratios.map((r) => r.p99)).toFixed(2)}`);
    }
  }
  if (process.env.FANOUT_STORM !== '0') {
    const s = await storm(n);
    console.log(`  reconnect storm (camera live, snapshot ${s.snapshotBytes} bytes): all ${n} answered again within ${s.ms.toFixed(0)} ms, ${s.cpuMs.toFixed(0)} ms of the server's CPU`);
  }
}
