// Start-up checkpoints (issue 19): a start reads the world back from the last checkpoint and
// verifies and replays only the events after it, and shows exactly what a replay of the whole
// log shows. A checkpoint of another version, or one edited behind the server's back, is
// ignored (with a log line) and the whole log replayed; a broken chain after it still gives the
// read-only start; a row edited before it is found by the background verification, which
// raises the same alarm.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Command, type CommandInput } from '../../protocol/commands.ts';
import { ArchiveProjector } from '../../server/archive/ArchiveProjector.ts';
import { createLogger } from '../../server/logger.ts';
import { DATABASE_FILE, openDatabase, type Db } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { BROKEN_STREAM, breakRecord } from '../support/brokenRecord.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import {
  castAll,
  closeSitting,
  closeVote,
  COMMITTEE,
  COMMITTEE_SITTING,
  correct,
  demoSetup,
  openSitting,
  openVote,
  register,
  startItem,
  tally,
} from '../support/givenWhenThen.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

const KEY = randomBytes(32);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A projector that counts rebuilds: the read models persist and must not be rebuilt at start. */
class CountingProjector extends ArchiveProjector {
  resets = 0;
  override reset(): void {
    this.resets += 1;
    super.reset();
  }
}

let clock = Date.parse('2026-12-10T08:00:00Z');
function run(record: CouncilRecord, commands: (CommandInput | Record<string, unknown>)[]): void {
  for (const input of commands) {
    clock += 1000;
    const answer = record.execute(Command.parse(input), { actor: 'test:clerk', at: new Date(clock).toISOString() });
    expect(answer, JSON.stringify(input)).toMatchObject({ ok: true });
  }
}

/**
 * A council's record written as the server writes it (with the checkpoint key): the plenary held
 * and closed (a checkpoint there), a correction after its close, then the committee live with an
 * open vote and a scene on air. The process then stops without a clean shutdown, so the events
 * after the close are the tail a start must replay.
 */
function writtenRecord(): { dir: string; db: Db } {
  const dir = tempDir('radacast-checkpoint-');
  dirs.push(dir);
  const db = openDatabase(dir);
  const record = new CouncilRecord(db, { projector: new ArchiveProjector(db), checkpointKey: KEY });
  const present = DEPUTIES.slice(0, 30);
  run(record, [
    ...demoSetup(),
    ...liveVoteCommands({ present, voteId: 'v1' }),
    ...castAll('v1', present.slice(0, 20), 'for'),
    ...castAll('v1', present.slice(20), 'against'),
    closeVote('v1'),
    openVote('v2', { ballot: 'secret' }),
    tally('v2', 18, 7, 3),
    closeVote('v2'),
    closeSitting(DEMO_SITTING),
    correct('v1', 'd01', 'abstain'),
    openSitting(COMMITTEE_SITTING),
    register(COMMITTEE.slice(0, 5), COMMITTEE_SITTING),
    startItem('c1', COMMITTEE_SITTING),
    openVote('c-v1', {}, COMMITTEE_SITTING),
    ...castAll('c-v1', COMMITTEE.slice(0, 3), 'for', COMMITTEE_SITTING),
    { type: 'overlay.scene', room: 'committee-room', scene: 'vote' },
  ]);
  return { dir, db };
}

/** What a start shows: the world, every sitting's public view and list entry, each stream's log page. */
function shown(record: CouncilRecord) {
  const ids = [...record.world.sittings.keys()];
  return {
    world: record.world,
    views: ids.map((id) => record.sitting(id)),
    list: record.sittings(),
    onAir: ['plenary', 'committee-room'].map((room) => record.onAir(room)),
    logs: ids.map((id) => record.logPage(`sitting/${id}`, 0, 1000)),
  };
}

