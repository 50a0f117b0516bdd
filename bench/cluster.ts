// Cluster benchmark (issue 18): one writer, two edges and Redis (Debian's redis-server on a
// free port), N subscribers spread over the edges, a clerk's vote.cast commands to the writer;
// acknowledgement → arrival (p50, p99) and the CPU each process used, against one lone process
// with the same N in the same run (docs/scaling.md works out the sizing from these figures).
// Run: npx tsx bench/cluster.ts [N]   (default 4,000; e.g. 10000 for 2 × 5,000)
import type { ChildProcess } from 'node:child_process';
import { startRedis } from '../test/support/redis.ts';
import { ask, castBody, COMMANDS, INTERVAL_MS, login, measure, next, sleep, start, stop, subscribers, WORKERS, type Latencies } from './fanout/harness.ts';

const N = Number(process.argv[2] ?? 4000);

type Cpu = { user: number; system: number };
const cpu = (child: ChildProcess) => ask<Cpu>(child, 'cpu');
/** CPU seconds used between two readings. */
const used = (a: Cpu, b: Cpu) => (b.user - a.user + b.system - a.system) / 1e6;

async function server(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = start('./server.ts', [], env);
  const { port } = (await next(child, 'ready')) as unknown as { port: number };
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Subscribes N over `edges` (or the writer), sends the commands to the writer; latencies and CPU seconds per process. */
async function run(writer: { child: ChildProcess; url: string }, edges: { child: ChildProcess; url: string }[]): Promise<{ latencies: Latencies; cpu: number[] }> {
  const cookie = await login(writer.url);
  const serving = edges.length > 0 ? edges : [writer];
  const workers = await subscribers('socketio', serving.map((s) => s.url), N);
  await sleep(500);
  const all = [writer, ...edges];
  const before = await Promise.all(all.map((s) => cpu(s.child)));
  const latencies = await measure(workers, async (i) => {
    const res = await fetch(`${writer.url}/api/commands`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: castBody(i) });
    const answer = (await res.json()) as { ok: boolean; seq?: number };
    if (!answer.ok) throw new Error(`command refused: ${JSON.stringify(answer)}`);
    return answer.seq!;
  });
  const after = await Promise.all(all.map((s) => cpu(s.child)));
  for (const [i, edge] of edges.entries()) {
    const lag = await ask<{ stream: Record<string, number>; fanout: Record<string, number>; reads: number }>(edge.child, 'lag');
    console.log(`  edge ${i + 1}: ${lag.reads} stream entries; writer's XADD → edge reads it p50 ${lag.stream.p50} ms p99 ${lag.stream.p99} ms max ${lag.stream.max} ms; handing one to its sockets p50 ${lag.fanout.p50} ms p99 ${lag.fanout.p99} ms`);
  }
  await stop(workers);
  return { latencies, cpu: before.map((b, i) => used(b, after[i]!)) };
}

const f = (x: number) => x.toFixed(1).padStart(7);
const line = (name: string, l: Latencies) =>
  `  ${name.padEnd(28)}: p50 ${f(l.p50)} ms  p99 ${f(l.p99)} ms  max ${f(l.max)} ms  missing ${l.missing}; from sending p99 ${f(l.sentP99)} ms; ack p99 ${f(l.ackP99)} ms`;
const seconds = (COMMANDS * INTERVAL_MS) / 1000;

console.log(`cluster: ${N} subscribers, ${COMMANDS} vote.cast commands every ${INTERVAL_MS} ms, ${WORKERS} subscriber processes, 2-core machine`);
const lone = await server();
const single = await run(lone, []);
await stop([lone.child]);

const redis = await startRedis();
const writer = await server({ FANOUT_ROLE: 'writer', FANOUT_REDIS: redis.url });
const edges = [];
for (let i = 0; i < 2; i++) edges.push(await server({ FANOUT_ROLE: 'edge', FANOUT_REDIS: redis.url, FANOUT_WRITER: writer.url }));
const cluster = await run(writer, edges);
await stop([writer.child, ...edges.map((e) => e.child)]);
await redis.stop();

console.log(line('one process', single.latencies));
console.log(line(`writer + 2 edges (${N / 2} each)`, cluster.latencies));
console.log(`  ratio cluster/one process   : p50 ${(cluster.latencies.p50 / single.latencies.p50).toFixed(2)}  p99 ${(cluster.latencies.p99 / single.latencies.p99).toFixed(2)}`);
console.log(`  CPU over the ${seconds} s of commands: one process ${single.cpu[0]!.toFixed(2)} s; writer ${cluster.cpu[0]!.toFixed(2)} s, edges ${cluster.cpu.slice(1).map((c) => c.toFixed(2)).join(' s, ')} s`);
console.log(`  per edge: ${((cluster.cpu[1]! + cluster.cpu[2]!) / 2 / seconds * 100).toFixed(1)} % of a core for ${N / 2} subscribers at ${(1000 / INTERVAL_MS).toFixed(0)} updates/s`);
