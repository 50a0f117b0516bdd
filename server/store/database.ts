// Opening the embedded SQLite database: WAL, synchronous=FULL (an acknowledged command is on
// disk), and the schema. One file, `radacast.db`, in the data folder.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;
export type Synchronous = 'FULL' | 'NORMAL' | 'OFF';

/** The database's file name inside the data folder. */
export const DATABASE_FILE = 'radacast.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  command_id TEXT,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (stream, seq)
);
CREATE TABLE IF NOT EXISTS heads (
  stream TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS commands (
  command_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  answer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk')),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
-- Per-room interpreter and preview links (issue 17): only the token's hash is kept.
CREATE TABLE IF NOT EXISTS room_links (
  id TEXT PRIMARY KEY,
  room TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('interpreter', 'preview')),
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS room_links_room ON room_links (room, expires_at);
`;

/**
 * Raised whenever a table of the server changes shape. Opening a database of an older version
 * first copies it whole beside itself (radacast.db.before-schema-<version>-<time>), so an
 * upgrade can always be undone by putting that copy back (npm run restore).
 */
export const SCHEMA_VERSION = 3;

/** Copies a database with data in it before its schema is brought up to date. */
function backUpBeforeUpgrade(db: Database.Database, dataDir: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version >= SCHEMA_VERSION) return;
  const hasData = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
  if (hasData) db.prepare('VACUUM INTO ?').run(join(dataDir, `${DATABASE_FILE}.before-schema-${SCHEMA_VERSION}-${Date.now()}`));
}

export function openDatabase(dataDir: string, synchronous: Synchronous = 'FULL'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  backUpBeforeUpgrade(db, dataDir);
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
