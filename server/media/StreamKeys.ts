// Stream keys: one secret per room, in its own table — never in the hash-chained log, never in
// a log line. Generated when a room first appears, rotated by an admin; the old key stops
// working at once (a publisher already connected stays on air).
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS media_stream_keys (
  room TEXT PRIMARY KEY,
  stream_key TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  rotated_at TEXT
);
`;

/** 32 characters of base64url: also valid as an SRT passphrase (10 to 79 characters). */
export function newStreamKey(): string {
  return randomBytes(24).toString('base64url');
}

export class StreamKeys {
  readonly #byRoom = new Map<string, string>();
  readonly #byKey = new Map<string, string>();
  readonly #insert;
  readonly #update;

  constructor(db: Db) {
    db.exec(SCHEMA);
    this.#insert = db.prepare('INSERT OR IGNORE INTO media_stream_keys (room, stream_key, created_at) VALUES (?, ?, ?)');
    this.#update = db.prepare('UPDATE media_stream_keys SET stream_key = ?, rotated_at = ? WHERE room = ?');
    const rows = db.prepare<[], { room: string; stream_key: string }>('SELECT room, stream_key FROM media_stream_keys').all();
    for (const row of rows) this.#remember(row.room, row.stream_key);
  }

  #remember(room: string, key: string): void {
    const old = this.#byRoom.get(room);
    if (old) this.#byKey.delete(old);
    this.#byRoom.set(room, key);
    this.#byKey.set(key, room);
  }

  /** The room's key, created on first use. */
  ensure(room: string, now: Date): string {
    const existing = this.#byRoom.get(room);
    if (existing) return existing;
    const key = newStreamKey();
    this.#insert.run(room, key, now.toISOString());
    this.#remember(room, key);
    return key;
  }

  keyOf(room: string): string | undefined {
    return this.#byRoom.get(room);
  }

  roomOf(key: string): string | undefined {
    return key === '' ? undefined : this.#byKey.get(key);
  }

  rotate(room: string, now: Date): string {
    const key = newStreamKey();
    this.#update.run(key, now.toISOString(), room);
    this.#remember(room, key);
    return key;
  }
}