describe('a start from a checkpoint', () => {
  it('shows exactly what a replay of the whole log shows, replaying only the tail, without rebuilding the read models', () => {
    const { db } = writtenRecord();
    const full = new CouncilRecord(db);
    expect(full.startReport).toMatchObject({ checkpoint: 'none' });
    const projector = new CountingProjector(db);
    const fromCheckpoint = new CouncilRecord(db, { projector, checkpointKey: KEY });

    expect(fromCheckpoint.startReport.checkpoint).toBe('used');
    // The correction, the committee's opening … the scene: the tail after the plenary's close.
    expect(fromCheckpoint.startReport.replayed).toBe(9);
    expect(fromCheckpoint.startReport.replayed).toBeLessThan(full.startReport.replayed);
    expect(projector.resets).toBe(0);
    expect(fromCheckpoint.readOnly).toBe(false);
    expect(shown(fromCheckpoint)).toEqual(shown(full));
    // The correction after the close is in the view read back, not only in the log.
    expect(fromCheckpoint.sitting(DEMO_SITTING)!.votes[0]!.corrections).toHaveLength(1);

    // And it goes on like the full replay: the open committee vote takes the next cast.
    run(fromCheckpoint, [...castAll('c-v1', COMMITTEE.slice(3, 5), 'against', COMMITTEE_SITTING), closeVote('c-v1', COMMITTEE_SITTING)]);
    const again = new CouncilRecord(db, { checkpointKey: KEY });
    expect(again.startReport).toMatchObject({ checkpoint: 'used' });
    expect(shown(again)).toEqual(shown(new CouncilRecord(db)));
    db.close();
  });

  it.each([
    {
      name: 'written by another version',
      edit: (raw: Database.Database) => raw.prepare("UPDATE checkpoint SET version = '0:older'").run(),
      reason: /another version/,
    },
    {
      name: 'with the choices edited in a sitting',
      edit: (raw: Database.Database) =>
        raw.prepare(`UPDATE checkpoint_sittings SET state = replace(state, '"for"', '"against"') WHERE sitting_id = ?`).run(DEMO_SITTING),
      reason: /seal of sitting .* does not hold/,
    },
    {
      name: 'with a sitting removed',
      edit: (raw: Database.Database) => raw.prepare('DELETE FROM checkpoint_sittings WHERE sitting_id = ?').run(DEMO_SITTING),
      reason: new RegExp(`sitting ${DEMO_SITTING} is missing`),
    },
    {
      name: 'with its heads moved back',
      edit: (raw: Database.Database) => raw.prepare("UPDATE checkpoint SET event_id = event_id - 5").run(),
      reason: /seal does not hold/,
    },
  ])('is ignored when $name: the whole log is replayed instead', ({ edit, reason }) => {
    const { dir, db } = writtenRecord();
    db.close();
    const raw = new Database(join(dir, DATABASE_FILE));
    edit(raw);
    raw.close();

    const reopened = openDatabase(dir);
    const record = new CouncilRecord(reopened, { checkpointKey: KEY });
    expect(record.startReport.checkpoint).toBe('ignored');
    expect(record.startReport.ignored).toMatch(reason);
    expect(record.readOnly).toBe(false);
    expect(shown(record)).toEqual(shown(new CouncilRecord(reopened)));
    // Replaced by a sound one: the next start uses it.
    expect(new CouncilRecord(reopened, { checkpointKey: KEY }).startReport.checkpoint).toBe('used');
    reopened.close();
  });

  it('is ignored when the log no longer holds the head it was taken at, and the start is read-only', () => {
    const { dir, db } = writtenRecord();
    db.close();
    const raw = new Database(join(dir, DATABASE_FILE));
    // The plenary's last event before the checkpoint, rewritten (hash and all) by someone.
    raw.prepare("UPDATE events SET hash = ? WHERE stream = ? AND seq = (SELECT seq FROM heads WHERE stream = ?) - 1").run(
      'f'.repeat(64),
      `sitting/${DEMO_SITTING}`,
      `sitting/${DEMO_SITTING}`,
    );
    raw.close();

    const reopened = openDatabase(dir);
    const record = new CouncilRecord(reopened, { checkpointKey: KEY });
    expect(record.startReport.ignored).toMatch(new RegExp(`the log differs from it at sitting/${DEMO_SITTING}`));
    expect(record.readOnly).toBe(true);
    expect(record.faults.join()).toContain(`stream:sitting/${DEMO_SITTING}`);
    reopened.close();
  });
});

