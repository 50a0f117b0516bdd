// Wall-clock time of media: when each segment began (its EXT-X-PROGRAM-DATE-TIME), and where a
// moment of the sitting (an agenda item, a vote) falls in a recording made of such segments.
import type { RecordingMark, SittingView } from '../../protocol/views.ts';

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
 * Seconds from the start of the recording to the moment `at` (ms since epoch). A moment
 * before the first segment maps to 0, one in a gap (encoder offline) to where the picture
 * resumes, one after the last segment to the end.
 */
export function offsetAt(segments: readonly TimedSegment[], at: number): number {
  let offset = 0;
  for (const s of segments) {
    if (at < s.start) return offset;
    const end = s.start + s.duration * 1000;
    if (at < end) return offset + (at - s.start) / 1000;
    offset += s.duration;
  }
  return offset;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Every agenda-item start and every vote's opening and closing, in time order, with its offset. */
export function recordingMarks(view: SittingView, segments: readonly TimedSegment[]): RecordingMark[] {
  const marks: Omit<RecordingMark, 'offset'>[] = [];
  for (const item of view.agenda) if (item.startedAt) marks.push({ kind: 'item', id: item.id, at: item.startedAt });
  for (const vote of view.votes) {
    marks.push({ kind: 'vote-opened', id: vote.id, at: vote.openedAt });
    if (vote.closedAt) marks.push({ kind: 'vote-closed', id: vote.id, at: vote.closedAt });
  }
  return marks
    .map((m) => ({ ...m, offset: round3(offsetAt(segments, Date.parse(m.at))) }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
