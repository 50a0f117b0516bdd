// Which sitting a room follows: the live one; else one that closed in the last hours (so
// residents find the recording); else the next scheduled one; else the last that closed. The
// answer changes with the clock only when the recently closed one's hours are up.
import type { SittingSummary } from '../../protocol/views.ts';

export const RECENTLY_CLOSED_MS = 12 * 60 * 60 * 1000;

/** The room's closed sittings with their closing times (ms), the latest first. */
const closedLatestFirst = (inRoom: SittingSummary[]): { id: string; closedAt: number }[] =>
  inRoom
    .flatMap((s) => (s.status === 'closed' && s.closedAt !== null ? [{ id: s.id, closedAt: Date.parse(s.closedAt) }] : []))
    .sort((a, b) => b.closedAt - a.closedAt);

export function roomSitting(sittings: SittingSummary[], room: string, now: Date): string | null {
  const inRoom = sittings.filter((s) => s.room === room);
  const live = inRoom.find((s) => s.status === 'live');
  if (live) return live.id;
  const lastClosed = closedLatestFirst(inRoom)[0];
  if (lastClosed && now.getTime() - lastClosed.closedAt < RECENTLY_CLOSED_MS) return lastClosed.id;
  const next = inRoom
    .filter((s) => s.status === 'scheduled')
    .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt))[0];
  return next?.id ?? lastClosed?.id ?? null;
}

/** When the clock alone will change `roomSitting`'s answer (ms since epoch), or null if it will not. */
export function followChangesAt(sittings: SittingSummary[], room: string, now: Date): number | null {
  const inRoom = sittings.filter((s) => s.room === room);
  if (inRoom.some((s) => s.status === 'live')) return null;
  const lastClosed = closedLatestFirst(inRoom)[0];
  if (!lastClosed) return null;
  const until = lastClosed.closedAt + RECENTLY_CLOSED_MS;
  return until > now.getTime() ? until : null;
}
