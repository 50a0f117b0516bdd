// Archive benchmark (issue 19): generates years of a 42-seat council through the real command
// path (an in-process CouncilRecord with the archive projector, exactly as the server runs it;
// SQLite synchronous=OFF while generating, for speed only), then starts a real server on that
// database and measures start-up, and p50/p99 of /api/deputies, /api/deputies/:id (first page),
// /api/search and the /deputies/<id> page against reading one sitting's view (the baseline).
// Run: npx tsx bench/archive.ts   (BENCH_YEARS=5 BENCH_SITTINGS_PER_YEAR=60 BENCH_VOTES_PER_SITTING=83 BENCH_REQUESTS=200)
// BENCH_DATA_DIR=<folder> keeps the generated database there, and a later run with the same
// folder skips the generation and measures the database as it was left (start-up included).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, type CommandInput } from '../protocol/commands.ts';
import { ArchiveProjector } from '../server/archive/ArchiveProjector.ts';
import { serverSecret } from '../server/auth/serverSecret.ts';
import { loadConfig } from '../server/config.ts';
import { demoCommands } from '../server/demo/loadDemo.ts';
import { createLogger } from '../server/logger.ts';
import { Radacast } from '../server/Radacast.ts';
import { DATABASE_FILE, openDatabase } from '../server/store/database.ts';
import { CouncilRecord } from '../server/store/CouncilRecord.ts';
import { DEPUTIES } from '../test/support/demoSitting.ts';

const YEARS = Number(process.env.BENCH_YEARS ?? 5);
const SITTINGS_PER_YEAR = Number(process.env.BENCH_SITTINGS_PER_YEAR ?? 60);
const VOTES_PER_SITTING = Number(process.env.BENCH_VOTES_PER_SITTING ?? 83);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ITEMS_PER_SITTING = 20;
const TOPICS = [
  'Про внесення змін до бюджету міста',
  'Про затвердження програми розвитку бюджетної сфери',
  'Про надання дозволу на розроблення проєкту землеустрою',
  'Про ремонт вулиці Київської',
  'Про тарифи на перевезення в міському електротранспорті',
  'Про затвердження звіту про виконання бюджету',
  'Про передачу майна комунальної власності',
  'Про програму «Енергодім»',
];
const CHOICES = ['for', 'for', 'for', 'for', 'against', 'abstain', 'not-voting'] as const;

// A deterministic generator, so two runs hold the same record.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const kept = process.env.BENCH_DATA_DIR;
const dir = kept ?? mkdtempSync(join(tmpdir(), 'radacast-bench-archive-'));
const generate = !existsSync(join(dir, DATABASE_FILE));
if (kept) mkdirSync(kept, { recursive: true });
const total = YEARS * SITTINGS_PER_YEAR;
try {
  if (generate) generateRecord();
  else process.stdout.write(`reusing the database in ${dir} (BENCH_DATA_DIR)\n`);
  await measure();
} finally {
  if (!kept) rmSync(dir, { recursive: true, force: true });
}

