// After a start from a checkpoint only the tail of the log was verified; this verifies every
// chain again in a child process (its reads and hashing never hold up the server's event loop),
// as `npm run verify-record` does.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE } from './database.ts';
import type { ChainFault } from './hashChain.ts';
import { pipeFrom } from '../childProcesses.ts';

export interface BackgroundVerification {
  /** The faults found (none: the record verifies); rejects if the verification could not run. */
  done: Promise<ChainFault[]>;
  /** Stops it (at shutdown); `done` then rejects. */
  stop(): void;
}

export function verifyInBackground(dataDir: string): BackgroundVerification {
  const child = fork(fileURLToPath(new URL('./verifyWorker.ts', import.meta.url)), [join(dataDir, DATABASE_FILE)], {
    execArgv: ['--import', 'tsx'],
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  pipeFrom(child, 2).setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChainFault[]>((resolve, reject) => {
    child.once('message', (answer: { faults: ChainFault[] } | { error: string }) => {
      if ('faults' in answer) resolve(answer.faults);
      else reject(new Error(answer.error));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the verification stopped (${signal ?? `exit ${code}`}) ${stderr.trim()}`)));
  });
  return { done, stop: () => child.kill() };
}
