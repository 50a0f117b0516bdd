// Start-up checkpoints: the folded world as it stood at one point of the log, so a start reads
// it back and replays only the events after it instead of the whole log (issue 19).
//
// A checkpoint is one `checkpoint` row (where in the log it stands: the last event id and every
// stream's head, the registry and on-air state) plus one `checkpoint_sittings` row per sitting,
// each bound to its stream's head. Only sittings that changed are written again, so taking one
// costs what changed since the last. Every row is sealed with an HMAC under the server's own
// key (<data folder>/secret.key, not in the database), so editing the database alone cannot
// plant a state the log does not hold; a checkpoint is only used when its format and the domain
// code it was folded with are this server's, every seal holds, and the log still has each
// recorded head hash at its seq. Anything else: the reason is returned and the whole log is
// replayed, as without checkpoints.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { OnAir } from '../../protocol/model.ts';
import { sittingIdOf } from '../../protocol/events.ts';
import type { Registry, SittingState } from '../domain/state.ts';
import type { Db } from './database.ts';
import { sha256 } from './hashChain.ts';

/** Raised when the encoding of a checkpoint changes. */
const CHECKPOINT_FORMAT = 1;

/**
 * The checkpoint's version: its format and a digest of the domain's source and of the protocol
 * files beside it (rules the domain folds with live there too: the event union, corrections'
 * fields, vote titles), so a state folded by other rules is never read back as this version's.
 */
