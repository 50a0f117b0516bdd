// Playlists and time: writing the live window (discontinuity
// sequence kept right as runs slide out) and recordings, program date-times of segments, and
// where the moments of a sitting fall in its recording.
import { describe, expect, it } from 'vitest';
import type { SittingView } from '../../protocol/views.ts';
import { renderPlaylist, targetDuration } from '../../server/media/playlist.ts';
import { offsetAt, placeSegments, recordingMarks } from '../../server/media/timeline.ts';
import { parsePlaylist } from './support.ts';

const T0 = Date.parse('2026-12-10T08:00:00.000Z');

describe('rendered playlists', () => {
  const runA = [0, 1].map((i) => ({ runId: 'a-0000', file: `seg-0000${i}.m4s`, duration: 1, start: T0 + i * 1000 }));
  const runB = [0, 1].map((i) => ({ runId: 'b-0000', file: `seg-0000${i}.m4s`, duration: 2.4, start: T0 + 10_000 + i * 2400 }));

  it('a live window: program date-time on every segment, a discontinuity and a new map per run', () => {
    const text = renderPlaylist({ kind: 'live', segments: [...runA, ...runB], mediaSequence: 40, discontinuitySequence: 3, minTargetDuration: 1 });
    const parsed = parsePlaylist(text);
    expect(parsed.header['EXT-X-MEDIA-SEQUENCE']).toBe('40');
    expect(parsed.header['EXT-X-DISCONTINUITY-SEQUENCE']).toBe('3');
    expect(parsed.header['EXT-X-TARGETDURATION']).toBe('2');
    expect(parsed.header['EXT-X-PLAYLIST-TYPE']).toBeUndefined();
    expect(parsed.ended).toBe(false);
    expect(parsed.segments.map((s) => [s.uri, s.map, s.discontinuity])).toEqual([
      ['a-0000/seg-00000.m4s', 'a-0000/init.mp4', false],
      ['a-0000/seg-00001.m4s', 'a-0000/init.mp4', false],
      ['b-0000/seg-00000.m4s', 'b-0000/init.mp4', true],
      ['b-0000/seg-00001.m4s', 'b-0000/init.mp4', false],
    ]);
    expect(parsed.segments.map((s) => s.programDateTime)).toEqual([T0, T0 + 1000, T0 + 10_000, T0 + 12_400]);
  });

  it('VOD ends with ENDLIST; EVENT grows until it does', () => {
    const vod = parsePlaylist(renderPlaylist({ kind: 'vod', segments: runA, mediaSequence: 0, discontinuitySequence: 0, minTargetDuration: 1 }));
    expect(vod.header['EXT-X-PLAYLIST-TYPE']).toBe('VOD');
    expect(vod.ended).toBe(true);
    const event = parsePlaylist(renderPlaylist({ kind: 'event', segments: runA, mediaSequence: 0, discontinuitySequence: 0, minTargetDuration: 1 }));
    expect(event.header['EXT-X-PLAYLIST-TYPE']).toBe('EVENT');
    expect(event.ended).toBe(false);
  });

  it('the target duration covers every rounded EXTINF and never drops below the floor', () => {
    expect(targetDuration([{ duration: 1.4 }, { duration: 2.6 }], 1)).toBe(3);
    expect(targetDuration([{ duration: 1 }], 4)).toBe(4);
  });
});

describe('program date-time', () => {
  it('anchors a new run on when its segments ended, and continues within a run', () => {
    const now = T0 + 10_000;
    expect(placeSegments(null, 'a', [1, 1], now)).toEqual([T0 + 8000, T0 + 9000]);
    expect(placeSegments({ runId: 'a', end: now }, 'a', [1.5], now + 1700)).toEqual([now]);
  });

  it('never lets a new run overlap the previous one', () => {
    const previousEnd = T0 + 10_000;
    expect(placeSegments({ runId: 'a', end: previousEnd }, 'b', [2], T0 + 11_000)).toEqual([previousEnd]);
    expect(placeSegments({ runId: 'a', end: previousEnd }, 'b', [2], T0 + 20_000)).toEqual([T0 + 18_000]);
  });
});

describe('offsets in a recording', () => {
  // 0–4 s of video, a 10 s gap (encoder offline), then 2 s more.
  const segments = [
    { start: T0, duration: 2 },
    { start: T0 + 2000, duration: 2 },
    { start: T0 + 14_000, duration: 2 },
  ];

  it('maps wall-clock moments to seconds of video, gaps to where the picture resumes', () => {
    expect(offsetAt(segments, T0 - 5000)).toBe(0);
    expect(offsetAt(segments, T0 + 2500)).toBe(2.5);
    expect(offsetAt(segments, T0 + 9000)).toBe(4);
    expect(offsetAt(segments, T0 + 15_000)).toBe(5);
    expect(offsetAt(segments, T0 + 60_000)).toBe(6);
  });

  it('marks every item start and vote opening and closing, in time order', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const view = {
      agenda: [
        { id: 'i1', startedAt: iso(T0 + 1000) },
        { id: 'i2', startedAt: iso(T0 + 15_500) },
        { id: 'i3', startedAt: null },
      ],
      votes: [{ id: 'v1', openedAt: iso(T0 + 3000), closedAt: iso(T0 + 14_500) }],
    } as unknown as SittingView;
    expect(recordingMarks(view, segments)).toEqual([
      { kind: 'item', id: 'i1', at: iso(T0 + 1000), offset: 1 },
      { kind: 'vote-opened', id: 'v1', at: iso(T0 + 3000), offset: 3 },
      { kind: 'vote-closed', id: 'v1', at: iso(T0 + 14_500), offset: 4.5 },
      { kind: 'item', id: 'i2', at: iso(T0 + 15_500), offset: 5.5 },
    ]);
  });
});
