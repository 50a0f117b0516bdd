// A room's live window on real files, without ffmpeg: one publisher at a time, the window
// sliding (files deleted, the discontinuity sequence counting what slid out), and a room
// offline for long enough no longer offering its stale picture as live.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveRoom, type Run } from '../../server/media/LiveRoom.ts';
import { nextEvent, parsePlaylist } from './support.ts';

const options = { windowSize: 3, keepAfterWindow: 1, segmentSeconds: 1, statusIntervalMs: 0, offlineResetMs: 60_000 };

describe('LiveRoom', () => {
  let dir: string;
  let room: LiveRoom;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'radacast-room-'));
  });
  afterEach(() => {
    room.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** ffmpeg's part: a run folder with an init file and `count` segment files. */
  function writeRun(run: Run, from: number, count: number) {
    writeFileSync(join(run.dir, 'init.mp4'), 'init');
    return Array.from({ length: count }, (_, i) => {
      const file = `seg-${String(from + i).padStart(5, '0')}.m4s`;
      writeFileSync(join(run.dir, file), 'x'.repeat(1000));
      return { file, duration: 1, bytes: 1000 };
    });
  }

  it('lets one publisher in at a time', () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const lease = room.claim('rtmp')!;
    expect(room.claim('srt')).toBeNull();
    lease.release();
    lease.release();
    expect(room.live).toBe(false);
    expect(room.claim('srt')).not.toBeNull();
  });

  it('slides: old files go, the discontinuity sequence counts discontinuities that slid out', () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const first = room.claim('rtmp')!;
    const runA = room.createRun();
    first.segments(runA, writeRun(runA, 0, 2), Date.now());
    room.endRun(runA);
    first.release();

    const second = room.claim('rtmp')!;
    const runB = room.createRun();
    second.segments(runB, writeRun(runB, 0, 2), Date.now());
    let playlist = parsePlaylist(room.playlist()!);
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([false, true, false]);
    expect(playlist.header['EXT-X-MEDIA-SEQUENCE']).toBe('1');
    expect(playlist.header['EXT-X-DISCONTINUITY-SEQUENCE']).toBe('0');

    second.segments(runB, writeRun(runB, 2, 2), Date.now());
    playlist = parsePlaylist(room.playlist()!);
    expect(playlist.segments.every((s) => s.map === `${runB.runId}/init.mp4`)).toBe(true);
    expect(playlist.header['EXT-X-MEDIA-SEQUENCE']).toBe('3');
    expect(playlist.header['EXT-X-DISCONTINUITY-SEQUENCE']).toBe('1');
    // Run A is out of the window and the grace period: its folder is gone.
    expect(existsSync(runA.dir)).toBe(false);
    expect(room.file(runA.runId, 'init.mp4')).toBeNull();
    // Out of the window but within the grace period: still served to players fetching it.
    expect(playlist.segments.map((s) => s.uri)).not.toContain(`${runB.runId}/seg-00000.m4s`);
    expect(room.file(runB.runId, 'seg-00000.m4s')).toBe(join(runB.dir, 'seg-00000.m4s'));
    expect(room.file(runB.runId, 'seg-00003.m4s')).toBe(join(runB.dir, 'seg-00003.m4s'));
    expect(room.file('../..', 'init.mp4')).toBeNull();
  });

  it('clears a window left without a publisher, and starts a fresh one when one returns', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), { ...options, offlineResetMs: 50 }, pino({ level: 'silent' }));
    const lease = room.claim('rtmp')!;
    const run = room.createRun();
    lease.segments(run, writeRun(run, 0, 2), Date.now());
    room.endRun(run);
    lease.release();
    expect(room.playlist()).not.toBeNull();
    await nextEvent(room, 'status', () => room.playlist() === null, 2000);
    expect(room.status().liveBytes).toBe(0);
    expect(existsSync(run.dir)).toBe(false);

    const again = room.claim('rtmp')!;
    const next = room.createRun();
    again.segments(next, writeRun(next, 0, 1), Date.now());
    expect(parsePlaylist(room.playlist()!).header['EXT-X-MEDIA-SEQUENCE']).toBe('2');
  });
});
