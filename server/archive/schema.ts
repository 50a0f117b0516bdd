// The archive's read models: tables derived from the event log (never written by anything but
// ArchiveProjector), and a version stamp. Bumping ARCHIVE_VERSION makes the next start rebuild
// them from the log.
import type { Db } from '../store/database.ts';

export const ARCHIVE_VERSION = '3';

export const ARCHIVE_TABLES = [
  'archive_sittings',
  'archive_roster',
  'archive_attended',
  'archive_items',
  'archive_votes',
  'archive_choices',
  'archive_member_sittings',
  'archive_search',
  'archive_search_rows',
] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS archive_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS archive_sittings (
  id TEXT PRIMARY KEY,
  body_id TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  scheduled_at TEXT NOT NULL,
  opened_at TEXT,
  closed_at TEXT,
  -- the time of the last event that changed what the archive shows of this sitting
  changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_sittings_body ON archive_sittings (body_id, status, scheduled_at);
CREATE INDEX IF NOT EXISTS archive_sittings_date ON archive_sittings (scheduled_at, id);
-- the roster at opening (the one at creation until then)
CREATE TABLE IF NOT EXISTS archive_roster (
  sitting_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  name TEXT NOT NULL,
  faction TEXT,
  PRIMARY KEY (sitting_id, member_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS archive_roster_member ON archive_roster (member_id, sitting_id);
-- members registered present at any moment of the sitting
CREATE TABLE IF NOT EXISTS archive_attended (
  sitting_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (sitting_id, member_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS archive_items (
  sitting_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL,
  draft_number TEXT,
  rapporteur TEXT,
  PRIMARY KEY (sitting_id, item_id)
) WITHOUT ROWID;
-- closed votes, with their published title and fixed counts (corrected ones corrected)
CREATE TABLE IF NOT EXISTS archive_votes (
  sitting_id TEXT NOT NULL,
  vote_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  item_id TEXT,
  title TEXT NOT NULL,
  ballot TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  result TEXT NOT NULL,
  votes_for INTEGER NOT NULL,
  votes_against INTEGER NOT NULL,
  votes_abstain INTEGER NOT NULL,
  not_voting INTEGER NOT NULL,
  absent INTEGER NOT NULL,
  PRIMARY KEY (sitting_id, vote_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS archive_votes_position ON archive_votes (sitting_id, position);
-- roll-call choices only (a secret ballot never has a row here); with_faction: 1/0, null when
-- absent or not affiliated
CREATE TABLE IF NOT EXISTS archive_choices (
  member_id TEXT NOT NULL,
  sitting_id TEXT NOT NULL,
  vote_id TEXT NOT NULL,
  choice TEXT NOT NULL,
  with_faction INTEGER,
  PRIMARY KEY (member_id, sitting_id, vote_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS archive_choices_vote ON archive_choices (sitting_id, vote_id);
-- per member per sitting totals, so the deputies' list sums a few rows per sitting
CREATE TABLE IF NOT EXISTS archive_member_sittings (
  sitting_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  attended INTEGER NOT NULL,
  total INTEGER NOT NULL,
  votes_for INTEGER NOT NULL,
  votes_against INTEGER NOT NULL,
  votes_abstain INTEGER NOT NULL,
  not_voting INTEGER NOT NULL,
  absent INTEGER NOT NULL,
  with_faction INTEGER NOT NULL,
  faction_votes INTEGER NOT NULL,
  PRIMARY KEY (sitting_id, member_id)
) WITHOUT ROWID;
-- items and closed votes, for full-text search; prefix queries find inflected forms
CREATE VIRTUAL TABLE IF NOT EXISTS archive_search USING fts5(
  title, draft_number, rapporteur,
  kind UNINDEXED, sitting_id UNINDEXED, ref_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);
-- which search row holds an item or vote: FTS5 cannot index its UNINDEXED columns, and a scan
-- of the whole index per closed vote would grow with the archive
CREATE TABLE IF NOT EXISTS archive_search_rows (
  sitting_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  search_rowid INTEGER NOT NULL,
  PRIMARY KEY (sitting_id, kind, ref_id)
) WITHOUT ROWID;
`;

export function createArchiveSchema(db: Db): void {
  db.exec(SCHEMA);
}
