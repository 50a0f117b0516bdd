// The front page's order of things: what is live now, what comes next, and the record of past
// sittings by body — the council first, then its executive committee, then the committees.
import type { BodyKind } from '../../../protocol/model.ts';
import type { BodyView, SittingSummary } from '../../../protocol/views.ts';

export interface BodySittings {
  body: BodyView;
  sittings: SittingSummary[];
}

export interface SittingsIndex {
  live: SittingSummary[];
  /** Scheduled, soonest first; cancelled ones among them until their day has passed. */
  upcoming: SittingSummary[];
  /** Closed sittings by body, most recent first within each. */
  past: BodySittings[];
}

const KIND_ORDER: Record<BodyKind, number> = { council: 0, executive: 1, committee: 2 };

const time = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));
const DAY_MS = 24 * 60 * 60 * 1000;

export function indexSittings(bodies: readonly BodyView[], sittings: readonly SittingSummary[], now: number = Date.now()): SittingsIndex {
  const live = sittings.filter((s) => s.status === 'live').sort((a, b) => time(a.openedAt) - time(b.openedAt));
  const stillToCome = (s: SittingSummary) => s.status === 'scheduled' || (s.status === 'cancelled' && time(s.scheduledAt) > now - DAY_MS);
  const upcoming = sittings.filter(stillToCome).sort((a, b) => time(a.scheduledAt) - time(b.scheduledAt));
  const ordered = [...bodies].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'uk'));
  const past = ordered.map((body) => ({
    body,
    sittings: sittings
      .filter((s) => s.bodyId === body.id && s.status === 'closed')
      .sort((a, b) => time(b.closedAt ?? b.scheduledAt) - time(a.closedAt ?? a.scheduledAt)),
  }));
  return { live, upcoming, past };
}
