// Verifying a database file on its own (a backup, or one about to be restored): is it a
// radacast database, and does every hash chain in it hold?
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { Db } from '../store/database.ts';
import { EventLog } from '../store/EventLog.ts';
import type { ChainFault } from '../store/hashChain.ts';
import { verifyAudit } from './AuditTrail.ts';

export class BackupError extends Error {
  override name = 'BackupError';
}

export function verifyDatabaseFile(file: string): { faults: ChainFault[]; streams: number; events: number } {
  if (!existsSync(file)) throw new BackupError(`no such file: ${file}`);
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('schema_version'); // fails here if the file is not a SQLite database
  } catch (err) {
    throw new BackupError(`${file} is not a radacast database (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (!hasEvents) throw new BackupError(`${file} is not a radacast database (no event log)`);
    const faults: ChainFault[] = new EventLog(db).verifyAll();
    const audit = verifyAudit(db);
    if (audit !== null) faults.push(audit);
    const { streams, events } = db
      .prepare<[], { streams: number; events: number }>('SELECT COUNT(DISTINCT stream) AS streams, COUNT(*) AS events FROM events')
      // An aggregate answers one row, even over an empty table.
      .get() ?? { streams: 0, events: 0 };
    return { faults, streams, events };
  } finally {
    db.close();
  }
}
