// radacast.pid in the data folder while a server uses it, so `npm run restore` can refuse to
// replace a database under a running server. A SIGKILLed server leaves the file behind: a pid
// that is no longer alive counts as not running.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../thrown.ts';

const PID_FILE = 'radacast.pid';

export function writePidFile(dataDir: string): void {
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
}

export function removePidFile(dataDir: string): void {
  rmSync(join(dataDir, PID_FILE), { force: true });
}

/** The pid of a live server using this data folder, or null. */
export function runningServer(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive but another user's process; ESRCH: gone.
    return errnoCode(err) === 'EPERM' ? pid : null;
  }
}
