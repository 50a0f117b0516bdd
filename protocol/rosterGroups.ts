// A roster as the hall sees it: the head first, then each faction in the body's order, then the
// members of no faction (or of one the body no longer lists). The console's grids, the on-air
// roll table, the residents' per-member list and the published table all group this way.
import type { Member } from './model.ts';
import type { BodySummary } from './views.ts';

export interface RosterGroup<M = Member> {
  /** `head`: the member set apart as head; `none`: not affiliated. */
  kind: 'head' | 'faction' | 'none';
  factionId: string | null;
  /** The faction's name; null for the head and the non-affiliated (each page names those). */
  name: string | null;
  members: M[];
}

/** Names a group uniquely within one roster: its faction's id, else its kind. */
export const groupKey = (group: RosterGroup<unknown>): string => group.factionId ?? group.kind;

/** Groups `members`; `headId` is the member set apart first (the body's head unless told otherwise). */
export function groupRoster<M extends Pick<Member, 'id' | 'faction'>>(
  body: Pick<BodySummary, 'head' | 'factions'>,
  members: readonly M[],
  headId: string | null = body.head,
): RosterGroup<M>[] {
  const groups: RosterGroup<M>[] = [];
  const head = members.filter((m) => m.id === headId);
  if (head.length > 0) groups.push({ kind: 'head', factionId: null, name: null, members: head });
  const rest = members.filter((m) => m.id !== headId);
  for (const f of body.factions) {
    const inFaction = rest.filter((m) => m.faction === f.id);
    if (inFaction.length > 0) groups.push({ kind: 'faction', factionId: f.id, name: f.name, members: inFaction });
  }
  const known = new Set(body.factions.map((f) => f.id));
  const none = rest.filter((m) => m.faction === null || !known.has(m.faction));
  if (none.length > 0) groups.push({ kind: 'none', factionId: null, name: null, members: none });
  return groups;
}
