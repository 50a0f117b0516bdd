// Reads of the archive's read models (schema.ts): the deputies of a body with their attendance
// and votes, one member's votes page by page, and full-text search over decisions.
import { z } from 'zod';
import type { FinalCounts } from '../../protocol/views.ts';
import type { MemberChoice } from '../../protocol/model.ts';
import type { Registry } from '../domain/state.ts';
import type { Db } from '../store/database.ts';

export interface DeputyStats {
  id: string;
  name: string;
  faction: string | null;
  factionName: string | null;
  attendance: { sittings: number; attended: number; rate: number | null };
  votes: { total: number; for: number; against: number; abstain: number; notVoting: number; absent: number };
  /** Share of non-absent votes equal to the faction's most common choice; null when not in a faction or no such vote. */
  withFactionMajority: number | null;
}

export interface MemberVote {
  sittingId: string;
  sittingTitle: string;
  /** The sitting's date (filters and order use it). */
  date: string;
  voteId: string;
  title: string;
  itemNumber: string | null;
  ballot: 'roll-call' | 'secret';
  closedAt: string;
  result: 'adopted' | 'rejected';
  counts: FinalCounts;
  /** The member's recorded choice; null for a secret ballot. */
  choice: MemberChoice | null;
}

export interface MemberSitting {
  sittingId: string;
  title: string;
  scheduledAt: string;
  status: string;
  attended: boolean;
}

export interface SearchHit {
  kind: 'item' | 'vote';
  sittingId: string;
  sittingTitle: string;
  date: string;
  itemId: string | null;
  itemNumber: string | null;
  title: string;
  draftNumber: string | null;
  rapporteur: string | null;
  /** Votes only. */
  voteId: string | null;
  result: 'adopted' | 'rejected' | null;
  counts: FinalCounts | null;
}

export interface MemberFilter {
  from?: string | undefined;
  to?: string | undefined;
  sittingId?: string | undefined;
  /** An FTS5 expression (searchQuery.ts). */
  match?: string | null | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const counts = (r: { votes_for: number; votes_against: number; votes_abstain: number; not_voting: number; absent: number }): FinalCounts => ({
  for: r.votes_for,
  against: r.votes_against,
  abstain: r.votes_abstain,
  notVoting: r.not_voting,
  absent: r.absent,
});

// Cursors are opaque to clients: base64url of the last row's sort key.
const encodeCursor = (parts: (string | number)[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
function decodeCursor(cursor: string): unknown[] | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parts) ? parts : null;
  } catch {
    return null;
  }
}

export class CursorError extends Error {}

interface VoteRow {
  sitting_id: string;
  sitting_title: string;
  scheduled_at: string;
  vote_id: string;
  position: number;
  title: string;
  item_number: string | null;
  ballot: 'roll-call' | 'secret';
  closed_at: string;
  result: 'adopted' | 'rejected';
  votes_for: number;
  votes_against: number;
  votes_abstain: number;
  not_voting: number;
  absent: number;
  choice: MemberChoice | null;
}

/** memberVotes' parameters: filters (null: any) and the cursor's place (null: from the newest). */
interface VoteQuery {
  member: string;
  from: string | null;
  to: string | null;
  sitting: string | null;
  match: string | null;
  cAt: unknown;
  cSitting: unknown;
  cPosition: unknown;
  limit: number;
}

type SearchRow = Omit<VoteRow, 'ballot' | 'choice' | 'position' | 'item_number' | 'vote_id' | 'closed_at' | 'result'> & {
  search_rowid: number;
  kind: 'item' | 'vote';
  scheduled_at: string;
  item_id: string | null;
  item_number: string | null;
  draft_number: string | null;
  rapporteur: string | null;
  vote_id: string | null;
  closed_at: string | null;
  result: 'adopted' | 'rejected' | null;
};

const SittingIds = z.array(z.string());

export class ArchiveQueries {
  readonly #q;

