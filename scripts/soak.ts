// `npm run soak`: the server (as `npm start` runs it) is SIGKILLed at random moments while
// clerk lanes stream commands at it and a fuzzer throws malformed commands and socket events
// (ill-formed Unicode included) over HTTP, /clerk and /live. Bounded in time. Prints what was
// acknowledged, missing or duplicated, whether the chain verifies, crashes (exits nobody
// asked for, and 5xx answers), and the server's peak memory.
//
// Settings (environment): SOAK_SECONDS (180), SOAK_KILLS (200; stops at whichever comes first),
// SOAK_FUZZ_PER_RUN (400 fuzzed inputs between kills), SOAK_SEED.
import { readFileSync, rmSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import type { CommandAnswer, LogEntry } from '../protocol/answers.ts';
import type { CommandInput } from '../protocol/commands.ts';
import type { Choice } from '../protocol/model.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../test/support/childServer.ts';
import { attendanceLane, castLane, random, type Lane } from '../test/support/commandLanes.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../test/support/demoSitting.ts';
import { JsonClient } from '../test/support/jsonClient.ts';
import { ADMIN_PASSWORD, tempDir } from '../test/support/testServer.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const KILLS = Number(process.env.SOAK_KILLS ?? 200);
const FUZZ_PER_RUN = Number(process.env.SOAK_FUZZ_PER_RUN ?? 400);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const VOTE = 'soak-vote';
const rand = random(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

// ---- the fuzzer: never targets the lanes' sitting or body, so its accepted inputs do not
// change what the lanes expect ----
const NASTY = ['\ud800', '\udfff', 'a\udc00b', '\ud83d', '\u0000', '=HYPERLINK("x")', '<script>alert(1)</script>', '../../etc/passwd', '%00', 'x'.repeat(3000), '😀', ''];
function fuzzString(): string {
  return rand() < 0.5 ? pick(NASTY) : `fz${Math.floor(rand() * 1e6)}${rand() < 0.3 ? pick(NASTY) : ''}`;
}
function fuzzValue(depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.35) return fuzzString();
  if (r < 0.5) return pick([0, -1, 1e308, 2 ** 53 + 1, NaN, 0.5, true, null]);
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => fuzzValue(depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [rand() < 0.2 ? pick(NASTY) : fuzzString(), fuzzValue(depth + 1)]));
}
const TYPES = ['body.upsert', 'room.upsert', 'sitting.create', 'agenda.set', 'sitting.open', 'attendance.set', 'item.start', 'vote.open', 'vote.cast', 'vote.tally', 'vote.close', 'vote.correct', 'sitting.close', 'overlay.scene', 'nope'];
function fuzzCommand(): Record<string, unknown> {
  const command: Record<string, unknown> = { type: pick(TYPES), sittingId: `fz-${Math.floor(rand() * 5)}`, commandId: `fuzz:${fuzzString()}` };
  for (const field of ['voteId', 'memberId', 'subject', 'reason', 'room', 'choice', 'present', 'for', 'sitting', 'room', 'body', 'agenda']) {
    if (rand() < 0.3) command[field] = fuzzValue();
  }
  if (command.type === 'room.upsert' && rand() < 0.5) command.room = { id: `fz${Math.floor(rand() * 1e4)}`, name: fuzzString() };
  return command;
}

interface Tally {
  acknowledged: number;
  resent: number;
  fuzzSent: number;
  fuzzAccepted: number;
  serverFaults: number;
  crashes: number;
  kills: number;
  peakRssKb: number;
}

