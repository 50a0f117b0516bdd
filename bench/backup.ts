// Backup benchmark (issue 20): how long commands wait while an online backup of a large
// database runs. A server (this process, demo sitting live, a roll-call vote open) holds a
// database padded to BENCH_BACKUP_MB of extra pages; a clerk's client sends vote.cast commands
// one after another over HTTP. Baseline: the same stream for the same time with no backup.
// Then the same stream while `backupDatabase` copies the database through its own connection,
// as `npm run backup` does. Prints p50, p99 and the longest command latency of both, and ratios.
// Run: npx tsx bench/backup.ts   (BENCH_BACKUP_MB=300)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CommandAnswer } from '../protocol/answers.ts';
import type { CommandInput } from '../protocol/commands.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { backupDatabase } from '../server/ops/backup.ts';
import { Radacast } from '../server/Radacast.ts';
import { DATABASE_FILE } from '../server/store/database.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../test/support/demoSitting.ts';
import { JsonClient } from '../test/support/jsonClient.ts';

const PADDING_MB = Number(process.env.BENCH_BACKUP_MB ?? 300);
const PASSWORD = 'bench-admin-password';
const VOTE = 'bench-vote';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const dir = mkdtempSync(join(tmpdir(), 'radacast-bench-backup-'));
const config = loadConfig({
  RADACAST_DATA_DIR: dir,
  RADACAST_ADMIN_PASSWORD: PASSWORD,
  RADACAST_DEMO: '1',
  RADACAST_DEMO_CAMERA: '0',
  RADACAST_RTMP_PORT: '0',
  RADACAST_SRT_PORTS: 'off',
  PORT: '0',
  HOST: '127.0.0.1',
  RADACAST_LOG_LEVEL: 'silent',
});
// Padding: pages the backup must copy like any others (a long-lived council's database).
const pad = new Database(join(dir, DATABASE_FILE));
pad.exec('CREATE TABLE bench_padding (blob BLOB NOT NULL)');
const insert = pad.prepare('INSERT INTO bench_padding (blob) VALUES (randomblob(?))');
pad.transaction(() => {
  for (let i = 0; i < PADDING_MB * 16; i += 1) insert.run(64 * 1024);
})();
pad.pragma('wal_checkpoint(TRUNCATE)');
pad.close();
const server = await Radacast.open(config, createLogger('silent'));
const { port } = await server.listen();
const client = new JsonClient(`http://127.0.0.1:${port}`, 1);
await client.login('admin', PASSWORD);
for (const command of liveVoteCommands({ present: DEPUTIES, voteId: VOTE, idPrefix: 'bench-setup' })) {
  const res = await client.post<CommandAnswer>('/api/commands', command);
  if (!res.body.ok) throw new Error(`setup refused: ${JSON.stringify(res.body)}`);
}


let k = 0;
async function castFor(stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop()) {
    const n = k++;
    const memberId = DEPUTIES[n % DEPUTIES.length]!;
    const choice = Math.floor(n / DEPUTIES.length) % 2 === 0 ? 'for' : 'against';
    const command: CommandInput = { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: VOTE, memberId, choice, commandId: `bench:${n}` };
    const started = performance.now();
    const res = await client.post<CommandAnswer>('/api/commands', command);
    latencies.push(performance.now() - started);
    if (!res.body.ok) throw new Error(`command refused: ${JSON.stringify(res.body)}`);
  }
  return latencies.sort((a, b) => a - b);
}

let done = false;
const started = performance.now();
const backup = backupDatabase(dir, join(dir, 'copy.db')).finally(() => (done = true));
const during = await castFor(() => done);
const report = await backup;
const seconds = (performance.now() - started) / 1000;
const baselineEnd = performance.now() + seconds * 1000;
const baseline = await castFor(() => performance.now() >= baselineEnd);

client.close();
await server.close();
rmSync(dir, { recursive: true, force: true });

const row = (name: string, l: number[]) =>
  `| ${name} | ${l.length} | ${percentile(l, 50).toFixed(2)} ms | ${percentile(l, 99).toFixed(2)} ms | ${l.at(-1)!.toFixed(2)} ms |`;
console.log(`backup of ${(report.bytes / 2 ** 20).toFixed(0)} MB (${report.events} events verified) took ${seconds.toFixed(1)} s`);
console.log('| commands | n | p50 | p99 | longest |');
console.log('|---|---|---|---|---|');
console.log(row('during the backup', during));
console.log(row('baseline (no backup)', baseline));
console.log(
  `ratio during/baseline: p99 ${(percentile(during, 99) / percentile(baseline, 99)).toFixed(2)}, longest ${(during.at(-1)! / baseline.at(-1)!).toFixed(2)}`,
);
