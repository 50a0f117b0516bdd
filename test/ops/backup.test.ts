// Backups taken from a running server while a clerk's client streams commands: the copy
// restores to a database whose chains verify and that holds every command acknowledged before
// the backup began; a tampered copy is refused, naming its stream; a running server's database
// is never replaced.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../protocol/answers.ts';
import type { CommandInput } from '../../protocol/commands.ts';
import { createLogger } from '../../server/logger.ts';
import { BackupSchedule } from '../../server/ops/BackupSchedule.ts';
import { openDatabase, DATABASE_FILE } from '../../server/store/database.ts';
import { EventLog } from '../../server/store/EventLog.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { ADMIN_PASSWORD, tempDir } from '../support/testServer.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** `npm run backup|restore -- <file>` as an operator types it, against `dataDir`. */
async function operation(name: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, RADACAST_DATA_DIR: dataDir },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

function commandIds(file: string): Set<string> {
  const db = new Database(file, { readonly: true });
  const ids = db.prepare<[], { command_id: string }>('SELECT command_id FROM events WHERE command_id IS NOT NULL').all();
  db.close();
  return new Set(ids.map((r) => r.command_id));
}

describe('backup and restore', () => {
  const dirs: string[] = [];
  let server: ChildServer | undefined;
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dir = (prefix: string) => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };

  it('a backup taken under a command stream restores with every command acknowledged before it', { timeout: 90_000 }, async () => {
    const dataDir = dir('radacast-backup-live-');
    const port = await freePort();
    server = spawnServer({
      HOST: '127.0.0.1',
      PORT: String(port),
      RADACAST_DATA_DIR: dataDir,
      RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RADACAST_LOG_LEVEL: 'warn',
      RADACAST_DEMO: '1',
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, server);
    const client = new JsonClient(url, 2);
    const login = await client.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
    client.setHeader('cookie', login.headers['set-cookie']![0]!.split(';')[0]!);
    for (const command of liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v-backup', idPrefix: 'backup-setup' })) {
      expect((await client.post<CommandAnswer>('/api/commands', command)).body.ok).toBe(true);
    }

    // A clerk keeps recording choices while the backup runs.
    const acknowledged: string[] = [];
    let streaming = true;
    const stream = (async () => {
      for (let n = 0; streaming; n += 1) {
        const command: CommandInput = {
          type: 'vote.cast',
          sittingId: DEMO_SITTING,
          voteId: 'v-backup',
          memberId: DEPUTIES[n % 30]!,
          // Each round over the 30 members flips every choice, so every command appends an event.
          choice: Math.floor(n / 30) % 2 === 0 ? 'for' : 'against',
          commandId: `stream:${n}`,
        };
        const res = await client.post<CommandAnswer>('/api/commands', command);
        expect(res.body.ok).toBe(true);
        acknowledged.push(command.commandId!);
      }
    })();
    while (acknowledged.length < 50) await new Promise((resolve) => setImmediate(resolve));

    const before = [...acknowledged];
    const file = join(dir('radacast-backup-file-'), 'copy.db');
    const backup = await operation('backup', file, dataDir);
    const during = acknowledged.length;
    streaming = false;
    await stream;
    client.close();
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toMatch(/every chain verified/);
    expect(during - before.length, 'commands kept being acknowledged during the backup').toBeGreaterThan(0);

    // Restore into a new data folder; a server started on it verifies every chain at start.
    const restoredDir = dir('radacast-backup-restored-');
    const restore = await operation('restore', file, restoredDir);
    expect(restore.code, restore.out).toBe(0);
    const ids = commandIds(join(restoredDir, DATABASE_FILE));
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
    const db = openDatabase(restoredDir);
    expect(new EventLog(db).verifyAll()).toEqual([]);
    db.close();
  });

  it('refuses a tampered copy, naming the stream, and leaves the database as it was', async () => {
    const source = dir('radacast-backup-src-');
    const db = openDatabase(source);
    const log = new EventLog(db);
    log.transaction(() =>
      log.append('sitting/s1', undefined, [{ type: 'sitting.opened', sittingId: 's1' } as never], { at: new Date().toISOString(), actor: 'admin', commandId: 'c1' }),
    );
    db.close();
    const file = join(dir('radacast-backup-bad-'), 'copy.db');
    copyFileSync(join(source, DATABASE_FILE), file);
    const tamper = new Database(file);
    tamper.prepare("UPDATE events SET actor = 'mallory'").run();
    tamper.close();

    const target = dir('radacast-backup-target-');
    const restore = await operation('restore', file, target);
    expect(restore.code).toBe(1);
    expect(restore.out).toMatch(/refusing to restore/);
    expect(restore.out).toMatch(/stream:sitting\/s1/);
    expect(existsSync(join(target, DATABASE_FILE))).toBe(false);
  });

  it('never replaces the database of a running server', async () => {
    const dataDir = dir('radacast-backup-running-');
    const port = await freePort();
    server = spawnServer({ HOST: '127.0.0.1', PORT: String(port), RADACAST_DATA_DIR: dataDir, RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD, RADACAST_LOG_LEVEL: 'warn' });
    await waitForHealth(`http://127.0.0.1:${port}`, server);
    const file = join(dir('radacast-backup-copy-'), 'copy.db');
    expect((await operation('backup', file, dataDir)).code).toBe(0);
    const restore = await operation('restore', file, dataDir);
    expect(restore.code).toBe(1);
    expect(restore.out).toMatch(/stop it first/);
  });

  it('scheduled backups keep the newest copies only', async () => {
    const dataDir = dir('radacast-backup-sched-');
    const backupDir = dir('radacast-backup-dir-');
    const db = openDatabase(dataDir);
    const schedule = new BackupSchedule({ dataDir, dir: backupDir, everyMs: 3_600_000, keep: 2, logger: createLogger('silent') });
    for (let i = 0; i < 3; i += 1) await schedule.runNow();
    await schedule.close();
    db.close();
    expect(readdirSync(backupDir).filter((f) => f.endsWith('.db'))).toHaveLength(2);
  });
});
