// Which sitting a room follows: the live one; else one that closed in the last hours (so
// residents find the recording); else the next scheduled one; else the last that closed. The
// answer changes with the clock only when the recently closed one's hours are up.
import type { SittingSummary } from '../../protocol/views.ts';

export const RECENTLY_CLOSED_MS = 12 * 60 * 60 * 1000;

export function roomSitting(sittings: SittingSummary[], room: string, now: Date): string | null {
  const inRoom = sittings.filter((s) => s.room === room);
  const live = inRoom.find((s) => s.status === 'live');
  if (live) return live.id;
  const closed = inRoom
    .filter((s) => s.status === 'closed')
    .sort((a, b) => Date.parse(b.closedAt!) - Date.parse(a.closedAt!));
  const lastClosed = closed[0];
  if (lastClosed && now.getTime() - Date.parse(lastClosed.closedAt!) < RECENTLY_CLOSED_MS) return lastClosed.id;
  const next = inRoom
    .filter((s) => s.status === 'scheduled')
    .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt))[0];
  return next?.id ?? lastClosed?.id ?? null;
}

/** When the clock alone will change `roomSitting`'s answer (ms since epoch), or null if it will not. */
export function followChangesAt(sittings: SittingSummary[], room: string, now: Date): number | null {
  const inRoom = sittings.filter((s) => s.room === room);
  if (inRoom.some((s) => s.status === 'live')) return null;
  const closedAt = inRoom.filter((s) => s.status === 'closed').map((s) => Date.parse(s.closedAt!));
  if (closedAt.length === 0) return null;
  const until = Math.max(...closedAt) + RECENTLY_CLOSED_MS;
  return until > now.getTime() ? until : null;
}
