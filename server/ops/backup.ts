// Operations on the database file as a whole: an online, consistent copy taken in a child
// process (the server keeps answering), verified before it counts as a backup, and putting a
// verified copy back in place of the live database.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE } from '../store/database.ts';
import { describeFault } from '../store/hashChain.ts';
import { BackupError, verifyDatabaseFile } from './verifyDatabaseFile.ts';
import { pipeFrom } from '../childProcesses.ts';

export { BackupError, verifyDatabaseFile };

export interface BackupReport {
  file: string;
  bytes: number;
  streams: number;
  events: number;
  millis: number;
}

/**
 * Copies the database of `dataDir` to `file` while a server may be writing to it, then
 * verifies the copy. A copy whose chains do not verify is removed and refused: a backup nobody
 * can restore is worse than none.
 */
export function backupDatabase(dataDir: string, file: string): Promise<BackupReport> {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) return Promise.reject(new BackupError(`no database in ${dataDir}`));
  // A child process, not a worker thread: it loads TypeScript with the same tsx loader as the
  // server, and its reads and hashing never compete with the server's event loop.
  const child = fork(fileURLToPath(new URL('./backupWorker.ts', import.meta.url)), [source, file], {
    execArgv: ['--import', 'tsx'],
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  pipeFrom(child, 2).setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('message', (answer: { report: BackupReport } | { error: string }) => {
      if ('report' in answer) resolve(answer.report);
      else reject(new BackupError(answer.error));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new BackupError(`the backup stopped (exit ${code}) ${stderr.trim()}`)));
  });
}

/**
 * Replaces the data folder's database with a verified copy. The current database (and its WAL)
 * is kept beside it as `radacast.db.before-restore-<time>`; nothing is deleted.
 */
export function restoreDatabase(file: string, dataDir: string, now: Date): { replaced: string | null } {
  const { faults } = verifyDatabaseFile(file);
  if (faults.length > 0) throw new BackupError(`refusing to restore ${file}: ${faults.map(describeFault).join('; ')}`);
  const live = join(dataDir, DATABASE_FILE);
  let replaced: string | null = null;
  if (existsSync(live)) {
    replaced = `${live}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    // Checkpoint the WAL into the old file first, so the kept copy is complete on its own.
    const old = new Database(live);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    renameSync(live, replaced);
    for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
  }
  copyFileSync(file, live);
  return { replaced };
}
