// The child-process wrapper on its own: a binary that cannot start is a start-up failure (not
// an exit), stderr lines are kept for diagnostics, a stop ends the input so ffmpeg finishes,
// and a process that ignores SIGTERM is killed after the timeout.
import { describe, expect, it } from 'vitest';
import { FfmpegProcess } from '../../server/media/FfmpegProcess.ts';
import { FFMPEG } from './support.ts';

describe('FfmpegProcess', () => {
  it('reports a missing binary as a start-up failure', async () => {
    const exit = await new FfmpegProcess('/nonexistent/ffmpeg', ['-version']).whenExited();
    expect(exit.spawnError).toBeInstanceOf(Error);
    expect((exit.spawnError as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(exit.code).toBeNull();
  });

  it('keeps the last stderr lines of a failed run', async () => {
    const process = new FfmpegProcess(FFMPEG, ['-hide_banner', '-i', '/nonexistent/input.flv', '-f', 'null', '-'], { recentLines: 5 });
    const exit = await process.whenExited();
    expect(exit.spawnError).toBeNull();
    expect(exit.code).not.toBe(0);
    expect(exit.stopped).toBe(false);
    expect(process.recentLines.join('\n')).toContain('No such file or directory');
  });

  it('stops politely: the end of its input lets ffmpeg finish and exit cleanly', async () => {
    const process = new FfmpegProcess(FFMPEG, ['-hide_banner', '-f', 'flv', '-i', 'pipe:0', '-f', 'null', '-'], { stdin: true });
    expect(process.stdin).not.toBeNull();
    const exit = await process.stop();
    expect(exit).toMatchObject({ stopped: true, signal: null });
    expect(process.closed).toBe(true);
    await process.close(); // idempotent
  });

  it('kills a process that does not stop within the timeout', async () => {
    // Not ffmpeg: a node process that ignores SIGTERM, to exercise the SIGKILL path.
    const stubborn = "process.on('SIGTERM', () => {}); process.stderr.write('ready\\n'); setInterval(() => {}, 1000);";
    const process = new FfmpegProcess(globalThis.process.execPath, ['-e', stubborn], { killAfterMs: 300 });
    await new Promise((resolve) => process.once('line', resolve));
    const started = Date.now();
    const exit = await process.stop();
    expect(exit.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
