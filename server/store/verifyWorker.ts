// The background verification's child process: every chain of the live database, read in one
// read transaction (a consistent snapshot while the server keeps committing). Answers {faults}
// or {error} over IPC. Started by verifyInBackground.
import Database from 'better-sqlite3';
import { EventLog } from './EventLog.ts';

const [file] = process.argv.slice(2) as [string];
const answer = (message: object) => process.send!(message, () => process.exit(0));
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const faults = db.transaction(() => new EventLog(db).verifyAll())();
    answer({ faults });
  } finally {
    db.close();
  }
} catch (err) {
  answer({ error: err instanceof Error ? err.message : String(err) });
}
