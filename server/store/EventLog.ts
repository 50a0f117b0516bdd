// The durable, hash-chained log in SQLite: append a command's events in one transaction
// (with the expected head checked inside it), read streams back, verify the chains.
import type { LogEntry } from '../../protocol/answers.ts';
import type { DomainEvent, RecordedEvent } from '../../protocol/events.ts';
import type { Db } from './database.ts';
import { ChainCursor, GENESIS_HASH, eventHash, type ChainFault } from './hashChain.ts';

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

function fromRow(row: EventRow): LogEntry {
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
  readonly #streamAfter;
  readonly #after;
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
    this.#streamAfter = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#after = db.prepare<[number], EventRow>('SELECT * FROM events WHERE id > ? ORDER BY id');
    this.#heads = db.prepare<[], Head & { stream: string }>('SELECT stream, seq, hash FROM heads');
  }

  head(stream: string): Head | undefined {
    return this.#head.get(stream);
  }

  /**
   * Chains and writes events after `head` (the caller's view of the stream). Runs inside the
   * caller's transaction; the UNIQUE (stream, seq) constraint refuses a concurrent writer.
   */
  append(stream: string, head: Head | undefined, events: DomainEvent[], meta: AppendMeta): LogEntry[] {
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const chained: LogEntry[] = [];
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

  /** A stream's events after `afterSeq`, in seq order, at most `limit` of them. */
  readAfter(stream: string, afterSeq = 0, limit = -1): LogEntry[] {
    return this.#streamAfter.all(stream, afterSeq, limit).map(fromRow);
  }

  /**
   * One pass over the log in commit order: each event goes through its stream's verifying
   * cursor and then to `visit` (replay); finally every stream, including ones whose head
   * survives but whose rows were removed, is held against its head. `from` starts the pass after
   * a point verified before (a start-up checkpoint): the events after `afterId`, with each
   * stream's cursor where it stood there.
   */
  scan(
    visit: (e: LogEntry) => void = () => {},
    from: { afterId: number; cursors: Map<string, ChainCursor> } = { afterId: 0, cursors: new Map() },
  ): { faults: ChainFault[]; cursors: Map<string, ChainCursor> } {
    const { cursors } = from;
    const cursor = (stream: string): ChainCursor => {
      let c = cursors.get(stream);
      if (!c) cursors.set(stream, (c = new ChainCursor(stream)));
      return c;
    };
    for (const row of this.#after.iterate(from.afterId)) {
      const e = fromRow(row);
      cursor(e.stream).next(e);
      visit(e);
    }
    const heads = new Map(this.#heads.all().map((h) => [h.stream, h]));
    for (const stream of heads.keys()) cursor(stream);
    const faults = [...cursors.values()].flatMap((c) => c.end(heads.get(c.stream)) ?? []);
    return { faults, cursors };
  }

  verifyAll(): ChainFault[] {
    return this.scan().faults;
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
}