  constructor(db: Db) {
    this.#q = {
      stats: db.prepare<[string], {
        member_id: string; sittings: number; attended: number; total: number; votes_for: number; votes_against: number;
        votes_abstain: number; not_voting: number; absent: number; with_faction: number; faction_votes: number;
      }>(`SELECT ms.member_id, COUNT(*) AS sittings, SUM(ms.attended) AS attended, SUM(ms.total) AS total,
          SUM(ms.votes_for) AS votes_for, SUM(ms.votes_against) AS votes_against, SUM(ms.votes_abstain) AS votes_abstain,
          SUM(ms.not_voting) AS not_voting, SUM(ms.absent) AS absent, SUM(ms.with_faction) AS with_faction,
          SUM(ms.faction_votes) AS faction_votes
        FROM archive_sittings s JOIN archive_member_sittings ms ON ms.sitting_id = s.id
        WHERE s.body_id = ? AND s.status = 'closed'
        GROUP BY ms.member_id`),
      lastRoster: db.prepare<[string], { name: string; faction: string | null }>(`SELECT r.name, r.faction
        FROM archive_roster r JOIN archive_sittings s ON s.id = r.sitting_id
        WHERE r.member_id = ? ORDER BY s.scheduled_at DESC LIMIT 1`),
      votes: db.prepare<[VoteQuery], VoteRow>(`SELECT v.sitting_id, s.title AS sitting_title, s.scheduled_at, v.vote_id, v.position, v.title, i.number AS item_number,
          v.ballot, v.closed_at, v.result, v.votes_for, v.votes_against, v.votes_abstain, v.not_voting, v.absent, c.choice
        FROM archive_sittings s
        CROSS JOIN archive_roster r ON r.sitting_id = s.id
        CROSS JOIN archive_votes v ON v.sitting_id = s.id
        LEFT JOIN archive_items i ON i.sitting_id = v.sitting_id AND i.item_id = v.item_id
        LEFT JOIN archive_choices c ON c.member_id = r.member_id AND c.sitting_id = v.sitting_id AND c.vote_id = v.vote_id
        WHERE r.member_id = @member
          AND (@from IS NULL OR s.scheduled_at >= @from) AND (@to IS NULL OR s.scheduled_at < @to)
          AND (@sitting IS NULL OR v.sitting_id = @sitting)
          AND (@match IS NULL OR v.sitting_id || '/' || v.vote_id IN
            (SELECT sitting_id || '/' || ref_id FROM archive_search WHERE archive_search MATCH @match AND kind = 'vote'))
          AND (@cAt IS NULL OR (s.scheduled_at, v.sitting_id, v.position) < (@cAt, @cSitting, @cPosition))
        ORDER BY s.scheduled_at DESC, v.sitting_id DESC, v.position DESC
        LIMIT @limit`),
      sittings: db.prepare<[string], { sitting_id: string; title: string; scheduled_at: string; status: string; attended: number }>(
        `SELECT s.id AS sitting_id, s.title, s.scheduled_at, s.status,
          EXISTS (SELECT 1 FROM archive_attended a WHERE a.sitting_id = s.id AND a.member_id = r.member_id) AS attended
        FROM archive_roster r JOIN archive_sittings s ON s.id = r.sitting_id
        WHERE r.member_id = ? AND s.status IN ('live', 'closed')
        ORDER BY s.scheduled_at DESC`,
      ),
      search: db.prepare<[{ match: string; limit: number; before: number | null }], SearchRow>(`SELECT f.rowid AS search_rowid, f.kind, f.sitting_id, s.title AS sitting_title, s.scheduled_at,
          COALESCE(v.item_id, CASE WHEN f.kind = 'item' THEN f.ref_id END) AS item_id, i.number AS item_number,
          f.title, i.draft_number, i.rapporteur, v.vote_id, v.closed_at, v.result,
          v.votes_for, v.votes_against, v.votes_abstain, v.not_voting, v.absent
        FROM archive_search f
        JOIN archive_sittings s ON s.id = f.sitting_id
        LEFT JOIN archive_votes v ON f.kind = 'vote' AND v.sitting_id = f.sitting_id AND v.vote_id = f.ref_id
        LEFT JOIN archive_items i ON i.sitting_id = f.sitting_id AND i.item_id = COALESCE(v.item_id, CASE WHEN f.kind = 'item' THEN f.ref_id END)
        WHERE archive_search MATCH @match AND s.status != 'cancelled' AND (@before IS NULL OR f.rowid < @before)
        ORDER BY f.rowid DESC
        LIMIT @limit`),
      years: db.prepare<[], { body_id: string; year: string; modified: string; ids: string }>(`SELECT body_id,
          substr(scheduled_at, 1, 4) AS year, MAX(changed_at) AS modified, json_group_array(id) AS ids
        FROM (SELECT * FROM archive_sittings WHERE status = 'closed' ORDER BY scheduled_at, id)
        GROUP BY body_id, year ORDER BY body_id, year`),
      closedCount: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM archive_sittings WHERE body_id = ? AND status = 'closed'`),
    };
  }

  /** Closed sittings grouped per body and calendar year (of the scheduled date), oldest first. */
  closedSittingsByYear(): { bodyId: string; year: string; modified: string; sittingIds: string[] }[] {
    return this.#q.years.all().map((r) => ({ bodyId: r.body_id, year: r.year, modified: r.modified, sittingIds: SittingIds.parse(JSON.parse(r.ids)) }));
  }

  closedSittings(bodyId: string): number {
    return this.#q.closedCount.get(bodyId)?.n ?? 0;
  }

  /** Every current member of the body, in roster order, with their record in its closed sittings. */
  deputies(registry: Registry, bodyId: string): DeputyStats[] | undefined {
    const body = registry.bodies.get(bodyId);
    if (!body) return undefined;
    const stats = new Map(this.#q.stats.all(bodyId).map((r) => [r.member_id, r]));
    const factionName = (id: string | null) => (id === null ? null : (this.#factionName(registry, id) ?? id));
    return body.members.map((m): DeputyStats => {
      const r = stats.get(m.id);
      const sittings = r?.sittings ?? 0;
      const attended = r?.attended ?? 0;
      return {
        id: m.id,
        name: m.name,
        faction: m.faction,
        factionName: factionName(m.faction),
        attendance: { sittings, attended, rate: sittings > 0 ? round(attended / sittings) : null },
        votes: {
          total: r?.total ?? 0,
          for: r?.votes_for ?? 0,
          against: r?.votes_against ?? 0,
          abstain: r?.votes_abstain ?? 0,
          notVoting: r?.not_voting ?? 0,
          absent: r?.absent ?? 0,
        },
        withFactionMajority: m.faction === null || !r || r.faction_votes === 0 ? null : round(r.with_faction / r.faction_votes),
      };
    });
  }

  #factionName(registry: Registry, factionId: string): string | undefined {
    for (const body of registry.bodies.values()) {
      const found = body.factions.find((f) => f.id === factionId);
      if (found) return found.name;
    }
    return undefined;
  }

  /** Who a member is: from the bodies they sit in now, else the last roster that listed them. */
  member(registry: Registry, memberId: string): { id: string; name: string; faction: string | null; factionName: string | null; bodies: string[] } | undefined {
    const bodies = [...registry.bodies.values()].filter((b) => b.members.some((m) => m.id === memberId));
    const current = bodies[0]?.members.find((m) => m.id === memberId);
    const known = current ?? this.#q.lastRoster.get(memberId);
    if (!known) return undefined;
    const faction = known.faction ?? null;
    return {
      id: memberId,
      name: known.name,
      faction,
      factionName: faction === null ? null : (this.#factionName(registry, faction) ?? faction),
      bodies: bodies.map((b) => b.id),
    };
  }

  /** The member's closed votes in the sittings whose roster listed them, newest sitting first; `from`/`to` bound the sitting's date. */
  memberVotes(memberId: string, filter: MemberFilter): Page<MemberVote> {
    let after: unknown[] | null = null;
    if (filter.cursor !== undefined) {
      after = decodeCursor(filter.cursor);
      if (!after || after.length !== 3) throw new CursorError('cursor');
    }
    const rows = this.#q.votes.all({
      member: memberId,
      from: filter.from ?? null,
      to: filter.to ?? null,
      sitting: filter.sittingId ?? null,
      match: filter.match ?? null,
      cAt: after?.[0] ?? null,
      cSitting: after?.[1] ?? null,
      cPosition: after?.[2] ?? null,
      limit: filter.limit + 1,
    });
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        sittingId: r.sitting_id,
        sittingTitle: r.sitting_title,
        date: r.scheduled_at,
        voteId: r.vote_id,
        title: r.title,
        itemNumber: r.item_number,
        ballot: r.ballot,
        closedAt: r.closed_at,
        result: r.result,
        counts: counts(r),
        choice: r.ballot === 'secret' ? null : (r.choice ?? null),
      })),
      nextCursor: more && last ? encodeCursor([last.scheduled_at, last.sitting_id, last.position]) : null,
    };
  }

  /** The live and closed sittings whose roster listed the member, newest first, and whether they attended. */
  memberSittings(memberId: string): MemberSitting[] {
    return this.#q.sittings.all(memberId).map((r) => ({
      sittingId: r.sitting_id,
      title: r.title,
      scheduledAt: r.scheduled_at,
      status: r.status,
      attended: r.attended === 1,
    }));
  }

  /**
   * Items and closed votes matching `match` (an FTS5 expression), the most recently recorded
   * first (items when their sitting was created, votes when they closed; a correction keeps the
   * place), so FTS5 walks its index backwards and stops at a page.
   */
  search(match: string, cursor: string | undefined, limit: number): Page<SearchHit> {
    const before = cursor === undefined ? null : Number(decodeCursor(cursor)?.[0]);
    if (before !== null && (!Number.isInteger(before) || before < 0)) throw new CursorError('cursor');
    const rows = this.#q.search.all({ match, limit: limit + 1, before });
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        kind: r.kind,
        sittingId: r.sitting_id,
        sittingTitle: r.sitting_title,
        date: r.closed_at ?? r.scheduled_at,
        itemId: r.item_id,
        itemNumber: r.item_number,
        title: r.title,
        draftNumber: r.draft_number || null,
        rapporteur: r.rapporteur || null,
        voteId: r.vote_id,
        result: r.result,
        counts: r.kind === 'vote' ? counts(r) : null,
      })),
      nextCursor: more && last ? encodeCursor([last.search_rowid]) : null,
    };
  }
}
