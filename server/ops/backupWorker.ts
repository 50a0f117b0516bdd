// The backup's heavy part, off the server's event loop: a consistent copy of the database in
// one read transaction (VACUUM INTO: in WAL mode the server keeps committing meanwhile, and
// unlike the step-wise backup API it never restarts when the source changes), then the
// verification of every chain in the copy. Started by backupDatabase with IPC; answers {report} or {error}.
import Database from 'better-sqlite3';
import { renameSync, rmSync, statSync } from 'node:fs';
import { verifyDatabaseFile } from './verifyDatabaseFile.ts';
import { answerParent } from '../childProcesses.ts';
import { describeFault } from '../store/hashChain.ts';

const [source, file] = process.argv.slice(2);
if (source === undefined || file === undefined) throw new Error('usage: backupWorker <database> <backup file>');
const started = performance.now();
const partial = `${file}.partial`;
try {
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  const { faults, streams, events } = verifyDatabaseFile(partial);
  if (faults.length > 0) throw new Error(`the copy does not verify: ${faults.map(describeFault).join('; ')}`);
  renameSync(partial, file);
  answerParent({ report: { file, bytes: statSync(file).size, streams, events, millis: performance.now() - started } });
} catch (err) {
  rmSync(partial, { force: true });
  answerParent({ error: err instanceof Error ? err.message : String(err) });
}
