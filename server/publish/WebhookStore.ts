// Webhook subscriptions and their delivery log in SQLite (tables created here, on the shared
// database). A delivery is one notification for one webhook: its exact JSON body, its state
// (pending → delivered | failed) and one row per attempt, so admins can see what happened.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.ts';
import { z } from 'zod';
import { PUBLICATION_EVENTS, type PublicationEvent } from './notification.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  sitting_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  next_attempt_at INTEGER,
  finished_at TEXT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (status) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS webhook_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
`;

// Up to which event of each sitting's log the publication notifications are queued. Advanced in
// the same transaction that queues them, so a crash or a failure in between leaves it behind and
// the dispatcher catches up from it (an outbox fed from the log).
const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS webhook_checkpoints (
  stream TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
`;

export interface WebhookInfo {
  id: string;
  url: string;
  events: PublicationEvent[];
  createdBy: string;
  createdAt: string;
}

export interface Webhook extends WebhookInfo {
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AttemptLog {
  attempt: number;
  at: string;
  /** The receiver's HTTP status, or null when no answer came (refused, timed out). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryLog {
  id: string;
  webhookId: string;
  event: PublicationEvent;
  sittingId: string;
  seq: number;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  payload: unknown;
  log: AttemptLog[];
}

/** One notification as queued: its event, where in the log it comes from, its exact body. */
export interface QueuedNote {
  event: PublicationEvent;
  sittingId: string;
  seq: number;
  occurredAt: string;
  body: string;
}

/** What the dispatcher needs to make one attempt. */
export interface DeliveryJob {
  id: string;
  event: PublicationEvent;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  status: DeliveryStatus;
}

interface WebhookRow {
  id: string;
  url: string;
  secret: string;
  events: string;
  created_by: string;
  created_at: string;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: PublicationEvent;
  sitting_id: string;
  seq: number;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: string;
  next_attempt_at: number | null;
  finished_at: string | null;
}

const info = ({ secret: _secret, ...hook }: Webhook): WebhookInfo => hook;

/** A webhook's `events` column, as create() writes it. */
const SubscribedEvents = z.array(z.enum(PUBLICATION_EVENTS));

function fromRow(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    secret: row.secret,
    events: SubscribedEvents.parse(JSON.parse(row.events)),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export class WebhookStore {
  readonly #db: Db;
  /** True when this start created the checkpoints: the dispatcher then starts them at the heads. */
  readonly checkpointsCreated: boolean;
  readonly #sql;

  constructor(db: Db) {
    this.#db = db;
    db.exec(SCHEMA);
    this.checkpointsCreated =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'webhook_checkpoints'").get() === undefined;
    db.exec(CHECKPOINTS);
    // Prepared once: these run for every notification and attempt.
    this.#sql = {
      insertHook: db.prepare('INSERT INTO webhooks (id, url, secret, events, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      hook: db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?'),
      hooks: db.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id'),
      removeHook: db.prepare('DELETE FROM webhooks WHERE id = ?'),
      insertDelivery: db.prepare(
        `INSERT INTO webhook_deliveries (id, webhook_id, event, sitting_id, seq, payload, status, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      job: db.prepare<[string], DeliveryJob>(
        `SELECT d.id, d.event, w.url, w.secret, d.payload AS body, d.attempts, d.status
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`,
      ),
      updateDelivery: db.prepare(
        `UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, finished_at = ?
         WHERE id = ? AND status = 'pending'`,
      ),
      insertAttempt: db.prepare(
        'INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      pending: db.prepare<[], { id: string; nextAttemptAt: number }>(
        `SELECT id, next_attempt_at AS nextAttemptAt FROM webhook_deliveries WHERE status = 'pending' ORDER BY next_attempt_at`,
      ),
      deliveries: db.prepare<[string, number], DeliveryRow>(
        'SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      ),
      attempts: db.prepare<[string], AttemptLog>(
        `SELECT attempt, at, status_code AS statusCode, error, duration_ms AS durationMs
         FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt`,
      ),
      checkpoint: db.prepare<[string], { seq: number }>('SELECT seq FROM webhook_checkpoints WHERE stream = ?'),
      setCheckpoint: db.prepare(
        `INSERT INTO webhook_checkpoints (stream, seq) VALUES (?, ?)
         ON CONFLICT (stream) DO UPDATE SET seq = max(seq, excluded.seq)`,
      ),
    };
  }

  create(hook: { url: string; secret: string; events: PublicationEvent[]; createdBy: string }, now: Date): WebhookInfo {
    const row: Webhook = { id: randomUUID(), ...hook, createdAt: now.toISOString() };
    this.#sql.insertHook.run(row.id, row.url, row.secret, JSON.stringify(row.events), row.createdBy, row.createdAt);
    return info(row);
  }

  list(): WebhookInfo[] {
    return this.#all().map(info);
  }

  get(id: string): WebhookInfo | undefined {
    const row = this.#sql.hook.get(id);
    return row ? info(fromRow(row)) : undefined;
  }

  /** Removes the webhook with its delivery log; pending deliveries are dropped with it. */
  remove(id: string): boolean {
    return this.#sql.removeHook.run(id).changes === 1;
  }

  /** The last event of `stream` whose notifications are queued (0: none yet). */
  checkpoint(stream: string): number {
    return this.#sql.checkpoint.get(stream)?.seq ?? 0;
  }

  /**
   * Queues the notifications of a stream's events up to `seq`, each for the webhooks subscribed
   * at its time, and moves the stream's checkpoint to `seq` — all in one transaction. Returns
   * the new delivery ids.
   */
  enqueue(stream: string, seq: number, notes: QueuedNote[], now: Date): string[] {
    return this.#db.transaction(() => {
      const hooks = this.#all();
      const ids: string[] = [];
      for (const n of notes) {
        // A webhook created after the event (caught up later) is not sent what it never subscribed to.
        for (const hook of hooks.filter((h) => h.events.includes(n.event) && h.createdAt <= n.occurredAt)) {
          const id = randomUUID();
          this.#sql.insertDelivery.run(id, hook.id, n.event, n.sittingId, n.seq, n.body, now.toISOString(), now.getTime());
          ids.push(id);
        }
      }
      this.#sql.setCheckpoint.run(stream, seq);
      return ids;
    })();
  }

  job(deliveryId: string): DeliveryJob | undefined {
    return this.#sql.job.get(deliveryId);
  }

  /**
   * Records one attempt and the delivery's next state: delivered, failed for good, or pending
   * with the time of the next attempt. False when the webhook was removed meanwhile.
   */
  recordAttempt(deliveryId: string, attempt: AttemptLog, next: { status: DeliveryStatus; nextAttemptAt: Date | null }): boolean {
    return this.#db.transaction(() => {
      const changed = this.#sql.updateDelivery.run(
          attempt.attempt,
          next.status,
          next.nextAttemptAt?.getTime() ?? null,
          next.status === 'pending' ? null : attempt.at,
          deliveryId,
        ).changes;
      if (changed === 0) return false;
      this.#sql.insertAttempt.run(deliveryId, attempt.attempt, attempt.at, attempt.statusCode, attempt.error, attempt.durationMs);
      return true;
    })();
  }

  /** Deliveries still to be attempted, with when (ms since epoch); read at start-up to resume. */
  pending(): { id: string; nextAttemptAt: number }[] {
    return this.#sql.pending.all();
  }

  /** The newest deliveries of a webhook first, each with its attempts. */
  deliveries(webhookId: string, limit: number): DeliveryLog[] {
    const rows = this.#sql.deliveries.all(webhookId, limit);
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      event: row.event,
      sittingId: row.sitting_id,
      seq: row.seq,
      status: row.status,
      attempts: row.attempts,
      createdAt: row.created_at,
      nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at).toISOString(),
      finishedAt: row.finished_at,
      payload: JSON.parse(row.payload),
      log: this.#sql.attempts.all(row.id),
    }));
  }

  #all(): Webhook[] {
    return this.#sql.hooks.all().map(fromRow);
  }
}