export const CHECKPOINT_VERSION = (() => {
  const sources = ['../domain/', '../../protocol/'].flatMap((folder) => {
    const url = new URL(folder, import.meta.url);
    return readdirSync(url)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => `${folder}${name}\n${readFileSync(new URL(name, url), 'utf8')}`);
  });
  return `${CHECKPOINT_FORMAT}:${sha256(sources.join('\n'))}`;
})();

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  heads TEXT NOT NULL,
  registry TEXT NOT NULL,
  on_air TEXT NOT NULL,
  seal TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoint_sittings (
  sitting_id TEXT PRIMARY KEY,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  state TEXT NOT NULL,
  seal TEXT NOT NULL
);
`;

export type Heads = Map<string, { seq: number; hash: string }>;

export interface CheckpointState {
  /** The id of the last event the state includes; the tail is every event after it. */
  eventId: number;
  heads: Heads;
  registry: Registry;
  onAir: Map<string, OnAir>;
  sittings: Map<string, SittingState>;
}

/** A checkpoint that was found but not used, and why (for the start-up log line). */
export type Rejected = { ignored: string };

// Maps and Sets (the registry, a sitting's `present`) survive JSON as tagged arrays. Decoding
// walks the parsed tree once (a JSON.parse reviver costs three times as much on five years).
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}
function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  if (object.$set !== undefined) return new Set(object.$set as unknown[]);
  if (object.$map !== undefined) return new Map(revive(object.$map) as [unknown, unknown][]);
  for (const key in object) {
    const child = object[key];
    if (child !== null && typeof child === 'object') object[key] = revive(child);
  }
  return object;
}
export const encodeState = (value: unknown): string => JSON.stringify(value, replacer);
export const decodeState = <T>(text: string): T => revive(JSON.parse(text)) as T;

interface CheckpointRow {
  version: string;
  event_id: number;
  heads: string;
  registry: string;
  on_air: string;
  seal: string;
}
interface SittingRow {
  sitting_id: string;
  stream: string;
  seq: number;
  hash: string;
  state: string;
  seal: string;
}

export class Checkpoints {
  readonly #db: Db;
  readonly #key: Buffer;
  readonly #q;

  constructor(db: Db, key: Buffer) {
    this.#db = db;
    // A key of its own, derived from the server's, so no other use of that key can forge a seal.
    this.#key = createHmac('sha256', key).update('radacast start-up checkpoint').digest();
    db.exec(SCHEMA);
    this.#q = {
      read: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoint WHERE id = 1'),
      sittings: db.prepare<[], SittingRow>('SELECT * FROM checkpoint_sittings'),
      hashAt: db.prepare<[string, number], { hash: string }>('SELECT hash FROM events WHERE stream = ? AND seq = ?'),
      lastEventId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events'),
      write: db.prepare(`INSERT INTO checkpoint (id, version, event_id, heads, registry, on_air, seal)
        VALUES (1, @version, @event_id, @heads, @registry, @on_air, @seal)
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, event_id = excluded.event_id,
          heads = excluded.heads, registry = excluded.registry, on_air = excluded.on_air, seal = excluded.seal`),
      writeSitting: db.prepare(`INSERT INTO checkpoint_sittings (sitting_id, stream, seq, hash, state, seal)
        VALUES (@sitting_id, @stream, @seq, @hash, @state, @seal)
        ON CONFLICT (sitting_id) DO UPDATE SET stream = excluded.stream, seq = excluded.seq,
          hash = excluded.hash, state = excluded.state, seal = excluded.seal`),
      clear: db.prepare('DELETE FROM checkpoint'),
      clearSittings: db.prepare('DELETE FROM checkpoint_sittings'),
    };
  }

  #seal(parts: (string | number)[]): string {
    const mac = createHmac('sha256', this.#key);
    for (const part of parts) mac.update(`${String(part).length}:${part}\n`);
    return mac.digest('hex');
  }

  #sealHolds(seal: string, parts: (string | number)[]): boolean {
    const expected = Buffer.from(this.#seal(parts), 'hex');
    const given = Buffer.from(seal, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Writes the world as it stands now: the given sittings (those changed since the last write),
   * and where in the log it stands. One transaction; the caller holds no other.
   */
  write(state: Omit<CheckpointState, 'eventId' | 'sittings'>, changed: Iterable<[string, SittingState, string]>): void {
    this.#db.transaction(() => {
      for (const [id, sitting, stream] of changed) {
        const head = state.heads.get(stream);
        if (!head) continue; // a sitting has a head once it exists
        const text = encodeState(sitting);
        this.#q.writeSitting.run({
          sitting_id: id,
          stream,
          seq: head.seq,
          hash: head.hash,
          state: text,
          seal: this.#seal([id, stream, head.seq, head.hash, text]),
        });
      }
      const row = {
        version: CHECKPOINT_VERSION,
        event_id: this.#q.lastEventId.get()?.id ?? 0,
        heads: encodeState(state.heads),
        registry: encodeState(state.registry),
        on_air: encodeState(state.onAir),
      };
      this.#q.write.run({ ...row, seal: this.#seal([row.version, row.event_id, row.heads, row.registry, row.on_air]) });
    })();
  }

  /** Forgets every checkpoint, so the next start replays and verifies the whole log. */
  clear(): void {
    this.#db.transaction(() => {
      this.#q.clear.run();
      this.#q.clearSittings.run();
    })();
  }

  /** The checkpoint, if there is one this server can trust; else why it is not used (or null: none). */
  read(): CheckpointState | Rejected | null {
    const row = this.#q.read.get();
    if (!row) return null;
    if (row.version !== CHECKPOINT_VERSION) return { ignored: `it was written by another version (${row.version.slice(0, 12)}…)` };
    if (!this.#sealHolds(row.seal, [row.version, row.event_id, row.heads, row.registry, row.on_air])) {
      return { ignored: 'its seal does not hold (edited outside the server)' };
    }
    const heads = decodeState<Heads>(row.heads);
    const sittings = new Map<string, SittingState>();
    for (const s of this.#q.sittings.iterate()) {
      const head = heads.get(s.stream);
      // A sitting row from another checkpoint than the heads (e.g. one put back from a copy).
      if (!head || head.seq !== s.seq || head.hash !== s.hash) return { ignored: `sitting ${s.sitting_id} is not at its recorded head` };
      if (!this.#sealHolds(s.seal, [s.sitting_id, s.stream, s.seq, s.hash, s.state])) {
        return { ignored: `the seal of sitting ${s.sitting_id} does not hold (edited outside the server)` };
      }
      sittings.set(s.sitting_id, decodeState<SittingState>(s.state));
    }
    for (const [stream, head] of heads) {
      const sittingId = sittingIdOf(stream);
      if (sittingId !== null && !sittings.has(sittingId)) return { ignored: `sitting ${sittingId} is missing from it` };
      if (this.#q.hashAt.get(stream, head.seq)?.hash !== head.hash) {
        return { ignored: `the log differs from it at ${stream} seq ${head.seq}` };
      }
    }
    return {
      eventId: row.event_id,
      heads,
      registry: decodeState<Registry>(row.registry),
      onAir: decodeState<Map<string, OnAir>>(row.on_air),
      sittings,
    };
  }
}
