// The durable, hash-chained log in SQLite: append a command's events in one transaction
// (with the expected head checked inside it), read streams back, verify the chains.
import type { DomainEvent, RecordedEvent } from '../domain/events.ts';
import type { Db } from './database.ts';
import { GENESIS_HASH, eventHash, verifyStream, type ChainFault, type ChainedEvent } from './hashChain.ts';

interface EventRow {
  stream: string;
  seq: number;
  at: string;
  actor: string;
  command_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface Head {
  seq: number;
  hash: string;
}

export interface AppendMeta {
  at: string;
  actor: string;
  commandId: string | null;
}

function fromRow(row: EventRow): ChainedEvent {
  return {
    stream: row.stream,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    commandId: row.command_id,
    event: JSON.parse(row.data) as DomainEvent,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export class EventLog {
  readonly #db: Db;
  readonly #insert;
  readonly #setHead;
  readonly #head;
  readonly #byStream;
  readonly #all;
  readonly #heads;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO events (stream, seq, type, at, actor, command_id, data, prev_hash, hash)
       VALUES (@stream, @seq, @type, @at, @actor, @command_id, @data, @prev_hash, @hash)`,
    );
    this.#setHead = db.prepare(
      `INSERT INTO heads (stream, seq, hash) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
    );
    this.#head = db.prepare<[string], Head>('SELECT seq, hash FROM heads WHERE stream = ?');
    this.#byStream = db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream = ? ORDER BY seq');
    this.#all = db.prepare<[], EventRow>('SELECT * FROM events ORDER BY id');
    this.#heads = db.prepare<[], Head & { stream: string }>('SELECT stream, seq, hash FROM heads');
  }

  head(stream: string): Head | undefined {
    return this.#head.get(stream);
  }

  /**
   * Chains and writes events after `head` (the caller's view of the stream). Runs inside the
   * caller's transaction; the UNIQUE (stream, seq) constraint refuses a concurrent writer.
   */
  append(stream: string, head: Head | undefined, events: DomainEvent[], meta: AppendMeta): ChainedEvent[] {
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const chained: ChainedEvent[] = [];
    for (const event of events) {
      seq += 1;
      const recorded: RecordedEvent = { stream, seq, at: meta.at, actor: meta.actor, commandId: meta.commandId, event };
      const hash = eventHash(prevHash, recorded);
      this.#insert.run({
        stream,
        seq,
        type: event.type,
        at: meta.at,
        actor: meta.actor,
        command_id: meta.commandId,
        data: JSON.stringify(event),
        prev_hash: prevHash,
        hash,
      });
      chained.push({ ...recorded, prevHash, hash });
      prevHash = hash;
    }
    if (chained.length > 0) this.#setHead.run(stream, seq, prevHash);
    return chained;
  }

  readStream(stream: string): ChainedEvent[] {
    return this.#byStream.all(stream).map(fromRow);
  }

  /** Every event in the order it was committed, for replay at start-up. */
  *readAll(): Generator<ChainedEvent> {
    for (const row of this.#all.iterate()) yield fromRow(row);
  }

  verify(stream: string): ChainFault | null {
    return verifyStream(stream, this.readStream(stream), this.head(stream));
  }

  /** Verifies every stream, including ones whose head survives but whose rows were removed. */
  verifyAll(): ChainFault[] {
    const byStream = new Map<string, ChainedEvent[]>();
    for (const e of this.readAll()) {
      const list = byStream.get(e.stream) ?? [];
      list.push(e);
      byStream.set(e.stream, list);
    }
    const heads = new Map(this.#heads.all().map((h) => [h.stream, h]));
    const streams = new Set([...byStream.keys(), ...heads.keys()]);
    const faults: ChainFault[] = [];
    for (const stream of streams) {
      const events = (byStream.get(stream) ?? []).sort((a, b) => a.seq - b.seq);
      const fault = verifyStream(stream, events, heads.get(stream));
      if (fault) faults.push(fault);
    }
    return faults;
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
}
