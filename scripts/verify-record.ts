// `npm run verify-record -- <data folder>`: verifies every hash chain of a (stopped or copied)
// radacast database, as the server does at start-up, and names each fault's stream and seq.
// Exit 0 when the record is sound, 2 when it fails verification. Opens the file read-only.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EventLog } from '../server/store/EventLog.ts';
import { describeFault } from '../server/store/hashChain.ts';

const dataDir = process.argv[2] ?? process.env.RADACAST_DATA_DIR ?? './data';
const db = new Database(join(dataDir, 'radacast.db'), { readonly: true, fileMustExist: true });
try {
  const faults = new EventLog(db).verifyAll();
  for (const fault of faults) process.stdout.write(`FAULT ${describeFault(fault)}\n`);
  process.stdout.write(faults.length === 0 ? 'the record verifies\n' : `${faults.length} stream(s) fail verification\n`);
  process.exitCode = faults.length === 0 ? 0 : 2;
} finally {
  db.close();
}
