// The recorder on real files, without ffmpeg: which segments belong to a sitting when it closes
// in the middle of one, and what survives a restart (segments.jsonl), so a recording started
// before a stop is finished after it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveSegment } from '../../server/media/LiveRoom.ts';
import { VideoRecorder } from '../../server/media/VideoRecorder.ts';
import { parsePlaylist } from './support.ts';

const T0 = Date.parse('2026-12-10T08:00:00.000Z');
const logger = pino({ level: 'silent' });

describe('VideoRecorder', () => {
  let dir: string;
  let live: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'radacast-recorder-'));
    live = join(dir, 'live', 'a1b2c3-0001');
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'init.mp4'), 'init');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A live segment file of `bytes` bytes starting `startSec` after T0. */
  function segment(index: number, startSec: number, duration = 2): LiveSegment {
    const file = `seg-${String(index).padStart(5, '0')}.m4s`;
    writeFileSync(join(live, file), Buffer.alloc(100, index));
    return {
      runId: 'a1b2c3-0001',
      file,
      duration,
      start: T0 + startSec * 1000,
      seq: index,
      disc: 0,
      discontinuity: false,
      bytes: 100,
      path: join(live, file),
      initPath: join(live, 'init.mp4'),
    };
  }

  it('keeps the segment in progress when the sitting closes, and nothing after it', async () => {
    const recorder = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    const finalized: string[] = [];
    recorder.on('finalized', (id) => finalized.push(id));
    recorder.begin('s1', 'plenary');
    recorder.onSegment('plenary', segment(0, 0));
    recorder.onSegment('other-room', segment(1, 0));
    recorder.end('s1', T0 + 3000, true);
    expect(finalized).toEqual([]);
    recorder.onSegment('plenary', segment(2, 2)); // 2–4 s: in progress at the close
    recorder.onSegment('plenary', segment(3, 4));
    await recorder.settled();
    expect(finalized).toEqual(['s1']);

    const playlist = parsePlaylist(recorder.playlist('s1')!.text);
    expect(playlist.header['EXT-X-PLAYLIST-TYPE']).toBe('VOD');
    expect(playlist.ended).toBe(true);
    expect(playlist.segments.map((s) => s.uri)).toEqual(['a1b2c3-0001/seg-00000.m4s', 'a1b2c3-0001/seg-00002.m4s']);
    // Hard links: the recording outlives the live window's deletions.
    rmSync(live, { recursive: true });
    const kept = recorder.file('s1', 'a1b2c3-0001', 'seg-00002.m4s');
    expect(kept && readFileSync(kept)).toEqual(Buffer.alloc(100, 2));
    expect(recorder.file('s1', 'a1b2c3-0001', '../../etc/passwd')).toBeNull();
    expect(recorder.usage('plenary')).toEqual({ bytes: 204, count: 1 });
  });

  it('copies segments when recordings live on another volume', async () => {
    // /dev/shm is a tmpfs: a hard link from the temp folder's file system fails with EXDEV there.
    const elsewhere = mkdtempSync('/dev/shm/radacast-recordings-');
    try {
      const recorder = new VideoRecorder(elsewhere, { closeGraceMs: 60_000 }, logger);
      recorder.begin('s1', 'plenary');
      recorder.onSegment('plenary', segment(0, 0));
      recorder.end('s1', T0 + 1000, false);
      await recorder.settled();
      rmSync(live, { recursive: true });
      expect(parsePlaylist(recorder.playlist('s1')!.text).segments).toHaveLength(1);
      expect(readFileSync(recorder.file('s1', 'a1b2c3-0001', 'seg-00000.m4s')!)).toEqual(Buffer.alloc(100, 0));
      expect(readFileSync(recorder.file('s1', 'a1b2c3-0001', 'init.mp4')!, 'utf8')).toBe('init');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('finishes after a restart what a stop interrupted', async () => {
    const before = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    before.begin('s1', 'plenary');
    before.onSegment('plenary', segment(0, 0));
    before.onSegment('plenary', segment(1, 2));
    await before.close();

    // The sitting is still live after the restart: recording goes on.
    const resumed = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    resumed.load('s1', 'plenary', null);
    expect(resumed.get('s1')!.segments).toHaveLength(2);
    expect(parsePlaylist(resumed.playlist('s1')!.text).header['EXT-X-PLAYLIST-TYPE']).toBe('EVENT');
    await resumed.close();

    // It closed while the server was down: the VOD is written at start-up.
    const after = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    after.load('s1', 'plenary', T0 + 10_000);
    expect(after.get('s1')!.state).toBe('complete');
    await after.settled();
    expect(readFileSync(join(dir, 'recordings', 's1', 'index.m3u8'), 'utf8')).toContain('#EXT-X-ENDLIST');
  });

  it('expires recordings past retention but remembers what they were', async () => {
    const recorder = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    recorder.begin('s1', 'plenary');
    recorder.onSegment('plenary', segment(0, 0));
    recorder.end('s1', T0 + 1000, false);
    await recorder.settled();
    expect(recorder.expireBefore(T0, new Date())).toEqual([]);
    expect(recorder.expireBefore(T0 + 2000, new Date(T0 + 99_000))).toEqual(['s1']);
    expect(recorder.playlist('s1')).toBeUndefined();
    expect(recorder.usage('plenary')).toEqual({ bytes: 0, count: 0 });
    const reopened = new VideoRecorder(join(dir, 'recordings'), { closeGraceMs: 60_000 }, logger);
    reopened.load('s1', 'plenary', T0 + 1000);
    expect(reopened.get('s1')).toMatchObject({ state: 'expired', expired: { duration: 2, startedAt: new Date(T0).toISOString() } });
  });

  it('holds finished recordings as totals only, reading a segment list back when asked', async () => {
    const recordings = join(dir, 'recordings');
    const writer = new VideoRecorder(recordings, { closeGraceMs: 60_000 }, logger);
    for (let r = 0; r < 8; r++) {
      writer.begin(`s${r}`, 'plenary');
      for (let i = 0; i < 50; i++) writer.onSegment('plenary', segment(r * 50 + i, i * 2));
      writer.end(`s${r}`, T0 + 100_000, false);
    }
    await writer.close();
    expect(writer.residentSegments).toBe(0);

    // A restart loads every recording: none of their lists stays in memory.
    const recorder = new VideoRecorder(recordings, { closeGraceMs: 60_000 }, logger);
    for (let r = 0; r < 8; r++) recorder.load(`s${r}`, 'plenary', T0 + 100_000);
    expect(recorder.residentSegments).toBe(0);
    expect(recorder.usage('plenary')).toEqual({ bytes: 8 * (50 * 100 + 4), count: 8 });
    expect(recorder.get('s3')).toMatchObject({ state: 'complete', count: 50, duration: 100, startedAt: T0 });
    // Viewers open every one of them: only a few lists are kept at a time.
    for (let r = 0; r < 8; r++) {
      expect(parsePlaylist(recorder.playlist(`s${r}`)!.text).segments).toHaveLength(50);
      expect(recorder.segments(`s${r}`)).toHaveLength(50);
    }
    expect(recorder.residentSegments).toBeLessThanOrEqual(4 * 50);
  });
});
