// ffmpeg listeners left behind by a server that was killed (SIGKILL, power loss) keep their SRT
// port. Each listener's pid is written to a file; at the next start a process found there is
// killed only if it still is that ffmpeg (its command line names the same listener URL).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** Kills the process named in `pidFile` if its command line contains `marker`; removes the file. */
export function reapOrphan(pidFile: string, marker: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return null;
  }
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return null;
  if (!commandLine(pid)?.includes(marker)) return null;
  process.kill(pid, 'SIGKILL');
  return pid;
}

export function writePid(pidFile: string, pid: number): void {
  writeFileSync(pidFile, String(pid));
}

export function forgetPid(pidFile: string): void {
  rmSync(pidFile, { force: true });
}
