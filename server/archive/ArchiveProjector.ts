// Keeps the archive's read models (schema.ts) in step with the log: called by the record inside
// the very transaction that appends a command's events, with those events and the state they
// folded into, so what the archive shows is committed with the facts it derives from. The
// same calls over the whole log rebuild it (`npm run rebuild-projections`).
import type { Choice, MemberChoice } from '../../protocol/model.ts';
import { voteTitle } from '../../protocol/voteTitle.ts';
import { sittingIdOf } from '../../protocol/events.ts';
import type { ClosedVote, SittingState, World } from '../domain/state.ts';
import type { Db } from '../store/database.ts';
import type { LogEntry } from '../../protocol/answers.ts';
import { ARCHIVE_TABLES, ARCHIVE_VERSION, createArchiveSchema } from './schema.ts';

/** What the record calls; see CouncilRecord. */
export interface Projector {
  /** Inside the command's transaction, after the events were chained and folded into `world`. */
  project(events: LogEntry[], world: World): void;
  /** True when the projection must be rebuilt from the log (new, dropped, or of an older version). */
  stale(): boolean;
  /** Empties the projection before a rebuild. */
  reset(): void;
  /** Marks the projection as rebuilt from the whole log. */
  rebuilt(): void;
}

/** Events after which the sitting's header, roster and items are written again. */
const SITTING_EVENTS = new Set([
  'sitting.created',
  'sitting.updated',
  'sitting.cancelled',
  'sitting.opened',
  'sitting.closed',
  'agenda.set',
  'agenda.inserted',
  'sitting.corrected',
  'member.corrected',
]);
/** Sitting events after which its items (and the titles of the votes on them) are written again. */
const ITEM_EVENTS = new Set(['sitting.created', 'agenda.set', 'agenda.inserted']);
/** Events after which one vote is written again. */
const VOTE_EVENTS = new Set(['vote.closed', 'vote.corrected', 'vote.renamed', 'tally.corrected', 'vote.moved']);
/** Events that change what a closed sitting published: its yearly open-data files are written again. */
export const REPUBLISHING_EVENTS = new Set([
  'sitting.closed',
  'vote.corrected',
  'vote.renamed',
  'tally.corrected',
  'sitting.corrected',
  'item.corrected',
  'member.corrected',
  'vote.moved',
]);

/**
 * For each member of a roll-call vote: 1 if their choice equals the most common choice of their
 * faction's present members (a tie counts every tied choice as the most common), 0 if not, null
 * when absent or not in a faction.
 */
export function withFactionMajority(
  choices: Record<string, MemberChoice>,
  factionOf: (memberId: string) => string | null,
): Map<string, 0 | 1 | null> {
  const tallies = new Map<string, Map<Choice, number>>();
  for (const [memberId, choice] of Object.entries(choices)) {
    const faction = factionOf(memberId);
    if (faction === null || choice === 'absent') continue;
    const tally = tallies.get(faction) ?? new Map<Choice, number>();
    tally.set(choice, (tally.get(choice) ?? 0) + 1);
    tallies.set(faction, tally);
  }
  const result = new Map<string, 0 | 1 | null>();
  for (const [memberId, choice] of Object.entries(choices)) {
    const faction = factionOf(memberId);
    const tally = faction === null ? undefined : tallies.get(faction);
    if (!tally || choice === 'absent') {
      result.set(memberId, null);
      continue;
    }
    const most = Math.max(...tally.values());
    result.set(memberId, tally.get(choice) === most ? 1 : 0);
  }
  return result;
}

export class ArchiveProjector implements Projector {
  readonly #db: Db;
  readonly #q;

