// The server is SIGKILLed at random moments while a clerk's client streams commands at it.
// After each restart the client resends what was in flight (same commandId); at the end every
// acknowledged command is in the log exactly once, as first answered, and the chain verifies.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAnswer, LogEntry } from '../../protocol/answers.ts';
import type { CommandInput } from '../../protocol/commands.ts';
import type { Choice } from '../../protocol/model.ts';
import type { SittingView } from '../../protocol/views.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { attendanceLane, castLane, random, type Lane } from '../support/commandLanes.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { ADMIN_PASSWORD, tempDir } from '../support/testServer.ts';

const KILLS = 20;
const VOTE = 'crash-vote';
const REGISTERED = DEPUTIES.slice(0, 24);

interface Ack {
  seq: number;
  hash: string;
}

describe('crash safety', () => {
  let current: ChildServer | undefined;
  // Also runs when the test times out, so no server outlives the run.
  afterEach(() => {
    current?.child.kill('SIGKILL');
  });

  it(`every acknowledged command survives ${KILLS} SIGKILLs exactly once`, { timeout: 120_000 }, async () => {
    const seed = Number(process.env.RADACAST_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rand = random(seed);
    const context = `[seed:${seed}]`;
    const dataDir = tempDir('radacast-crash-');
    const env = {
      HOST: '127.0.0.1',
      RADACAST_DATA_DIR: dataDir,
      RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RADACAST_LOG_LEVEL: 'warn',
      RADACAST_DEMO: '1',
    };

    const choices = new Map<string, Choice>();
    const present = new Set(REGISTERED);
    const lanes = [
      castLane('cast-a', VOTE, DEPUTIES.slice(0, 12), choices),
      castLane('cast-b', VOTE, DEPUTIES.slice(12, 24), choices),
      attendanceLane('attend-a', DEPUTIES.slice(24, 33), present),
      attendanceLane('attend-b', DEPUTIES.slice(33, 42), present),
    ];
    const acks = new Map<string, Ack>();
    let resent = 0;
    let cookie = '';

    async function start(): Promise<{ server: ChildServer; client: JsonClient }> {
      const port = await freePort();
      const server = spawnServer({ ...env, PORT: String(port) });
      current = server;
      await waitForHealth(`http://127.0.0.1:${port}`, server);
      const client = new JsonClient(`http://127.0.0.1:${port}`, lanes.length);
      if (cookie) client.setHeader('cookie', cookie);
      return { server, client };
    }

    function acknowledge(command: CommandInput, status: number, answer: CommandAnswer): void {
      if (status !== 200 || !answer.ok) {
        throw new Error(`${context} refused ${JSON.stringify(command)}: ${JSON.stringify(answer)}\n${current?.stdout()}`);
      }
      // Every command of this test changes the record, so it appends exactly one event.
      expect(answer.events, context).toHaveLength(1);
      expect(answer.events[0]!.commandId, context).toBe(command.commandId);
      acks.set(command.commandId!, { seq: answer.seq, hash: answer.events[0]!.hash });
    }

    /** Sends the lane's commands until the server goes away; `once` stops after the pending one. */
    async function drive(client: JsonClient, lane: Lane, onAck: () => void, once = false): Promise<void> {
      while (!(once && lane.pending === null)) {
        const retry = lane.pending !== null;
        const command = lane.pending ?? lane.make();
        lane.pending = command;
        let res;
        try {
          res = await client.post<CommandAnswer>('/api/commands', command);
        } catch {
          return; // killed: the command stays pending
        }
        acknowledge(command, res.status, res.body);
        if (retry) resent += 1;
        lane.applied(command);
        lane.pending = null;
        onAck();
      }
    }

    try {
      for (let kill = 1; kill <= KILLS; kill += 1) {
        const { server, client } = await start();
        if (kill === 1) {
          // Log in (the session outlives restarts) and take the sitting live.
          const login = await client.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
          cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
          client.setHeader('cookie', cookie);
          for (const command of liveVoteCommands({ present: REGISTERED, voteId: VOTE, idPrefix: 'crash-setup' })) {
            const res = await client.post<CommandAnswer>('/api/commands', command);
            acknowledge(command, res.status, res.body);
          }
        }
        // The moment of death: right after a random number of acknowledgements (0 = at once),
        // while the other lanes' requests are wherever they happen to be.
        const target = Math.floor(rand() * 40);
        let acked = 0;
        const killNow = () => server.child.kill('SIGKILL');
        if (target === 0) killNow();
        const running = lanes.map((lane) => drive(client, lane, () => (++acked === target ? killNow() : undefined)));
        // Lanes stop when the server dies; one that fails stops the server too.
        await Promise.all(running).finally(killNow);
        const exit = await server.exited;
        expect(exit.signal, `${context} kill ${kill}: ${server.stderr()}`).toBe('SIGKILL');
        client.close();
      }

      // The last start: resend what was in flight, then read the record.
      const { server, client } = await start();
      await Promise.all(lanes.map((lane) => drive(client, lane, () => undefined, true)));
      const log = (await client.get<{ verified: boolean; fault: string | null; events: LogEntry[] }>(`/api/sittings/${DEMO_SITTING}/log`)).body;
      const view = (await client.get<SittingView>(`/api/sittings/${DEMO_SITTING}`)).body;
      client.close();
      server.child.kill('SIGTERM');
      expect((await server.exited).code, context).toBe(0);

      expect(log.fault, context).toBeNull();
      expect(log.verified, context).toBe(true);
      const byCommand = new Map<string, LogEntry[]>();
      for (const e of log.events) {
        if (e.commandId === null) continue;
        byCommand.set(e.commandId, [...(byCommand.get(e.commandId) ?? []), e]);
      }
      // Everything sent was acknowledged in the end, and every acknowledgement is in the log once,
      // exactly as first answered; nothing unacknowledged slipped in.
      expect(lanes.every((lane) => lane.pending === null), context).toBe(true);
      expect(acks.size, context).toBeGreaterThan(KILLS * 5);
      expect(resent, `${context} no command was ever in flight at a kill`).toBeGreaterThan(0);
      for (const [commandId, ack] of acks) {
        const entries = byCommand.get(commandId) ?? [];
        expect(entries.map((e) => ({ seq: e.seq, hash: e.hash })), `${context} ${commandId}`).toEqual([ack]);
      }
      expect([...byCommand.keys()].filter((id) => !id.startsWith('demo:') && !acks.has(id)), context).toEqual([]);
      expect(view.seq, context).toBe(log.events.length);

      // What the residents see is what the clerk's client believes it did.
      const vote = view.votes.find((v) => v.id === VOTE)!;
      for (const [memberId, choice] of choices) expect(vote.choices?.[memberId], `${context} ${memberId}`).toBe(choice);
      expect(new Set(view.attendance.present), context).toEqual(present);
    } finally {
      current?.child.kill('SIGKILL');
      await current?.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
