// Reaping an SRT listener left behind by a killed server: the process in the pid file is
// killed only when it still is that listener — never some other process that got the pid.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapOrphan } from '../../server/media/orphans.ts';
import { FFMPEG, freeUdpPort } from './support.ts';

describe('orphaned listeners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radacast-orphans-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills the listener named in the pid file', async () => {
    const port = await freeUdpPort();
    const url = `srt://127.0.0.1:${port}?mode=listener&passphrase=orphan-passphrase`;
    const orphan = spawn(FFMPEG, ['-nostdin', '-f', 'mpegts', '-i', url, '-f', 'null', '-'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    const pidFile = join(dir, 'plenary.srt.pid');
    writeFileSync(pidFile, String(orphan.pid));
    expect(reapOrphan(pidFile, `srt://127.0.0.1:${port}?mode=listener`)).toBe(orphan.pid);
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(pidFile)).toBe(false);
  });

  it('leaves alone a process that is not that listener', async () => {
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pidFile = join(dir, 'hall.srt.pid');
    writeFileSync(pidFile, String(bystander.pid));
    expect(reapOrphan(pidFile, 'srt://127.0.0.1:9000?mode=listener')).toBeNull();
    expect(bystander.exitCode).toBeNull();
    writeFileSync(pidFile, String(process.pid));
    expect(reapOrphan(pidFile, 'node')).toBeNull();
    expect(reapOrphan(join(dir, 'missing.pid'), 'srt')).toBeNull();
    bystander.kill('SIGKILL');
  });
});
