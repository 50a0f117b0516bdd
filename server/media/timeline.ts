// Wall-clock time of media: when each segment began (its EXT-X-PROGRAM-DATE-TIME), and where a
// moment of the sitting (an agenda item, a vote) falls in a recording made of such segments.
import type { VideoRecordingMark, SittingView } from '../../protocol/views.ts';

/**
 * Start times (ms since epoch) for segments a run just completed, `now` being when the last
 * of them ended. Within a run, time follows the media (the encoder's clock is the capture
 * clock); a new run is anchored on `now` and never overlaps what came before.
 */
export function placeSegments(
  previous: { runId: string; end: number } | null,
  runId: string,
  durations: number[],
  now: number,
): number[] {
  const total = durations.reduce((sum, d) => sum + d * 1000, 0);
  let start: number;
  if (previous && previous.runId === runId) start = previous.end;
  else {
    start = now - total;
    if (previous && start < previous.end) start = previous.end;
  }
  const starts: number[] = [];
  for (const d of durations) {
    starts.push(Math.round(start));
    start += d * 1000;
  }
  return starts;
}

export interface TimedSegment {
  /** ms since epoch */
  start: number;
  /** seconds */
  duration: number;
}

/**
 * Seconds from the start of the recording to a moment (ms since epoch), asked for moments in
 * ascending order: one pass over the segments for them all. A moment before the first segment
 * maps to 0, one in a gap (encoder offline) to where the picture resumes, one after the last
 * segment to the end.
 */
function offsetsInOrder(segments: readonly TimedSegment[]): (at: number) => number {
  let offset = 0;
  let i = 0;
  return (at) => {
    // Skip the segments that ended before this moment; later moments cannot fall in them either.
    for (let s = segments[i]; s && at >= s.start + s.duration * 1000; s = segments[++i]) offset += s.duration;
    const s = segments[i];
    return s && at >= s.start ? offset + (at - s.start) / 1000 : offset;
  };
}

export const offsetAt = (segments: readonly TimedSegment[], at: number): number => offsetsInOrder(segments)(at);

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Every agenda-item start and every vote's opening and closing, in time order, with its offset. */
export function recordingMarks(view: SittingView, segments: readonly TimedSegment[]): VideoRecordingMark[] {
  const marks: (Omit<VideoRecordingMark, 'offset'> & { time: number })[] = [];
  const mark = (kind: VideoRecordingMark['kind'], id: string, at: string) => marks.push({ kind, id, at, time: Date.parse(at) });
  for (const item of view.agenda) if (item.startedAt) mark('item', item.id, item.startedAt);
  for (const vote of view.votes) {
    mark('vote-opened', vote.id, vote.openedAt);
    if (vote.closedAt) mark('vote-closed', vote.id, vote.closedAt);
  }
  marks.sort((a, b) => a.time - b.time);
  const offsetOf = offsetsInOrder(segments);
  return marks.map(({ time, ...m }) => ({ ...m, offset: round3(offsetOf(time)) }));
}