function generateRecord(): void {
  const genStart = performance.now();
  const db = openDatabase(dir, 'OFF');
  // With the server's key, as the server runs it: a start-up checkpoint at each sitting's close.
  const record = new CouncilRecord(db, { projector: new ArchiveProjector(db), checkpointKey: serverSecret(dir) });
  let commands = 0;
  let clock = Date.parse('2021-01-11T08:00:00Z');
  const run = (input: CommandInput | Record<string, unknown>) => {
    clock += 1000;
    const answer = record.execute(Command.parse(input), { actor: 'bench', at: new Date(clock).toISOString() });
    if (!answer.ok) throw new Error(`refused ${JSON.stringify(input).slice(0, 200)}: ${answer.error.code}`);
    commands += 1;
  };
  for (const c of demoCommands()) run(c);
  let votes = 0;
  let choices = 0;
  for (let n = 0; n < total; n++) {
    const id = `s${String(n + 1).padStart(4, '0')}`;
    const day = new Date(Date.parse('2021-01-14T08:00:00Z') + Math.floor((n * 365 * YEARS) / total) * 86_400_000);
    clock = Math.max(clock, day.getTime());
    const agenda = Array.from({ length: ITEMS_PER_SITTING }, (_, i) => ({
      id: `i${i + 1}`,
      number: String(i + 1),
      title: `${pick(TOPICS)} (${n + 1}.${i + 1})`,
      draftNumber: `${n + 1}/${i + 1}`,
      rapporteur: pick(['Департамент фінансів', 'Департамент містобудування', 'Управління транспорту']),
    }));
    run({ type: 'sitting.create', sitting: { id, bodyId: 'council', title: `Пленарне засідання № ${n + 1}`, room: 'plenary', scheduledAt: day.toISOString(), agenda } });
    run({ type: 'sitting.open', sittingId: id });
    const present = DEPUTIES.filter(() => random() < 0.9);
    let firstChoice: string = 'for';
    run({ type: 'attendance.set', sittingId: id, memberIds: present, present: true });
    for (let v = 0; v < VOTES_PER_SITTING; v++) {
      const itemIndex = Math.floor((v * ITEMS_PER_SITTING) / VOTES_PER_SITTING);
      if (v === 0 || Math.floor(((v - 1) * ITEMS_PER_SITTING) / VOTES_PER_SITTING) !== itemIndex) {
        run({ type: 'item.start', sittingId: id, itemId: `i${itemIndex + 1}` });
      }
      const voteId = `v${v + 1}`;
      const secret = v % 40 === 39;
      run({ type: 'vote.open', sittingId: id, voteId, stage: pick(['basis', 'whole', 'basis-and-whole'] as const), ballot: secret ? 'secret' : 'roll-call', force: true, reason: 'bench' });
      if (secret) {
        run({ type: 'vote.tally', sittingId: id, voteId, for: Math.floor(present.length / 2), against: 3, abstain: 2 });
      } else {
        for (const memberId of present) {
          const choice = pick(CHOICES);
          if (v === 0 && memberId === present[0]) firstChoice = choice;
          run({ type: 'vote.cast', sittingId: id, voteId, memberId, choice });
          choices += 1;
        }
      }
      run({ type: 'vote.close', sittingId: id, voteId });
      votes += 1;
    }
    run({ type: 'sitting.close', sittingId: id });
    run({ type: 'vote.correct', sittingId: id, voteId: 'v1', memberId: present[0]!, choice: firstChoice === 'against' ? 'for' : 'against', reason: 'заява депутата' });
    if ((n + 1) % 10 === 0) process.stdout.write(`  generated ${n + 1}/${total} sittings (${Math.round((performance.now() - genStart) / 1000)} s)\n`);
  }
  db.close();
  const genSeconds = (performance.now() - genStart) / 1000;
  process.stdout.write(
    `generated ${total} sittings, ${votes} votes, ${choices} cast choices, ${commands} commands in ${genSeconds.toFixed(0)} s (synchronous=OFF)\n`,
  );
}

async function measure(): Promise<void> {
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir: dir, adminPassword: 'bench-admin-password', logLevel: 'silent' as const, media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [] } };
  const startupStart = performance.now();
  const server = await Radacast.open(config, createLogger('silent'));
  const address = await server.listen();
  const startup = (performance.now() - startupStart) / 1000;
  const { checkpoint, ignored, replayed } = server.record.startReport;
  const how = checkpoint === 'used' ? `from a checkpoint, ${replayed} events after it verified and replayed` : `no checkpoint${ignored ? ` (ignored: ${ignored})` : ''}, the whole log (${replayed} events) verified and replayed`;
  process.stdout.write(`start-up (${how}): ${startup.toFixed(1)} s (target ≤ 10 s)\n`);
  const verifyStart = performance.now();
  await server.verified;
  if (checkpoint === 'used') {
    process.stdout.write(`background verification of every chain: ${((performance.now() - verifyStart) / 1000).toFixed(1)} s after start-up, ${server.record.readOnly ? 'FAILED' : 'sound'}\n`);
  }

  // ---- reads ----
  const url = `http://127.0.0.1:${address.port}`;
  const member = 'd07';
  const targets: [string, string][] = [
    ['baseline GET /api/sittings/<id>', `/api/sittings/s${String(Math.ceil(total / 2)).padStart(4, '0')}`],
    ['GET /api/deputies?body=council', '/api/deputies?body=council'],
    [`GET /api/deputies/${member} (first page)`, `/api/deputies/${member}`],
    ['GET /api/search?q=бюджет', `/api/search?q=${encodeURIComponent('бюджет')}`],
    [`GET /deputies/${member} (page)`, `/deputies/${member}`],
  ];
  for (const [label, path] of targets) {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS + 10; i++) {
      const t = performance.now();
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i >= 10) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms\n`);
  }
  await server.close();
}
