// A roster grouped as the hall sees it: the head first, then each faction in the body's
// order, then members of no faction. Used by the attendance grid and the vote grid alike.
import type { Member } from '../../../../protocol/model.ts';
import type { BodySummary } from '../../../../protocol/views.ts';

export interface MemberGroup {
  /** 'head', a faction id, or 'none'. */
  key: string;
  /** The faction's name; null for the head and the non-affiliated (the page names those). */
  name: string | null;
  members: Member[];
}

export function groupRoster(body: BodySummary, roster: Member[]): MemberGroup[] {
  const groups: MemberGroup[] = [];
  const head = roster.filter((m) => m.id === body.head);
  if (head.length > 0) groups.push({ key: 'head', name: null, members: head });
  const rest = roster.filter((m) => m.id !== body.head);
  const known = new Set(body.factions.map((f) => f.id));
  for (const f of body.factions) {
    const members = rest.filter((m) => m.faction === f.id);
    if (members.length > 0) groups.push({ key: f.id, name: f.name, members });
  }
  const none = rest.filter((m) => m.faction === null || !known.has(m.faction));
  if (none.length > 0) groups.push({ key: 'none', name: null, members: none });
  return groups;
}