function rssPeakKb(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dataDir = tempDir('radacast-soak-');
  const env = { HOST: '127.0.0.1', RADACAST_DATA_DIR: dataDir, RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD, RADACAST_LOG_LEVEL: 'silent', RADACAST_DEMO: '1' };
  const deadline = Date.now() + SECONDS * 1000;
  const tally: Tally = { acknowledged: 0, resent: 0, fuzzSent: 0, fuzzAccepted: 0, serverFaults: 0, crashes: 0, kills: 0, peakRssKb: 0 };
  const choices = new Map<string, Choice>();
  const present = new Set(DEPUTIES.slice(0, 24));
  const lanes = [
    castLane('cast-a', VOTE, DEPUTIES.slice(0, 12), choices),
    castLane('cast-b', VOTE, DEPUTIES.slice(12, 24), choices),
    attendanceLane('attend-a', DEPUTIES.slice(24, 33), present),
    attendanceLane('attend-b', DEPUTIES.slice(33, 42), present),
  ];
  const acks = new Map<string, { seq: number; hash: string }>();
  let cookie = '';
  let current: ChildServer | undefined;

  async function start(): Promise<{ server: ChildServer; client: JsonClient; url: string }> {
    const port = await freePort();
    const server = spawnServer({ ...env, PORT: String(port) });
    current = server;
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, server, 60_000);
    const client = new JsonClient(url, lanes.length + 2);
    if (cookie) client.setHeader('cookie', cookie);
    return { server, client, url };
  }

  function acknowledge(command: CommandInput, status: number, answer: CommandAnswer): void {
    if (status >= 500) tally.serverFaults += 1;
    if (status !== 200 || !answer.ok || answer.events.length !== 1) throw new Error(`lane command refused ${JSON.stringify(command)}: ${status} ${JSON.stringify(answer)}`);
    acks.set(command.commandId!, { seq: answer.seq, hash: answer.events[0]!.hash });
    tally.acknowledged += 1;
  }

  async function drive(client: JsonClient, lane: Lane, stop: () => boolean, once = false): Promise<void> {
    while (!(once && lane.pending === null) && (once || !stop())) {
      const retry = lane.pending !== null;
      const command = lane.pending ?? lane.make();
      lane.pending = command;
      let res;
      try {
        res = await client.post<CommandAnswer>('/api/commands', command);
      } catch {
        return;
      }
      acknowledge(command, res.status, res.body);
      if (retry) tally.resent += 1;
      lane.applied(command);
      lane.pending = null;
    }
  }

  /** Malformed input over every edge until the server dies or the run's quota is spent. */
  async function fuzz(client: JsonClient, url: string, stop: () => boolean): Promise<void> {
    const clerk: Socket = io(`${url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    const live: Socket = io(`${url}/live`, { transports: ['websocket'], reconnection: false });
    const ack = (s: Socket, event: string, payload: unknown) =>
      new Promise<unknown>((resolve) => {
        // The server drops a connection after 200 refusals (by design): come back for more.
        if (s.disconnected) s.connect();
        const timer = setTimeout(() => resolve(null), 2000);
        s.emit(event, payload, (answer: unknown) => {
          clearTimeout(timer);
          resolve(answer);
        });
      });
    // Three concurrent streams, one per edge, sharing the run's quota.
    let quota = FUZZ_PER_RUN;
    const loop = async (send: () => Promise<void>): Promise<void> => {
      while (quota > 0 && !stop()) {
        quota -= 1;
        tally.fuzzSent += 1;
        try {
          await send();
        } catch {
          return; // the server is gone
        }
      }
    };
    try {
      await Promise.all([
        loop(async () => {
          const res = await client.post<{ ok?: boolean }>('/api/commands', fuzzCommand());
          if (res.status >= 500) tally.serverFaults += 1;
          if (res.body?.ok) tally.fuzzAccepted += 1;
        }),
        loop(async () => {
          const event = rand() < 0.8 ? 'command' : pick(['subscribe', 'nope', fuzzString()]);
          const answer = (await ack(clerk, event, fuzzCommand())) as { ok?: boolean; error?: { code: string } } | null;
          if (answer?.error?.code === 'internal') tally.serverFaults += 1;
          if (answer?.ok) tally.fuzzAccepted += 1;
        }),
        loop(async () => {
          await ack(live, pick(['subscribe', 'command', 'unsubscribe']), rand() < 0.5 ? { room: fuzzString() } : fuzzValue());
        }),
      ]);
    } finally {
      clerk.close();
      live.close();
    }
  }

  try {
    while (Date.now() < deadline && tally.kills < KILLS) {
      const { server, client, url } = await start();
      let killed = false;
      let exited = false;
      void server.exited.then(() => (exited = true));
      if (!cookie) {
        const login = await client.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
        cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
        client.setHeader('cookie', cookie);
        for (const command of liveVoteCommands({ present: [...present], voteId: VOTE, idPrefix: 'soak-setup' })) {
          const res = await client.post<CommandAnswer>('/api/commands', command);
          acknowledge(command, res.status, res.body);
        }
      }
      const killAfterMs = 200 + rand() * 3000;
      const sampler = setInterval(() => (tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid))), 200);
      const timer = setTimeout(() => {
        tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid));
        killed = true;
        server.child.kill('SIGKILL');
      }, killAfterMs);
      const stop = () => killed || exited;
      await Promise.all([...lanes.map((lane) => drive(client, lane, stop)), fuzz(client, url, stop)]);
      clearTimeout(timer);
      clearInterval(sampler);
      if (!killed) {
        killed = true;
        server.child.kill('SIGKILL');
      }
      const exit = await server.exited;
      if (exit.signal !== 'SIGKILL') {
        tally.crashes += 1;
        process.stderr.write(`crash: ${JSON.stringify(exit)} ${server.stderr().slice(-2000)}\n`);
      }
      tally.kills += 1;
      client.close();
      if (tally.kills % 10 === 0) process.stdout.write(`… ${tally.kills} kills, ${tally.acknowledged} acknowledged, ${tally.fuzzSent} fuzzed\n`);
    }

    const { server, client } = await start();
    await Promise.all(lanes.map((lane) => drive(client, lane, () => false, true)));
    const events: LogEntry[] = [];
    let verified = true;
    let fault: string | null = null;
    for (let after: number | null = 0; after !== null; ) {
      const page: { verified: boolean; fault: string | null; events: LogEntry[]; next: number | null } = (
        await client.get<{ verified: boolean; fault: string | null; events: LogEntry[]; next: number | null }>(`/api/sittings/${DEMO_SITTING}/log?after=${after}`)
      ).body;
      events.push(...page.events);
      verified &&= page.verified;
      fault ??= page.fault;
      after = page.next;
    }
    const health = (await client.get<{ status: string }>('/api/health')).body;
    client.close();
    server.child.kill('SIGTERM');
    await server.exited;

    const byCommand = new Map<string, LogEntry[]>();
    for (const e of events) if (e.commandId) byCommand.set(e.commandId, [...(byCommand.get(e.commandId) ?? []), e]);
    let missing = 0;
    let duplicated = 0;
    for (const [commandId, ack] of acks) {
      const found = byCommand.get(commandId) ?? [];
      if (found.length === 0 || found[0]!.hash !== ack.hash) missing += 1;
      if (found.length > 1) duplicated += 1;
    }
    const unacknowledged = [...byCommand.keys()].filter((id) => id.startsWith('cast-') || id.startsWith('attend-')).filter((id) => !acks.has(id)).length;
    const report = {
      seed: SEED,
      seconds: SECONDS,
      kills: tally.kills,
      acknowledged: tally.acknowledged,
      resentAfterKill: tally.resent,
      missing,
      duplicated,
      appliedButNeverAcknowledged: unacknowledged,
      chainVerifies: verified && fault === null,
      healthAfter: health.status,
      fuzzedInputs: tally.fuzzSent,
      fuzzAccepted: tally.fuzzAccepted,
      serverFaults5xx: tally.serverFaults,
      crashes: tally.crashes,
      peakRssMb: Math.round(tally.peakRssKb / 1024),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const ok = missing === 0 && duplicated === 0 && verified && tally.crashes === 0 && tally.serverFaults === 0 && health.status === 'ready';
    process.exitCode = ok ? 0 : 1;
  } finally {
    current?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
