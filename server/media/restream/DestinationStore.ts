// The rooms' restream destinations in their own table (never in the hash-chained log): name,
// kind, URL and whether they run, with the stream key sealed by the SecretBox. The plain key
// leaves this class only through `secret()`, for the relay's ffmpeg; reads show a hint.
import type { DestinationInput, DestinationKind } from '../../../protocol/restream.ts';
import type { Db } from '../../store/database.ts';
import type { SecretBox } from './SecretBox.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS restream_destinations (
  room TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  key_sealed TEXT,
  key_id TEXT,
  enabled INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (room, id)
);
`;

export interface StoredDestination {
  room: string;
  id: string;
  name: string;
  kind: DestinationKind;
  url: string;
  enabled: boolean;
  hasKey: boolean;
}

interface Row {
  room: string;
  id: string;
  name: string;
  kind: DestinationKind;
  url: string;
  key_sealed: string | null;
  enabled: number;
}

/** At most the last four characters, and none of a key too short to spare them. */
export function keyHint(key: string): string | null {
  if (key.length === 0) return null;
  return key.length >= 12 ? `…${key.slice(-4)}` : '…';
}

const context = (room: string, id: string) => `restream/${room}/${id}`;

export class DestinationStore {
  readonly #box: SecretBox;
  readonly #list;
  readonly #get;
  readonly #upsert;
  readonly #setEnabled;
  readonly #delete;

  constructor(db: Db, box: SecretBox) {
    db.exec(SCHEMA);
    this.#box = box;
    this.#list = db.prepare<[string], Row>('SELECT * FROM restream_destinations WHERE room = ? ORDER BY created_at, id');
    this.#get = db.prepare<[string, string], Row>('SELECT * FROM restream_destinations WHERE room = ? AND id = ?');
    this.#upsert = db.prepare(
      `INSERT INTO restream_destinations (room, id, name, kind, url, key_sealed, key_id, enabled, created_at, updated_at)
       VALUES (@room, @id, @name, @kind, @url, @sealed, @keyId, @enabled, @now, @now)
       ON CONFLICT (room, id) DO UPDATE SET name = @name, kind = @kind, url = @url, key_sealed = @sealed,
         key_id = @keyId, enabled = @enabled, updated_at = @now`,
    );
    this.#setEnabled = db.prepare('UPDATE restream_destinations SET enabled = ?, updated_at = ? WHERE room = ? AND id = ?');
    this.#delete = db.prepare('DELETE FROM restream_destinations WHERE room = ? AND id = ?');
  }

  #stored(row: Row): StoredDestination {
    return { room: row.room, id: row.id, name: row.name, kind: row.kind, url: row.url, enabled: row.enabled === 1, hasKey: row.key_sealed !== null };
  }

  list(room: string): StoredDestination[] {
    return this.#list.all(room).map((r) => this.#stored(r));
  }

  get(room: string, id: string): StoredDestination | undefined {
    const row = this.#get.get(room, id);
    return row && this.#stored(row);
  }

  /**
   * Creates or replaces; an omitted key keeps the stored one. Returns what is stored, or null
   * (and stores nothing) when a platform destination would be left without a key.
   */
  put(room: string, id: string, input: DestinationInput, now: Date): StoredDestination | null {
    const previous = this.#get.get(room, id);
    const sealed = input.key === undefined ? (previous?.key_sealed ?? null) : input.key === '' ? null : this.#box.seal(input.key, context(room, id));
    if (sealed === null && input.kind !== 'custom') return null;
    this.#upsert.run({
      room,
      id,
      name: input.name,
      kind: input.kind,
      url: input.url,
      sealed,
      keyId: sealed === null ? null : this.#box.keyId,
      enabled: input.enabled ? 1 : 0,
      now: now.toISOString(),
    });
    return { room, id, name: input.name, kind: input.kind, url: input.url, enabled: input.enabled, hasKey: sealed !== null };
  }

  setEnabled(room: string, id: string, enabled: boolean, now: Date): void {
    this.#setEnabled.run(enabled ? 1 : 0, now.toISOString(), room, id);
  }

  delete(room: string, id: string): boolean {
    return this.#delete.run(room, id).changes > 0;
  }

  /** The plain key ('' for none), or null when the key file cannot open it (replaced key file). */
  secret(room: string, id: string): string | null {
    const row = this.#get.get(room, id);
    if (!row) return null;
    if (row.key_sealed === null) return '';
    return this.#box.open(row.key_sealed, context(room, id));
  }

  hint(room: string, id: string): string | null {
    const key = this.secret(room, id);
    return key === null ? '…' : keyHint(key);
  }
}
