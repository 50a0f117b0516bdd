// `npm run soak`: the server (as `npm start` runs it) is SIGKILLed at random moments while
// clerk lanes stream commands at it, ffmpeg pushes a live test pattern to its RTMP port
// (restarted after each kill), and a fuzzer throws malformed commands and socket events over
// HTTP, /clerk and /live, many in flight on several sockets: ill-formed Unicode, huge and deeply
// nested payloads, unknown events, and the attacks of issue 12 (path traversal, cross-origin
// commands, login floods, garbage on the RTMP port, /live clients that never read). Bounded in
// time. Prints what was acknowledged, missing or duplicated, whether every chain verifies,
// crashes (exits nobody asked for, and 5xx answers), the server's peak memory, and the fuzz rate.
//
// Settings (environment): SOAK_SECONDS (1800), SOAK_KILLS (200; the kills stop at whichever comes
// first), SOAK_FUZZ (1,000,000 fuzzed inputs in all: what the kill runs leave is sent after the
// last kill, still within SOAK_SECONDS), SOAK_SOCKETS (4 per edge), SOAK_IN_FLIGHT (16 per socket),
// SOAK_RTMP (1: push a live stream; 0: none), SOAK_SEED.
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { CommandAnswer, LogEntry } from '../protocol/answers.ts';
import type { CommandInput } from '../protocol/commands.ts';
import type { Choice } from '../protocol/model.ts';
import type { IngestInfo, IngestStatus } from '../protocol/media.ts';
import { verifyDatabaseFile } from '../server/ops/verifyDatabaseFile.ts';
import { DATABASE_FILE } from '../server/store/database.ts';
import { describeFault } from '../server/store/hashChain.ts';
import { pushTestPattern, type Encoder } from '../test/media/support.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../test/support/childServer.ts';
import { attendanceLane, castLane, random, type Lane } from '../test/support/commandLanes.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../test/support/demoSitting.ts';
import { JsonClient } from '../test/support/jsonClient.ts';
import { ADMIN_PASSWORD, tempDir } from '../test/support/testServer.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 1800);
const KILLS = Number(process.env.SOAK_KILLS ?? 200);
const FUZZ = Number(process.env.SOAK_FUZZ ?? 1_000_000);
const SOCKETS = Number(process.env.SOAK_SOCKETS ?? 4);
const IN_FLIGHT = Number(process.env.SOAK_IN_FLIGHT ?? 16);
const RTMP = process.env.SOAK_RTMP !== '0';
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
/** Now and then a payload past every size limit, or nested far deeper than any command. */
function outsized(): unknown {
  const r = rand();
  if (r < 0.4) return { ...fuzzCommand(), subject: 'ї'.repeat(100_000 + Math.floor(rand() * 200_000)) };
  if (r < 0.8) {
    let deep: unknown = fuzzString();
    for (let i = 0; i < 2000 + Math.floor(rand() * 8000); i++) deep = rand() < 0.5 ? [deep] : { a: deep };
    return { ...fuzzCommand(), agenda: deep };
  }
  return Array.from({ length: 50_000 }, () => 1);
}
const fuzzPayload = (): unknown => (rand() < 0.002 ? outsized() : fuzzCommand());

/**
 * One socket.io connection the fuzzer sends on, with many events in flight: answers come back
 * (or the acknowledgement times out), and a connection the server drops (200 refusals, an
 * oversized packet) is replaced by a fresh one.
 */
class FuzzSocket {
  #socket: Socket | null = null;
  #connecting: Promise<Socket> | null = null;
  readonly #pending = new Set<(answer: unknown) => void>();

  constructor(
    readonly url: string,
    readonly cookie: string,
  ) {}

  #connected(): Promise<Socket> {
    if (this.#socket?.connected) return Promise.resolve(this.#socket);
    this.#connecting ??= new Promise<Socket>((resolve, reject) => {
      const socket = io(this.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: this.cookie } });
      socket.once('connect', () => {
        this.#socket = socket;
        this.#connecting = null;
        resolve(socket);
      });
      socket.once('connect_error', (err) => {
        this.#connecting = null;
        socket.close();
        reject(err);
      });
      // Also before 'connect', when the server goes away in the middle of the handshake.
      socket.on('disconnect', (reason) => {
        if (this.#socket === socket) this.#socket = null;
        else if (this.#connecting) {
          this.#connecting = null;
          reject(new Error(reason));
        }
        socket.close();
        for (const done of this.#pending) done(null);
        this.#pending.clear();
      });
    });
    return this.#connecting;
  }

  async send(event: string, payload: unknown): Promise<unknown> {
    const socket = await this.#connected();
    return new Promise((resolve) => {
      const done = (answer: unknown) => {
        this.#pending.delete(done);
        resolve(answer);
      };
      this.#pending.add(done);
      socket.timeout(5000).emit(event, payload, (err: Error | null, answer: unknown) => done(err ? null : answer));
    });
  }

  close(): void {
    this.#socket?.close();
  }
}

