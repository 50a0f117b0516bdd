// The interpreter's runs on disk as a sitting's recording sees them (server/media/webrtc/
// interpreterRendition.ts): only the runs within the time asked for, one after another with a
// discontinuity; a run opened later is found; retention deletes whole runs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterpreterRuns, RUN_PLAYLIST } from '../../server/media/webrtc/interpreterRendition.ts';
import { tempDir } from '../support/testServer.ts';

const ROOM = 'plenary';
const T0 = Date.parse('2026-12-10T08:00:00Z');
const MIN = 60_000;

/** A run folder as ffmpeg leaves it: `count` 2-second segments from `start`, ENDLIST when ended. */
function writeRun(dir: string, start: number, count: number, ended: boolean): string {
  const run = String(start);
  mkdirSync(join(dir, ROOM, run), { recursive: true });
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0'];
  for (let i = 0; i < count; i++) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(start + i * 2000).toISOString()}`, '#EXTINF:2.000000,', `seg-${i}.ts`);
  if (ended) lines.push('#EXT-X-ENDLIST');
  writeFileSync(join(dir, ROOM, run, RUN_PLAYLIST), lines.join('\n') + '\n');
  return run;
}

const uris = (playlist: string | null) => (playlist ?? '').split('\n').filter((l) => l !== '' && (!l.startsWith('#') || l === '#EXT-X-DISCONTINUITY'));

describe('the interpreter runs of a room', () => {
  const dir = tempDir('radacast-interpreter-runs-');
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a sitting the segments of the runs within its time only, and finds a run opened later', () => {
    const a = writeRun(dir, T0, 3, true);
    const b = writeRun(dir, T0 + 30 * MIN, 2, true);
    const runs = new InterpreterRuns(dir);
    // The first run only; the second starts after the time asked for.
    expect(uris(runs.recordingPlaylist(ROOM, T0, T0 + 10 * MIN))).toEqual([`${a}/seg-0.ts`, `${a}/seg-1.ts`, `${a}/seg-2.ts`]);
    // Both, with a discontinuity between them; a time before either has nothing.
    expect(uris(runs.recordingPlaylist(ROOM, T0 + 3000, T0 + 40 * MIN))).toEqual([`${a}/seg-1.ts`, `${a}/seg-2.ts`, '#EXT-X-DISCONTINUITY', `${b}/seg-0.ts`, `${b}/seg-1.ts`]);
    expect(runs.recordingPlaylist(ROOM, T0 - 60 * MIN, T0 - 30 * MIN)).toBeNull();
    // A run opened after the room was listed, still growing: it is found, and grows.
    const { run: c, dir: cDir } = runs.open(ROOM, new Date(T0 + 60 * MIN));
    expect(runs.recordingPlaylist(ROOM, T0 + 50 * MIN, T0 + 70 * MIN)).toBeNull();
    writeRun(dir, Number(c), 1, false);
    expect(cDir).toBe(join(dir, ROOM, c));
    expect(uris(runs.recordingPlaylist(ROOM, T0 + 50 * MIN, T0 + 70 * MIN))).toEqual([`${c}/seg-0.ts`]);
    writeRun(dir, Number(c), 2, true);
    expect(uris(runs.recordingPlaylist(ROOM, T0 + 50 * MIN, T0 + 70 * MIN))).toEqual([`${c}/seg-0.ts`, `${c}/seg-1.ts`]);
  });

  it('deletes whole runs that ended before the retention cut-off, and the recording no longer lists them', () => {
    const a = writeRun(dir, T0, 3, true);
    const b = writeRun(dir, T0 + 30 * MIN, 2, true);
    const runs = new InterpreterRuns(dir);
    expect(uris(runs.recordingPlaylist(ROOM, T0, T0 + 40 * MIN))).toHaveLength(6);
    expect(runs.expireBefore(T0 + 10 * MIN)).toBe(1);
    expect(runs.file(ROOM, a, 'seg-0.ts')).toBeNull();
    expect(uris(runs.recordingPlaylist(ROOM, T0, T0 + 40 * MIN))).toEqual([`${b}/seg-0.ts`, `${b}/seg-1.ts`]);
  });
});
