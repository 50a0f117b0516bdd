// The background verification's child process: every chain of the live database, read in one
// read transaction (a consistent snapshot while the server keeps committing). Answers {faults}
// or {error} over IPC. Started by verifyInBackground.
import Database from 'better-sqlite3';
import { EventLog } from './EventLog.ts';
import { answerParent } from '../childProcesses.ts';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: verifyWorker <database>');
// A server that was killed no longer wants the answer: stop rather than read on for nothing.
const parent = process.ppid;
let seen = 0;
const orphaned = () => {
  seen += 1;
  if (seen % 10_000 === 0 && process.ppid !== parent) process.exit(0);
};
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { faults } = db.transaction(() => new EventLog(db).scan(orphaned))();
    answerParent({ faults });
  } finally {
    db.close();
  }
} catch (err) {
  answerParent({ error: err instanceof Error ? err.message : String(err) });
}