/** Requests a stranger sends over HTTP (issue 12): traversal, cross-origin commands, login floods, oversized bodies, log pages. */
const HTTP_ATTACKS: ((url: string, cookie: string) => Promise<Response>)[] = [
  (url) => fetch(`${url}/${pick(['media', 'hls', 'recordings', 'api/sittings'])}/${pick(['..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/radacast.db', '....//....//secret.key', '%00', fuzzString()])}`),
  (url, cookie) =>
    fetch(`${url}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie },
      body: JSON.stringify({ type: 'sitting.open', sittingId: DEMO_SITTING }),
    }),
  (url, cookie) => fetch(`${url}/api/commands`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie }, body: 'type=sitting.open' }),
  (url) => fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: fuzzString() }) }),
  (url, cookie) => fetch(`${url}/api/commands`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: `{"type":"vote.cast","subject":"${'x'.repeat(2_000_000)}"}` }),
  (url) => fetch(`${url}/api/sittings/${DEMO_SITTING}/log?after=${pick(['-1', '1e9', 'NaN', '0', fuzzString()])}&limit=${pick(['0', '100000', 'x'])}`),
  (url) => fetch(`${url}/api/search?q=${encodeURIComponent(pick(['б', 'бюджет*', '"', 'NEAR(', fuzzString(), 'ї'.repeat(5000)]))}`),
];

/** Garbage on the RTMP port before any key: a bogus handshake, then chunk headers announcing huge messages. */
function rtmpGarbage(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      const junk = Buffer.alloc(1537 + 1536 + 4096);
      for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
      junk[0] = 3;
      socket.write(junk);
      // A type-0 chunk header on csid 3 announcing a 16 MB message, then silence.
      socket.write(Buffer.from([0x03, 0, 0, 0, 0xff, 0xff, 0xff, 0x14, 0, 0, 0, 0]));
      setTimeout(() => socket.destroy(), 500 + rand() * 1500);
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

/** A /live client on a WebSocket that subscribes and then never reads (the server must drop it). */
async function neverReads(url: string): Promise<WebSocket | null> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => {});
  try {
    await once(ws, 'open');
  } catch {
    return null;
  }
  ws.send('40/live,');
  for (let i = 0; i < 100; i++) ws.send(`42/live,${i}["subscribe",{"sittingId":"${DEMO_SITTING}"}]`);
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return ws;
}

interface Tally {
  acknowledged: number;
  resent: number;
  fuzzSent: number;
  fuzzAccepted: number;
  fuzzMillis: number;
  serverFaults: number;
  crashes: number;
  kills: number;
  peakRssKb: number;
  rtmpPushes: number;
  runsLive: number;
  neverReading: number;
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
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const tally: Tally = {
    acknowledged: 0,
    resent: 0,
    fuzzSent: 0,
    fuzzAccepted: 0,
    fuzzMillis: 0,
    serverFaults: 0,
    crashes: 0,
    kills: 0,
    peakRssKb: 0,
    rtmpPushes: 0,
    runsLive: 0,
    neverReading: 0,
  };
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
  let encoder: Encoder | undefined;

  async function start(): Promise<{ server: ChildServer; client: JsonClient; url: string; rtmpPort: number }> {
    const [port, rtmpPort] = [await freePort(), await freePort()];
    const server = spawnServer({ ...env, PORT: String(port), RADACAST_RTMP_PORT: String(rtmpPort) });
    current = server;
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, server, 120_000);
    const client = new JsonClient(url, lanes.length + SOCKETS + 2);
    if (cookie) client.setHeader('cookie', cookie);
    return { server, client, url, rtmpPort };
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

  /** The live push: ffmpeg's test pattern to the room's RTMP ingest with its own key (for as long as the server lives). */
  async function push(client: JsonClient): Promise<void> {
    const { body } = await client.get<IngestInfo>('/api/rooms/plenary/ingest');
    encoder = pushTestPattern(body.rtmp.url, 3600);
    tally.rtmpPushes += 1;
  }

  /**
   * Malformed input over every edge until the server dies or `quota` is spent: SOCKETS
   * connections per socket.io namespace and HTTP, IN_FLIGHT requests in flight on each.
   */
  async function fuzz(client: JsonClient, url: string, rtmpPort: number, quota: number, stop: () => boolean): Promise<void> {
    const clerks = Array.from({ length: SOCKETS }, () => new FuzzSocket(`${url}/clerk`, cookie));
    const lives = Array.from({ length: SOCKETS }, () => new FuzzSocket(`${url}/live`, ''));
    const silent: (WebSocket | null)[] = [];
    const begun = performance.now();
    let left = quota;
    const loop = async (send: () => Promise<void>): Promise<void> => {
      while (left > 0 && !stop()) {
        left -= 1;
        tally.fuzzSent += 1;
        try {
          await send();
        } catch {
          if (stop()) return; // the server is gone
        }
      }
    };
    const clerkEvent = async (socket: FuzzSocket) => {
      const event = rand() < 0.9 ? 'command' : pick(['subscribe', 'unsubscribe', 'nope', fuzzString()]);
      const answer = (await socket.send(event, fuzzPayload())) as { ok?: boolean; error?: { code: string } } | null;
      if (answer?.error?.code === 'internal') tally.serverFaults += 1;
      if (answer?.ok && event === 'command') tally.fuzzAccepted += 1;
    };
    const liveEvent = async (socket: FuzzSocket) => {
      await socket.send(pick(['subscribe', 'subscribe', 'unsubscribe', 'command', fuzzString()]), rand() < 0.5 ? { room: fuzzString() } : rand() < 0.01 ? outsized() : fuzzValue());
    };
    const httpEvent = async () => {
      if (rand() < 0.1) {
        const res = await pick(HTTP_ATTACKS)(url, cookie);
        await res.arrayBuffer();
        if (res.status >= 500) tally.serverFaults += 1;
        return;
      }
      const res = await client.post<{ ok?: boolean }>('/api/commands', fuzzPayload());
      if (res.status >= 500) tally.serverFaults += 1;
      if (res.body?.ok) tally.fuzzAccepted += 1;
    };
    try {
      // Attacks on the other edges, a few per run.
      const sideAttacks = (async () => {
        for (let i = 0; i < 3 && !stop(); i++) silent.push(await neverReads(url));
        tally.neverReading += silent.filter(Boolean).length;
        for (let i = 0; i < 3 && !stop(); i++) await rtmpGarbage(rtmpPort);
      })();
      await Promise.all([
        sideAttacks,
        ...clerks.flatMap((socket) => Array.from({ length: IN_FLIGHT }, () => loop(() => clerkEvent(socket)))),
        ...lives.flatMap((socket) => Array.from({ length: IN_FLIGHT }, () => loop(() => liveEvent(socket)))),
        ...Array.from({ length: SOCKETS }, () => loop(httpEvent)),
      ]);
    } finally {
      tally.fuzzMillis += performance.now() - begun;
      for (const socket of [...clerks, ...lives]) socket.close();
      for (const ws of silent) ws?.terminate();
    }
  }

  /** Waits for the console to report the room live (the push reached the new server). */
  function watchLive(url: string): { live: Promise<boolean>; close(): void } {
    const socket = io(`${url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    const live = new Promise<boolean>((resolve) => {
      socket.on('ingest', (status: IngestStatus) => status.room === 'plenary' && status.state === 'live' && resolve(true));
      socket.on('disconnect', () => resolve(false));
      socket.on('connect_error', () => resolve(false));
    });
    return { live, close: () => socket.close() };
  }

  try {
    let runs = 0;
    while (Date.now() < deadline && tally.kills < KILLS) {
      const { server, client, url, rtmpPort } = await start();
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
      const watch = watchLive(url);
      void watch.live.then((live) => live && (tally.runsLive += 1));
      if (RTMP) await push(client);
      const killAfterMs = 200 + rand() * 3000;
      const sampler = setInterval(() => (tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid))), 200);
      const timer = setTimeout(() => {
        tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid));
        killed = true;
        server.child.kill('SIGKILL');
      }, killAfterMs);
      const stop = () => killed || exited;
      const quota = Math.ceil((FUZZ - tally.fuzzSent) / Math.max(1, KILLS - runs));
      runs += 1;
      const fuzzing = fuzz(client, url, rtmpPort, quota, stop);
      await Promise.all(lanes.map((lane) => drive(client, lane, stop)));
      // A fuzz request left hanging by the kill must not hold up the soak (its own timeouts end it).
      await Promise.race([fuzzing, server.exited.then(() => new Promise((resolve) => setTimeout(resolve, 10_000)))]);
      // The fuzz may spend its quota before the kill: the kill still comes at its random moment.
      await server.exited;
      clearTimeout(timer);
      clearInterval(sampler);
      watch.close();
      await encoder?.kill();
      const exit = await server.exited;
      if (exit.signal !== 'SIGKILL') {
        tally.crashes += 1;
        process.stderr.write(`crash: ${JSON.stringify(exit)} ${server.stderr().slice(-2000)}\n`);
      }
      tally.kills += 1;
      client.close();
      if (tally.kills % 10 === 0) {
        process.stdout.write(`… ${tally.kills} kills, ${tally.acknowledged} acknowledged, ${tally.fuzzSent} fuzzed (${Math.round(tally.fuzzSent / (tally.fuzzMillis / 1000))}/s), ${Math.round((Date.now() - started) / 1000)} s\n`);
      }
    }

    const { server, client, url, rtmpPort } = await start();
    await Promise.all(lanes.map((lane) => drive(client, lane, () => false, true)));
    // What the kill runs left of the fuzz, against a server that stays up (still within SOAK_SECONDS).
    let exited = false;
    void server.exited.then(() => (exited = true));
    const fuzzStart = tally.fuzzSent;
    while (tally.fuzzSent < FUZZ && Date.now() < deadline && !exited) {
      await fuzz(client, url, rtmpPort, Math.min(20_000, FUZZ - tally.fuzzSent), () => exited || Date.now() >= deadline);
      tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid));
      process.stdout.write(`… ${tally.fuzzSent} fuzzed (${Math.round(tally.fuzzSent / (tally.fuzzMillis / 1000))}/s), ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
    if (exited) {
      tally.crashes += 1;
      process.stderr.write(`crash after the kills: ${server.stderr().slice(-2000)}\n`);
    }
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
    tally.peakRssKb = Math.max(tally.peakRssKb, rssPeakKb(server.child.pid));
    client.close();
    server.child.kill('SIGTERM');
    const lastExit = await server.exited;
    // Every chain of the database, as `npm run verify-record` checks it.
    const { faults, streams, events: logged } = verifyDatabaseFile(`${dataDir}/${DATABASE_FILE}`);

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
    const rate = tally.fuzzSent / (tally.fuzzMillis / 1000);
    const report = {
      seed: SEED,
      seconds: Math.round((Date.now() - started) / 1000),
      kills: tally.kills,
      acknowledged: tally.acknowledged,
      resentAfterKill: tally.resent,
      missing,
      duplicated,
      appliedButNeverAcknowledged: unacknowledged,
      chainVerifies: verified && fault === null && faults.length === 0,
      chainFaults: faults.map(describeFault),
      streamsVerified: streams,
      eventsVerified: logged,
      healthAfter: health.status,
      rtmpPushes: tally.rtmpPushes,
      runsWhereThePushWentLive: tally.runsLive,
      neverReadingLiveClients: tally.neverReading,
      fuzzedInputs: tally.fuzzSent,
      fuzzedAfterTheKills: tally.fuzzSent - fuzzStart,
      fuzzAccepted: tally.fuzzAccepted,
      fuzzPerSecond: Math.round(rate),
      secondsFor1MillionFuzzed: Math.round(1_000_000 / rate),
      serverFaults5xx: tally.serverFaults,
      crashes: tally.crashes,
      cleanShutdown: lastExit.code === 0,
      peakRssMb: Math.round(tally.peakRssKb / 1024),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const ok = missing === 0 && duplicated === 0 && report.chainVerifies && tally.crashes === 0 && tally.serverFaults === 0 && health.status === 'ready';
    process.exitCode = ok ? 0 : 1;
  } finally {
    current?.child.kill('SIGKILL');
    await encoder?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
