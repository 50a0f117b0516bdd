// Tampering with the durable log: a row edited, removed or swapped behind the server's back
// (with a raw SQLite connection, as someone with access to the file could) is detected by the
// verifier at the next start (or, for a row before the start-up checkpoint, by the background
// verification just after it): the server then serves the record read-only, with the fault on
// /api/health and `verified:false` on the public log, and refuses every command.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../protocol/answers.ts';
import type { RecordedEvent } from '../../protocol/events.ts';
import { openDatabase } from '../../server/store/database.ts';
import { EventLog } from '../../server/store/EventLog.ts';
import { eventHash } from '../../server/store/hashChain.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { freePort, spawnServer, waitForHealth, waitForStderr } from '../support/childServer.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer.ts';

const STREAM = `sitting/${DEMO_SITTING}`;
type Raw = Database.Database;

interface Row {
  seq: number;
  data: string;
  prev_hash: string;
  hash: string;
  at: string;
  actor: string;
  command_id: string | null;
}

const row = (db: Raw, seq: number): Row =>
  db.prepare<[string, number], Row>('SELECT * FROM events WHERE stream = ? AND seq = ?').get(STREAM, seq)!;
const setData = (db: Raw, seq: number, data: string): void => {
  db.prepare('UPDATE events SET data = ? WHERE stream = ? AND seq = ?').run(data, STREAM, seq);
};

/**
 * The sitting's log after the demo load and one closed roll-call vote:
 * 1 created, 2 opened, 3 registered, 4 item started, 5 vote opened, 6–9 casts, 10 vote closed.
 */
async function sittingWithClosedVote(): Promise<TestServer> {
  const server = await startTestServer({ demo: true });
  const commands = [
    ...liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' }),
    { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'for' },
    { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd02', choice: 'against' },
    { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd03', choice: 'abstain' },
    { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd04', choice: 'for' },
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
  ];
  for (const command of commands) {
    const { status, answer } = await server.command(command);
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    expect(status).toBe(200);
  }
  expect((await server.sitting(DEMO_SITTING)).seq).toBe(10);
  return server;
}

interface PublicLog {
  verified: boolean;
  fault: string | null;
  events: LogEntry[];
}

async function publicLog(server: TestServer): Promise<PublicLog> {
  const res = await fetch(`${server.url}/api/sittings/${DEMO_SITTING}/log`);
  expect(res.status).toBe(200);
  return (await res.json()) as PublicLog;
}

interface Case {
  name: string;
  tamper: (db: Raw) => void;
  /** What the verifier reports, and the words of the fault that name the stream and seq. */
  fault: Record<string, unknown>;
  says: string;
}

const cases: Case[] = [
  {
    name: 'an edited event (a cast changed from against to for)',
    tamper: (db) => setData(db, 7, JSON.stringify({ ...JSON.parse(row(db, 7).data), choice: 'for' })),
    fault: { kind: 'bad-hash', stream: STREAM, seq: 7 },
    says: `[stream:${STREAM}, seq:7]`,
  },
  {
    name: 'an edited event whose own hash was recomputed to match',
    tamper: (db) => {
      const r = row(db, 7);
      const event = { ...JSON.parse(r.data), choice: 'for' };
      const recorded: RecordedEvent = { stream: STREAM, seq: 7, at: r.at, actor: r.actor, commandId: r.command_id, event };
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE stream = ? AND seq = 7').run(
        JSON.stringify(event),
        eventHash(r.prev_hash, recorded),
        STREAM,
      );
    },
    // The forged row is self-consistent; the next one no longer links to it.
    fault: { kind: 'broken-link', stream: STREAM, seq: 8 },
    says: `[stream:${STREAM}, seq:8]`,
  },
  {
    name: 'a deleted middle event',
    tamper: (db) => db.prepare('DELETE FROM events WHERE stream = ? AND seq = 6').run(STREAM),
    fault: { kind: 'gap', stream: STREAM, expectedSeq: 6, foundSeq: 7 },
    says: `[stream:${STREAM}, expected seq:6, found:7]`,
  },
  {
    name: 'a deleted last event',
    tamper: (db) => db.prepare('DELETE FROM events WHERE stream = ? AND seq = 10').run(STREAM),
    fault: { kind: 'head-mismatch', stream: STREAM, headSeq: 10, lastSeq: 9 },
    says: `log ends at seq 9 but its head says 10 [stream:${STREAM}]`,
  },
  {
    name: 'two events with their data swapped',
    tamper: (db) => {
      const [six, seven] = [row(db, 6).data, row(db, 7).data];
      db.transaction(() => {
        setData(db, 6, seven);
        setData(db, 7, six);
      })();
    },
    fault: { kind: 'bad-hash', stream: STREAM, seq: 6 },
    says: `[stream:${STREAM}, seq:6]`,
  },
];

describe('tampering with the event log', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    if (server && !server.server.closed) await server.close();
    server = undefined;
  });

  it('an untouched log verifies everywhere', async () => {
    server = await sittingWithClosedVote();
    const log = await publicLog(server);
    expect(log).toMatchObject({ verified: true, fault: null });
    expect(log.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await server.close({ keepData: true });
    const db = openDatabase(server.dataDir);
    try {
      expect(new EventLog(db).verifyAll()).toEqual([]);
      expect(new CouncilRecord(db).sitting(DEMO_SITTING)?.votes[0]?.counts).toMatchObject({ for: 2, against: 1, abstain: 1 });
    } finally {
      db.close();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it.each(cases)('detects $name', async ({ tamper, fault, says }) => {
    server = await sittingWithClosedVote();
    const { dataDir } = server;
    try {
      await server.close({ keepData: true });
      const raw = new Database(join(dataDir, 'radacast.db'));
      tamper(raw);
      raw.close();

      const db = openDatabase(dataDir);
      try {
        expect(new EventLog(db).verifyAll()).toEqual([fault]);
        const record = new CouncilRecord(db);
        expect(record.readOnly).toBe(true);
        expect(record.faults).toHaveLength(1);
        expect(record.faults[0]).toContain(says);
      } finally {
        db.close();
      }

      // `npm start` on the tampered folder serves it read-only and says where the fault is.
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = spawnServer({
        PORT: String(port),
        HOST: '127.0.0.1',
        RADACAST_DATA_DIR: dataDir,
        RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
        RADACAST_LOG_LEVEL: 'silent',
      });
      try {
        await waitForHealth(url, child);
        // An edit before the start-up checkpoint is found by the background verification of
        // every chain (an edit of the tail, at once by the start).
        await waitForStderr(child, 'the log failed verification');
        expect(child.stderr()).toContain(says);
        expect(child.stderr()).not.toMatch(/\n\s+at /);
        const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string; integrity: { faults: string[] } };
        expect(health.status).toBe('read-only');
        expect(health.integrity.faults[0]).toContain(says);
        const log = (await (await fetch(`${url}/api/sittings/${DEMO_SITTING}/log`)).json()) as PublicLog;
        expect(log.verified).toBe(false);
        expect(log.fault).toContain(says);
      } finally {
        child.child.kill('SIGTERM');
        await child.exited;
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
