// A recording's chapters (one per agenda item taken up) and vote markers, from the marks the
// server places on the recording, plus the `?t=` deep link into it.
import { itemById } from '../../../protocol/viewQueries.ts';
import type { VideoRecordingMark, SittingView, VoteView } from '../../../protocol/views.ts';

export interface Chapter {
  itemId: string;
  number: string;
  title: string;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
}

export interface VoteMarker {
  voteId: string;
  subject: string;
  result: VoteView['result'];
  /** Where the vote opened, in seconds. */
  start: number;
  /** Where it closed; null while it is open. */
  end: number | null;
}

/** Chapters in recording order; each ends where the next begins (the last at the recording's end). */
export function chapters(view: SittingView): Chapter[] {
  const recording = view.recording;
  if (!recording) return [];
  const starts = recording.marks.filter((m) => m.kind === 'item');
  return starts.flatMap((mark, i) => {
    const item = itemById(view, mark.id);
    if (!item) return [];
    const end = starts[i + 1]?.offset ?? recording.duration;
    return [{ itemId: item.id, number: item.number, title: item.title, start: mark.offset, end: Math.max(end, mark.offset) }];
  });
}

export function voteMarkers(view: SittingView): VoteMarker[] {
  const marks = view.recording?.marks ?? [];
  const offset = (kind: VideoRecordingMark['kind'], id: string) => marks.find((m) => m.kind === kind && m.id === id)?.offset;
  return view.votes.flatMap((vote) => {
    const start = offset('vote-opened', vote.id);
    if (start === undefined) return [];
    return [{ voteId: vote.id, subject: vote.title, result: vote.result, start, end: offset('vote-closed', vote.id) ?? null }];
  });
}

/** The chapter playing at `time` seconds. */
export function chapterAt(list: readonly Chapter[], time: number): Chapter | null {
  let found: Chapter | null = null;
  for (const c of list) if (c.start <= time) found = c;
  return found;
}

/** The vote last opened at or before `time` seconds. */
export function voteAt(list: readonly VoteMarker[], time: number): VoteMarker | null {
  let found: VoteMarker | null = null;
  for (const m of list) if (m.start <= time) found = m;
  return found;
}

/** `?t=` as written in a link: whole seconds (a moment a little early is better than a little late). */
export function linkTime(seconds: number): number {
  return Math.max(0, Math.floor(seconds));
}

/** Reads `t` from a query string: "95", "95.5", "1m35s", "1h2m3s"; null when absent or invalid. */
export function parseLinkTime(search: string): number | null {
  const raw = new URLSearchParams(search).get('t');
  if (raw === null || raw.trim() === '') return null;
  const plain = /^\d+(?:\.\d+)?$/.exec(raw.trim());
  if (plain) return Number(raw);
  const parts = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw.trim());
  if (!parts || parts[0] === '') return null;
  const [, h = '0', m = '0', s = '0'] = parts;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
