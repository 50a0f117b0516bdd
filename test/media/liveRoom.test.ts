// A room's live window on real files, without ffmpeg: one publisher at a time, the window
// sliding (files deleted once their grace time is up, the discontinuity sequence counting what
// slid out), a room offline for long enough no longer offering its stale picture as live, and
// the numbering continuing across a restart of the server.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveRoom, MAX_HELD_RELOADS, type Run } from '../../server/media/LiveRoom.ts';
import { nextEvent, parsePlaylist } from './support.ts';

const options = { windowSize: 3, segmentSeconds: 1, statusIntervalMs: 0, offlineResetMs: 60_000 };
/** Segments added "an hour ago": whatever leaves the window is past its grace time at once. */
const LONG_AGO = Date.now() - 3_600_000;

describe('LiveRoom', () => {
  let dir: string;
  let room: LiveRoom;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'radacast-room-'));
  });
  afterEach(async () => {
    await room.close();
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

  it('holds at most MAX_HELD_RELOADS blocking reloads; past that one is answered at once, not held', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const held = Array.from({ length: MAX_HELD_RELOADS }, () => room.blockFor(0, 0, 60_000));
    expect(held.every((answer) => answer instanceof Promise)).toBe(true);
    // Nothing has arrived: the next one gets the playlist as it is, without waiting.
    await expect(room.blockFor(0, 0, 60_000)).resolves.toBe(false);
  });

  it('lets one publisher in at a time', () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const lease = room.claim('rtmp')!;
    expect(room.claim('srt')).toBeNull();
    lease.release();
    lease.release();
    expect(room.live).toBe(false);
    expect(room.claim('srt')).not.toBeNull();
  });

  it('slides: old files go, the discontinuity sequence counts discontinuities that slid out', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const first = room.claim('rtmp')!;
    const runA = room.createRun();
    first.segments(runA, writeRun(runA, 0, 2), LONG_AGO);
    room.endRun(runA);
    first.release();

    const second = room.claim('rtmp')!;
    const runB = room.createRun();
    second.segments(runB, writeRun(runB, 0, 2), LONG_AGO);
    let playlist = parsePlaylist(room.playlist()!);
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([false, true, false]);
    expect(playlist.header['EXT-X-MEDIA-SEQUENCE']).toBe('1');
    expect(playlist.header['EXT-X-DISCONTINUITY-SEQUENCE']).toBe('0');

    second.segments(runB, writeRun(runB, 2, 1), LONG_AGO);
    playlist = parsePlaylist(room.playlist()!);
    expect(playlist.segments.every((s) => s.map === `${runB.runId}/init.mp4`)).toBe(true);
    expect(playlist.header['EXT-X-MEDIA-SEQUENCE']).toBe('2');
    // Run B's first segment keeps its discontinuity tag while it is listed; it counts for it.
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([true, false, false]);
    expect(playlist.header['EXT-X-DISCONTINUITY-SEQUENCE']).toBe('0');
    // Run A is out of the window and past its grace time: its folder goes.
    await vi.waitFor(() => expect(existsSync(runA.dir)).toBe(false));
    expect(room.file(runA.runId, 'init.mp4')).toBeNull();

    // Out of the window but within its grace time: still served to players fetching it.
    second.segments(runB, writeRun(runB, 3, 1), Date.now());
    expect(parsePlaylist(room.playlist()!).segments.map((s) => s.uri)).not.toContain(`${runB.runId}/seg-00000.m4s`);
    expect(room.file(runB.runId, 'seg-00000.m4s')).toBe(join(runB.dir, 'seg-00000.m4s'));
    expect(room.file(runB.runId, 'seg-00003.m4s')).toBe(join(runB.dir, 'seg-00003.m4s'));
    expect(room.file('../..', 'init.mp4')).toBeNull();
  });

  it('keeps a segment that left the window for its duration plus the playlist duration (RFC 8216 §6.2.2)', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    const lease = room.claim('rtmp')!;
    const run = room.createRun();
    const now = Date.now();
    // 3 segments of 1 s listed (3 s), then one more pushes seg-00000 out: it stays 1 + 3 s.
    lease.segments(run, writeRun(run, 0, 4), now - 3_900);
    expect(room.file(run.runId, 'seg-00000.m4s')).not.toBeNull();
    await vi.waitFor(() => expect(room.file(run.runId, 'seg-00000.m4s')).toBeNull(), { timeout: 2_000 });
    expect(Date.now() - (now - 3_900)).toBeGreaterThanOrEqual(4_000);
  });

  it('continues the media sequence after a restart, with a discontinuity', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    let lease = room.claim('rtmp')!;
    let run = room.createRun();
    lease.segments(run, writeRun(run, 0, 5), Date.now());
    const before = parsePlaylist(room.playlist()!);
    await room.close();

    room = new LiveRoom('plenary', join(dir, 'plenary'), options, pino({ level: 'silent' }));
    lease = room.claim('rtmp')!;
    run = room.createRun();
    lease.segments(run, writeRun(run, 0, 1), Date.now());
    const after = parsePlaylist(room.playlist()!);
    expect(Number(after.header['EXT-X-MEDIA-SEQUENCE'])).toBeGreaterThan(Number(before.header['EXT-X-MEDIA-SEQUENCE']) + 2);
    expect(after.segments[0]!.discontinuity).toBe(true);
    expect(Number(after.header['EXT-X-DISCONTINUITY-SEQUENCE'])).toBe(Number(before.header['EXT-X-DISCONTINUITY-SEQUENCE']));
  });

  it('clears a window left without a publisher, and starts a fresh one when one returns', async () => {
    room = new LiveRoom('plenary', join(dir, 'plenary'), { ...options, offlineResetMs: 50 }, pino({ level: 'silent' }));
    const lease = room.claim('rtmp')!;
    const run = room.createRun();
    lease.segments(run, writeRun(run, 0, 2), LONG_AGO);
    room.endRun(run);
    lease.release();
    expect(room.playlist()).not.toBeNull();
    await nextEvent(room, 'status', () => room.playlist() === null, 2000);
    // Unlisted now, deleted once the players that loaded the last playlist are done with it.
    expect(room.file(run.runId, 'seg-00000.m4s')).not.toBeNull();
    await vi.waitFor(() => expect(existsSync(run.dir)).toBe(false), { timeout: 5_000 });
    expect(room.status().liveBytes).toBe(0);

    const again = room.claim('rtmp')!;
    const next = room.createRun();
    again.segments(next, writeRun(next, 0, 1), Date.now());
    expect(parsePlaylist(room.playlist()!).header['EXT-X-MEDIA-SEQUENCE']).toBe('2');
  });
});