describe('the server at start-up', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function health(s: TestServer): Promise<{ status: string; integrity: { ok: boolean; faults: string[] } }> {
    return (await (await fetch(`${s.url}/api/health`)).json()) as { status: string; integrity: { ok: boolean; faults: string[] } };
  }

  it('says in its log when it ignores a checkpoint of another version', async () => {
    const first = await startTestServer({ demo: true });
    await first.close({ keepData: true });
    dirs.push(first.dataDir);
    const raw = new Database(join(first.dataDir, DATABASE_FILE));
    raw.prepare("UPDATE checkpoint SET version = '0:older'").run();
    raw.close();

    let output = '';
    const capture = new Writable({ write: (chunk: Buffer, _enc, done) => ((output += chunk.toString()), done()) });
    server = await startTestServer({ dataDir: first.dataDir }, createLogger('info', capture));
    expect(server.server.record.startReport.checkpoint).toBe('ignored');
    expect(output).toMatch(/the start-up checkpoint was ignored \(it was written by another version/);
    expect(output).toMatch(/"checkpoint":"ignored".*"record opened"/);
    expect((await server.sitting(DEMO_SITTING)).status).toBe('scheduled');
  });

  it('is read-only when the chain after the checkpoint is broken', async () => {
    const first = await startTestServer({ demo: true });
    await first.close({ keepData: true });
    dirs.push(first.dataDir);
    breakRecord(first.dataDir);

    server = await startTestServer({ dataDir: first.dataDir });
    expect(server.server.record.startReport).toMatchObject({ checkpoint: 'used', replayed: 1 });
    expect(server.server.record.readOnly).toBe(true);
    const { status, integrity } = await health(server);
    expect(status).toBe('read-only');
    expect(integrity.faults.join()).toContain(`stream:${BROKEN_STREAM}`);
    expect((await server.command(openSitting(DEMO_SITTING))).answer).toMatchObject({ ok: false, error: { code: 'read-only' } });
  });

  it('finds a row edited before the checkpoint in the background and raises the read-only alarm', { timeout: 60_000 }, async () => {
    const first = await startTestServer({ demo: true });
    await first.close({ keepData: true });
    dirs.push(first.dataDir);
    const raw = new Database(join(first.dataDir, DATABASE_FILE));
    raw.prepare("UPDATE events SET data = replace(data, 'Пленарне', 'Позачергове') WHERE stream = ? AND seq = 1").run(`sitting/${DEMO_SITTING}`);
    raw.close();

    server = await startTestServer({ dataDir: first.dataDir });
    // The tail holds nothing: the start trusts the chains before the checkpoint…
    expect(server.server.record.startReport).toMatchObject({ checkpoint: 'used', replayed: 0 });
    // …until the background verification has read them again.
    await server.server.verified;
    expect(server.server.record.readOnly).toBe(true);
    const { status, integrity } = await health(server);
    expect(status).toBe('read-only');
    expect(integrity.faults.join()).toContain(`content does not match its hash [stream:sitting/${DEMO_SITTING}, seq:1]`);
    const log = (await (await fetch(`${server.url}/api/sittings/${DEMO_SITTING}/log`)).json()) as { verified: boolean };
    expect(log.verified).toBe(false);
    expect((await server.command(openSitting(DEMO_SITTING))).answer).toMatchObject({ ok: false, error: { code: 'read-only' } });
    await server.close({ keepData: true });

    // The checkpoint went with the alarm: the next start verifies the whole log and is read-only at once.
    server = await startTestServer({ dataDir: first.dataDir });
    expect(server.server.record.startReport.checkpoint).toBe('none');
    expect(server.server.record.readOnly).toBe(true);
  });
});
