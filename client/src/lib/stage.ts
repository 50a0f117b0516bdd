// What the player shows for a sitting: which stream to load (the room's live HLS or the
// sitting's recording) and the situation to explain around it — not started yet, live, a
// break, waiting for the picture, or ended with the recording available. Pure.
import type { OnAir } from '../../../protocol/model.ts';
import type { SittingView } from '../../../protocol/views.ts';

/** What the video element is doing, as the player reports it. */
/** `showing`: a picture is on screen (playing or paused); `stalled`: it froze a moment ago, rebuffering. */
export type VideoState = 'idle' | 'loading' | 'showing' | 'stalled' | 'unavailable';

export type Source = { kind: 'live'; url: string } | { kind: 'recording'; url: string };

export type Stage =
  | { kind: 'loading' }
  | { kind: 'no-sitting' }
  | { kind: 'not-started'; scheduledAt: string }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'live' }
  | { kind: 'waiting' }
  | { kind: 'break'; text: string | null; until: string | null }
  | { kind: 'ended'; recording: 'available' | 'pending' | 'expired' | 'none' };

export const livePlaylist = (room: string): string => `/hls/${encodeURIComponent(room)}/index.m3u8`;

/**
 * The stream for a sitting: a live or scheduled sitting plays its room's live stream (a
 * scheduled one only when the room is on it, e.g. the picture before the opening); a closed
 * one its recording once complete.
 */
export function sourceFor(view: SittingView | null, roomIsOnIt: boolean): Source | null {
  if (!view) return null;
  if (view.status === 'live' || (view.status === 'scheduled' && roomIsOnIt)) return { kind: 'live', url: livePlaylist(view.room) };
  if (view.status === 'closed' && view.recording?.status === 'complete' && view.recording.playlist) {
    return { kind: 'recording', url: view.recording.playlist };
  }
  return null;
}

export interface StageInput {
  view: SittingView | null;
  /** The live channel answered (false: still connecting). */
  answered: boolean;
  onAir: OnAir | null;
  video: VideoState;
}

export function stageOf({ view, answered, onAir, video }: StageInput): Stage {
  if (!view) return answered ? { kind: 'no-sitting' } : { kind: 'loading' };
  switch (view.status) {
    case 'scheduled':
      return { kind: 'not-started', scheduledAt: view.scheduledAt };
    case 'cancelled':
      return { kind: 'cancelled', reason: view.cancelled?.reason ?? '' };
    case 'live':
      if (onAir?.scene === 'break') return { kind: 'break', text: onAir.breakText, until: onAir.breakUntil };
      // A short rebuffer is still live (the player shows its own spinner); no picture is waiting.
      return video === 'showing' || video === 'stalled' ? { kind: 'live' } : { kind: 'waiting' };
    case 'closed': {
      const r = view.recording;
      if (!r) return { kind: 'ended', recording: 'none' };
      if (r.status === 'expired') return { kind: 'ended', recording: 'expired' };
      return { kind: 'ended', recording: r.status === 'complete' ? 'available' : 'pending' };
    }
    default: {
      const never: never = view.status;
      throw new Error(`unknown sitting status [${String(never)}]`);
    }
  }
}