  constructor(db: Db) {
    this.#db = db;
    createArchiveSchema(db);
    this.#q = {
      version: db.prepare<[], { value: string }>(`SELECT value FROM archive_meta WHERE key = 'version'`),
      setVersion: db.prepare(`INSERT INTO archive_meta (key, value) VALUES ('version', ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      sitting: db.prepare(`INSERT INTO archive_sittings (id, body_id, title, status, scheduled_at, opened_at, closed_at, changed_at)
        VALUES (@id, @bodyId, @title, @status, @scheduledAt, @openedAt, @closedAt, @changedAt)
        ON CONFLICT (id) DO UPDATE SET body_id = excluded.body_id, title = excluded.title, status = excluded.status,
          scheduled_at = excluded.scheduled_at, opened_at = excluded.opened_at, closed_at = excluded.closed_at,
          changed_at = excluded.changed_at`),
      touch: db.prepare('UPDATE archive_sittings SET changed_at = ? WHERE id = ?'),
      clearRoster: db.prepare('DELETE FROM archive_roster WHERE sitting_id = ?'),
      member: db.prepare('INSERT INTO archive_roster (sitting_id, member_id, name, faction) VALUES (?, ?, ?, ?)'),
      attended: db.prepare('INSERT OR IGNORE INTO archive_attended (sitting_id, member_id) VALUES (?, ?)'),
      clearItems: db.prepare('DELETE FROM archive_items WHERE sitting_id = ?'),
      item: db.prepare(`INSERT INTO archive_items (sitting_id, item_id, number, title, draft_number, rapporteur)
        VALUES (?, ?, ?, ?, ?, ?)`),
      clearSearch: db.prepare(`DELETE FROM archive_search WHERE rowid IN
        (SELECT search_rowid FROM archive_search_rows WHERE sitting_id = ? AND kind = ?)`),
      clearSearchRows: db.prepare('DELETE FROM archive_search_rows WHERE sitting_id = ? AND kind = ?'),
      clearSearchOne: db.prepare(`DELETE FROM archive_search WHERE rowid IN
        (SELECT search_rowid FROM archive_search_rows WHERE sitting_id = ? AND kind = ? AND ref_id = ?)`),
      correctItem: db.prepare(`UPDATE archive_items SET number = ?, title = ?, draft_number = ?, rapporteur = ?
        WHERE sitting_id = ? AND item_id = ?`),
      search: db.prepare(`INSERT INTO archive_search (title, draft_number, rapporteur, kind, sitting_id, ref_id)
        VALUES (?, ?, ?, ?, ?, ?)`),
      searchRow: db.prepare(`INSERT OR REPLACE INTO archive_search_rows (sitting_id, kind, ref_id, search_rowid) VALUES (?, ?, ?, ?)`),
      searchRowid: db.prepare<[string, string, string], { search_rowid: number }>(
        'SELECT search_rowid FROM archive_search_rows WHERE sitting_id = ? AND kind = ? AND ref_id = ?',
      ),
      searchAt: db.prepare(`INSERT INTO archive_search (rowid, title, draft_number, rapporteur, kind, sitting_id, ref_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      vote: db.prepare(`INSERT OR REPLACE INTO archive_votes (sitting_id, vote_id, position, item_id, title, ballot, closed_at,
          result, votes_for, votes_against, votes_abstain, not_voting, absent)
        VALUES (@sittingId, @voteId, @position, @itemId, @title, @ballot, @closedAt, @result, @for, @against, @abstain,
          @notVoting, @absent)`),
      clearChoices: db.prepare('DELETE FROM archive_choices WHERE sitting_id = ? AND vote_id = ?'),
      choice: db.prepare(`INSERT INTO archive_choices (member_id, sitting_id, vote_id, choice, with_faction)
        VALUES (?, ?, ?, ?, ?)`),
      clearTotals: db.prepare('DELETE FROM archive_member_sittings WHERE sitting_id = ?'),
      totals: db.prepare(`INSERT INTO archive_member_sittings
        SELECT r.sitting_id, r.member_id,
          EXISTS (SELECT 1 FROM archive_attended a WHERE a.sitting_id = r.sitting_id AND a.member_id = r.member_id),
          COUNT(c.choice), COUNT(c.choice = 'for' OR NULL), COUNT(c.choice = 'against' OR NULL),
          COUNT(c.choice = 'abstain' OR NULL), COUNT(c.choice = 'not-voting' OR NULL), COUNT(c.choice = 'absent' OR NULL),
          COALESCE(SUM(c.with_faction), 0), COUNT(c.with_faction)
        FROM archive_roster r
        LEFT JOIN archive_choices c ON c.member_id = r.member_id AND c.sitting_id = r.sitting_id
        WHERE r.sitting_id = ?
        GROUP BY r.member_id`),
    };
  }

  stale(): boolean {
    return this.#q.version.get()?.value !== ARCHIVE_VERSION;
  }

  reset(): void {
    for (const table of ARCHIVE_TABLES) this.#db.exec(`DELETE FROM ${table}`);
    this.#db.exec(`DELETE FROM archive_meta`);
  }

  rebuilt(): void {
    this.#q.setVersion.run(ARCHIVE_VERSION);
  }

  project(events: LogEntry[], world: World): void {
    const first = events[0];
    const sittingId = first ? sittingIdOf(first.stream) : null;
    const sitting = sittingId === null ? undefined : world.sittings.get(sittingId);
    if (!sitting) return;
    let changed = false;
    for (const { event } of events) {
      if (SITTING_EVENTS.has(event.type)) {
        this.#sitting(sitting, ITEM_EVENTS.has(event.type));
        changed = true;
      } else if (event.type === 'item.corrected') {
        this.#correctedItem(sitting, event.itemId);
        changed = true;
      } else if (event.type === 'attendance.changed' && event.present) {
        for (const memberId of event.memberIds) this.#q.attended.run(sitting.id, memberId);
        changed = true;
      } else if (VOTE_EVENTS.has(event.type) && 'voteId' in event) {
        const position = sitting.votes.findIndex((v) => v.id === event.voteId);
        const vote = sitting.votes[position];
        if (vote?.status === 'closed') this.#vote(sitting, vote, position + 1);
        changed = true;
      }
    }
    const last = events.at(-1);
    if (!changed || !last) return;
    this.#q.touch.run(last.at, sitting.id);
    this.#q.clearTotals.run(sitting.id);
    this.#q.totals.run(sitting.id);
  }

  #sitting(sitting: SittingState, withItems: boolean): void {
    this.#q.sitting.run({
      id: sitting.id,
      bodyId: sitting.bodyId,
      title: sitting.title,
      status: sitting.status,
      scheduledAt: sitting.scheduledAt,
      openedAt: sitting.status === 'live' || sitting.status === 'closed' ? sitting.openedAt : null,
      closedAt: sitting.status === 'closed' ? sitting.closedAt : null,
      changedAt: sitting.scheduledAt,
    });
    this.#q.clearRoster.run(sitting.id);
    for (const m of sitting.roster.members) this.#q.member.run(sitting.id, m.id, m.name, m.faction);
    if (!withItems) return;
    this.#q.clearItems.run(sitting.id);
    this.#q.clearSearch.run(sitting.id, 'item');
    this.#q.clearSearchRows.run(sitting.id, 'item');
    for (const item of sitting.agenda) {
      this.#q.item.run(sitting.id, item.id, item.number, item.title, item.draftNumber, item.rapporteur);
      this.#searchRow('item', sitting.id, item.id, item.title, item.draftNumber, item.rapporteur);
    }
    // An item's new title changes the published title of the votes on it.
    sitting.votes.forEach((vote, i) => {
      if (vote.status === 'closed') this.#vote(sitting, vote, i + 1);
    });
  }

  /** An item corrected on the record keeps its place in search; the votes on it get its new title. */
  #correctedItem(sitting: SittingState, itemId: string): void {
    const item = sitting.agenda.find((i) => i.id === itemId);
    if (!item) return;
    this.#q.correctItem.run(item.number, item.title, item.draftNumber, item.rapporteur, sitting.id, item.id);
    this.#q.clearSearchOne.run(sitting.id, 'item', item.id);
    this.#searchRow('item', sitting.id, item.id, item.title, item.draftNumber, item.rapporteur);
    sitting.votes.forEach((vote, i) => {
      if (vote.status === 'closed' && vote.itemId === item.id) this.#vote(sitting, vote, i + 1);
    });
  }

  #searchRow(kind: 'item' | 'vote', sittingId: string, refId: string, title: string, draft: string | null, rapporteur: string | null): void {
    // A vote or item written again (corrected, renamed) keeps its row id: search lists by it.
    const kept = this.#q.searchRowid.get(sittingId, kind, refId);
    if (kept) {
      this.#q.searchAt.run(kept.search_rowid, title, draft ?? '', rapporteur ?? '', kind, sittingId, refId);
      return;
    }
    const { lastInsertRowid } = this.#q.search.run(title, draft ?? '', rapporteur ?? '', kind, sittingId, refId);
    this.#q.searchRow.run(sittingId, kind, refId, lastInsertRowid);
  }

  #vote(sitting: SittingState, vote: ClosedVote, position: number): void {
    const item = vote.itemId === null ? undefined : sitting.agenda.find((i) => i.id === vote.itemId);
    const title = voteTitle(item?.title ?? null, vote.motion);
    const { outcome } = vote;
    this.#q.vote.run({
      sittingId: sitting.id,
      voteId: vote.id,
      position,
      itemId: vote.itemId,
      title,
      ballot: vote.ballot,
      closedAt: vote.closedAt,
      result: outcome.result,
      ...outcome.counts,
    });
    this.#q.clearSearchOne.run(sitting.id, 'vote', vote.id);
    this.#searchRow('vote', sitting.id, vote.id, title, item?.draftNumber ?? null, item?.rapporteur ?? null);
    this.#q.clearChoices.run(sitting.id, vote.id);
    // Secret ballots: never a per-member row, whatever the outcome holds.
    if (vote.ballot !== 'roll-call' || !outcome.choices) return;
    const factions = new Map(sitting.roster.members.map((m) => [m.id, m.faction]));
    const withFaction = withFactionMajority(outcome.choices, (id) => factions.get(id) ?? null);
    for (const [memberId, choice] of Object.entries(outcome.choices)) {
      this.#q.choice.run(memberId, sitting.id, vote.id, choice, withFaction.get(memberId) ?? null);
    }
  }
}
