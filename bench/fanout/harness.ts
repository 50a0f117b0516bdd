// What bench/fanout.ts and bench/cluster.ts share: child processes spoken to over IPC, a
// clerk's vote.cast commands over HTTP with their acknowledgement times, subscriber processes
// that stamp each update's arrival, and percentiles of acknowledgement → arrival.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEPUTIES } from '../../test/support/demoSitting.ts';

export const WORKERS = Number(process.env.FANOUT_WORKERS ?? 4);
export const COMMANDS = 100;
export const INTERVAL_MS = Number(process.env.FANOUT_INTERVAL_MS ?? 100);
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export type Msg = { type: string; [k: string]: unknown };

/** FANOUT_PROFILE=<dir>: the servers (not the subscribers) write a V8 CPU profile there when they stop. */
const PROFILE = process.env.FANOUT_PROFILE;

export function start(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  const profile = PROFILE && !script.includes('subscribers') ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  return fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    execArgv: ['--import', 'tsx', '--expose-gc', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
}

export function next(child: ChildProcess, type: string): Promise<Msg> {
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

export async function ask<T>(child: ChildProcess, type: string): Promise<T> {
  const reply = next(child, type);
  child.send({ type });
  return (await reply) as unknown as T;
}

/** Logs in as the bench's admin; the session cookie. */
export async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'bench-password' }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** The i-th vote.cast of a run (alternating choices, so every one changes the view). */
export const castBody = (i: number) =>
  JSON.stringify({ type: 'vote.cast', sittingId: 'demo-plenary', voteId: 'v1', memberId: DEPUTIES[i % 42], choice: i % 84 < 42 ? 'for' : 'against' });

/** Opens `n` subscribers spread over `WORKERS` processes, worker w on urls[w % urls.length]. */
export async function subscribers(mode: 'socketio' | 'ws', urls: string[], n: number): Promise<ChildProcess[]> {
  const workers = Array.from({ length: WORKERS }, (_, w) =>
    start('./subscribers.ts', [mode, urls[w % urls.length]!, String(Math.floor(n / WORKERS) + (w < n % WORKERS ? 1 : 0))]),
  );
  await Promise.all(workers.map((w) => next(w, 'ready')));
  return workers;
}

export interface Latencies {
  /** From the clerk's acknowledgement to the arrival at each subscriber (negative: it arrived first). */
  p50: number;
  p99: number;
  max: number;
  missing: number;
  /** From the clerk sending the command to the arrival: the same whichever comes first, fan-out or acknowledgement. */
  sentP50: number;
  sentP99: number;
  /** The clerk's wait for its acknowledgement. */
  ackP50: number;
  ackP99: number;
}

/** Asks every worker for the arrivals of each seq, relative to the given times (seq → ms). */
async function arrivals(workers: ChildProcess[], since: Record<string, number>): Promise<{ latencies: number[]; missing: number }> {
  const replies = await Promise.all(
    workers.map((w) => {
      const reply = next(w, 'latencies');
      w.send({ type: 'latencies', acks: since });
      return reply as Promise<unknown> as Promise<{ latencies: number[]; missing: number }>;
    }),
  );
  return { latencies: replies.flatMap((r) => r.latencies).sort((a, b) => a - b), missing: replies.reduce((s, r) => s + r.missing, 0) };
}

/** Sends COMMANDS requests every INTERVAL_MS (`send(i)` answers the seq), then asks the workers when each arrived. */
export async function measure(workers: ChildProcess[], send: (i: number) => Promise<number>): Promise<Latencies> {
  const acks: Record<string, number> = {};
  const sent: Record<string, number> = {};
  const waits: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const started = now();
    const seq = await send(i);
    acks[seq] = now();
    sent[seq] = started;
    waits.push(acks[seq] - started);
    await sleep(Math.max(0, INTERVAL_MS - (now() - started)));
  }
  await sleep(1500);
  const fromAck = await arrivals(workers, acks);
  const fromSent = (await arrivals(workers, sent)).latencies;
  waits.sort((a, b) => a - b);
  const all = fromAck.latencies;
  return {
    p50: pct(all, 50),
    p99: pct(all, 99),
    max: all.at(-1) ?? NaN,
    missing: fromAck.missing,
    sentP50: pct(fromSent, 50),
    sentP99: pct(fromSent, 99),
    ackP50: pct(waits, 50),
    ackP99: pct(waits, 99),
  };
}

export async function stop(children: ChildProcess[]): Promise<void> {
  for (const c of children) c.send({ type: 'stop' });
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
}
