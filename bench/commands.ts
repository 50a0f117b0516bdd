// Command benchmark (issue 2): commands per second and p50/p99 acknowledgement latency of
// POST /api/commands over keep-alive HTTP with synchronous=FULL (the default: an acknowledged
// command is on disk), against the same run with synchronous=OFF as the baseline, and the ratio.
// Each run: a fresh data folder, the demo sitting live with all 43 members registered, a
// roll-call vote open, and vote.cast commands alternating every member's choice (each changes
// the record, so each commits one event plus its idempotency row). Client and server share this
// process, as a clerk console and the server would share one machine.
// Run: npx tsx bench/commands.ts   (BENCH_COMMANDS=3000, BENCH_DIR=<folder for the databases>)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandAnswer } from '../protocol/answers.ts';
import type { CommandInput } from '../protocol/commands.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { Radacast } from '../server/Radacast.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../test/support/demoSitting.ts';
import { JsonClient } from '../test/support/jsonClient.ts';

type Synchronous = 'FULL' | 'OFF';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3000);
const WARMUP = 300;
const CONCURRENCY = [1, 8];
// ABBA order, so a machine busy with something else at one moment weighs on both modes alike.
const ROUNDS: Synchronous[] = ['FULL', 'OFF', 'OFF', 'FULL'];
const BASE_DIR = process.env.BENCH_DIR ?? tmpdir();
const PASSWORD = 'bench-admin-password';
const VOTE = 'bench-vote';
const MEMBERS = ['mayor', ...DEPUTIES];

interface Sample {
  latencies: number[];
  seconds: number;
}

function castCommand(mode: Synchronous, k: number): CommandInput {
  const memberId = MEMBERS[k % MEMBERS.length]!;
  // Each member's next command comes a full round of members later and flips the choice.
  const choice = Math.floor(k / MEMBERS.length) % 2 === 0 ? 'for' : 'against';
  return { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: VOTE, memberId, choice, commandId: `bench:${mode}:${k}` };
}

/** Sends `count` commands from `first` on, `concurrency` at a time; every one must commit one event. */
async function drive(client: JsonClient, mode: Synchronous, first: number, count: number, concurrency: number): Promise<Sample> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const k = first + next++;
      const started = performance.now();
      const res = await client.post<CommandAnswer>('/api/commands', castCommand(mode, k));
      latencies.push(performance.now() - started);
      if (res.status !== 200 || !res.body.ok || res.body.events.length !== 1) {
        throw new Error(`command ${k} not applied as expected: ${JSON.stringify(res.body)}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** One fresh server in `mode`: warm up, then one measured run per concurrency. */
async function round(mode: Synchronous): Promise<Map<number, Sample>> {
  const dataDir = mkdtempSync(join(BASE_DIR, `radacast-bench-${mode.toLowerCase()}-`));
  const config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: PASSWORD,
    logLevel: 'silent' as const,
    demo: true,
    synchronous: mode,
  };
  const server = await Radacast.open(config, createLogger('silent'));
  const { port } = await server.listen();
  const client = new JsonClient(`http://127.0.0.1:${port}`, Math.max(...CONCURRENCY));
  try {
    await client.login('admin', PASSWORD);
    for (const command of liveVoteCommands({ present: MEMBERS, voteId: VOTE })) {
      const res = await client.post<CommandAnswer>('/api/commands', command);
      if (!res.body.ok) throw new Error(`setup refused: ${JSON.stringify(res.body)}`);
    }
    let k = 0;
    await drive(client, mode, k, WARMUP, Math.max(...CONCURRENCY));
    k += WARMUP;
    const samples = new Map<number, Sample>();
    for (const concurrency of CONCURRENCY) {
      samples.set(concurrency, await drive(client, mode, k, COMMANDS, concurrency));
      k += COMMANDS;
    }
    return samples;
  } finally {
    client.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

function figures(samples: Sample[]): Figures {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const collected = new Map<string, Sample[]>();
  for (const mode of ROUNDS) {
    process.stdout.write(`  running synchronous=${mode}…\n`);
    for (const [concurrency, sample] of await round(mode)) {
      const key = `${mode}/${concurrency}`;
      collected.set(key, [...(collected.get(key) ?? []), sample]);
    }
  }

  const runs = ROUNDS.filter((m) => m === 'FULL').length;
  const lines = [
    '',
    'radacast command benchmark — POST /api/commands (vote.cast), HTTP keep-alive, one process',
    `node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs, databases in ${BASE_DIR}`,
    `${COMMANDS} commands per run after ${WARMUP} warm-up, ${runs} runs per mode (ABBA order), figures pooled`,
    '',
    'synchronous  concurrency  commands/s   p50 ms   p99 ms',
  ];
  const table = new Map<string, Figures>();
  for (const concurrency of CONCURRENCY) {
    for (const mode of ['FULL', 'OFF'] as const) {
      const f = figures(collected.get(`${mode}/${concurrency}`)!);
      table.set(`${mode}/${concurrency}`, f);
      lines.push(
        `${mode.padEnd(11)}  ${String(concurrency).padStart(11)}  ${f.perSecond.toFixed(0).padStart(10)}  ${f.p50.toFixed(2).padStart(7)}  ${f.p99.toFixed(2).padStart(7)}`,
      );
    }
  }
  lines.push('', 'ratio FULL/OFF');
  for (const concurrency of CONCURRENCY) {
    const full = table.get(`FULL/${concurrency}`)!;
    const off = table.get(`OFF/${concurrency}`)!;
    lines.push(
      `  concurrency ${concurrency}: commands/s ${(full.perSecond / off.perSecond).toFixed(2)}×, p50 ${(full.p50 / off.p50).toFixed(2)}×, p99 ${(full.p99 / off.p99).toFixed(2)}×`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
