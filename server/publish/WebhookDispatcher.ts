// Delivering publication notifications to webhooks. It listens to the record's commits, turns
// the publication events among them into signed JSON POSTs, and retries failed deliveries with
// capped exponential backoff. Queued deliveries live in SQLite, so a restart resumes them. The
// command path only pays for building the summary: storing and sending happen later.
// Nothing is lost between the commit and the queue: each sitting's checkpoint (the last event
// whose notifications are queued) moves in the queue's own transaction, and whatever lies past
// it — after a crash, or a failed queue write — is rebuilt from the log (catchUp.ts): at start
// for every sitting, and at the next publication of a sitting whose queue write failed.
import { EventEmitter } from 'node:events';
import type { LogEntry } from '../../protocol/answers.ts';
import type { Logger } from '../logger.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { sittingIdOf, sittingStream } from '../../protocol/events.ts';
import { notificationsAfter } from './catchUp.ts';
import { isPublicationEvent, notificationsFor, type Notification } from './notification.ts';
import { postWebhook } from './postWebhook.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature.ts';
import type { AttemptLog, DeliveryStatus, WebhookStore } from './WebhookStore.ts';
import type { WebhookTargets } from './webhookTargets.ts';
import { errnoCode } from '../thrown.ts';

/** The longest wait between two attempts, however many have failed. */
export const BACKOFF_CAP_MS = 30 * 60 * 1000;

/** Wait after the `attempt`-th failed attempt (1-based): base, 2·base, 4·base, … up to the cap. */
export function backoffDelay(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), BACKOFF_CAP_MS);
}

export interface DispatcherOptions {
  record: CouncilRecord;
  store: WebhookStore;
  logger: Logger;
  /** Absolute base of the links in notifications, e.g. https://rada.example.ua. */
  publicUrl: () => string;
  backoffMs: number;
  maxAttempts: number;
  /** Which addresses deliveries may connect to. */
  targets: WebhookTargets;
  timeoutMs?: number;
}

export type WebhookDispatcherEvents = {
  /** After an attempt has been recorded in the delivery log. */
  attempt: [deliveryId: string, attempt: AttemptLog, status: DeliveryStatus];
};

const isPublication = (e: LogEntry): boolean => isPublicationEvent(e.event.type);

function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TargetRefused') return `refused: ${err.message}`;
    return errnoCode(err) ?? err.message;
  }
  return String(err);
}

export class WebhookDispatcher extends EventEmitter<WebhookDispatcherEvents> {
  readonly #opts: Required<DispatcherOptions>;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #inflight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Sitting streams whose last queue write failed: their next publication catches up from the log. */
  readonly #behind = new Set<string>();
  #closed = false;

  constructor(options: DispatcherOptions) {
    super();
    this.#opts = { timeoutMs: 10_000, ...options };
    this.#opts.record.on('appended', this.#onAppended);
    this.#catchUpAll();
    const now = Date.now();
    for (const p of this.#opts.store.pending()) this.#schedule(p.id, p.nextAttemptAt - now);
  }

  /** At start: queue what the log published past each sitting's checkpoint. */
  #catchUpAll(): void {
    const { record, store } = this.#opts;
    for (const { id } of record.sittings()) {
      const stream = sittingStream(id);
      const head = record.head(stream)?.seq ?? 0;
      // The first start with checkpoints: what the log holds was handled before they existed.
      if (store.checkpointsCreated) store.enqueue(stream, head, [], new Date());
      else if (head > store.checkpoint(stream)) this.#catchUp(id);
    }
  }

  readonly #onAppended = (stream: string, entries: LogEntry[]): void => {
    const sittingId = sittingIdOf(stream);
    const last = entries.at(-1);
    if (this.#closed || sittingId === null || !last || !entries.some(isPublication)) return;
    const { seq } = last;
    let notes: Notification[] | null = null;
    try {
      // Built now, from the state this commit produced; a later command must not leak into it.
      const view = this.#opts.record.sitting(sittingId);
      if (view) notes = notificationsFor(entries, view, this.#opts.publicUrl());
    } catch (err) {
      this.#opts.logger.error({ err, stream }, 'building a publication notification failed');
    }
    setImmediate(() => {
      if (this.#closed) return;
      // After a failed write, these notes alone would skip the ones it lost: rebuild from the log.
      if (notes === null || this.#behind.has(stream)) this.#catchUp(sittingId);
      else this.#queue(stream, seq, notes);
    });
  };

  #catchUp(sittingId: string): void {
    const { record, store, logger } = this.#opts;
    const stream = sittingStream(sittingId);
    try {
      const checkpoint = store.checkpoint(stream);
      const log = record.log(stream);
      const head = log.at(-1)?.seq ?? 0;
      if (head <= checkpoint) return void this.#behind.delete(stream);
      const notes = notificationsAfter(sittingId, log, checkpoint, this.#opts.publicUrl());
      if (notes.length > 0) logger.warn({ stream, from: checkpoint + 1, to: head, notes: notes.length }, 'webhook notifications caught up from the log');
      this.#queue(stream, head, notes);
    } catch (err) {
      this.#behind.add(stream);
      logger.error({ err, stream }, 'catching up webhook notifications failed');
    }
  }

  /** Queues `notes` and moves the stream's checkpoint to `seq`, together; on failure the stream is behind. */
  #queue(stream: string, seq: number, notes: Notification[]): void {
    try {
      const queued = notes.map((n) => ({
        event: n.event,
        sittingId: n.sittingId,
        seq: n.seq,
        occurredAt: n.payload.occurredAt,
        body: JSON.stringify(n.payload),
      }));
      const ids = this.#opts.store.enqueue(stream, seq, queued, new Date());
      this.#behind.delete(stream);
      for (const id of ids) this.#schedule(id, 0);
    } catch (err) {
      this.#behind.add(stream);
      this.#opts.logger.error({ err, stream }, 'queueing webhook deliveries failed');
    }
  }

  #schedule(deliveryId: string, delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timers.get(deliveryId));
    const timer = setTimeout(() => {
      this.#timers.delete(deliveryId);
      const controller = new AbortController();
      const done = this.#attempt(deliveryId, controller.signal)
        .catch((err: unknown) => this.#opts.logger.error({ err, deliveryId }, 'webhook delivery failed unexpectedly'))
        .finally(() => this.#inflight.delete(deliveryId));
      this.#inflight.set(deliveryId, { controller, done });
    }, Math.max(0, delayMs));
    this.#timers.set(deliveryId, timer);
  }

  async #attempt(deliveryId: string, shutdown: AbortSignal): Promise<void> {
    const { store, logger, maxAttempts, backoffMs, timeoutMs, targets } = this.#opts;
    const job = store.job(deliveryId);
    if (!job || job.status !== 'pending') return;
    const attempt = job.attempts + 1;
    const timestamp = Math.floor(Date.now() / 1000);
    const at = new Date().toISOString();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'radacast-webhooks',
        [SIGNATURE_HEADER]: sign(job.secret, timestamp, job.body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [EVENT_HEADER]: job.event,
        [DELIVERY_HEADER]: job.id,
      };
      // A redirect (3xx) is a misconfigured receiver, not a delivery: never followed.
      statusCode = await postWebhook(job.url, headers, job.body, { targets, signal: AbortSignal.any([shutdown, timeout]) });
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (err) {
      // Stopped by close(): not an attempt; the delivery stays pending for the next start.
      if (shutdown.aborted) return;
      error = timeout.aborted ? 'timeout' : describeFailure(err);
    }
    if (this.#closed) return;
    const durationMs = Math.round(performance.now() - started);
    const status: DeliveryStatus = error === null ? 'delivered' : attempt >= maxAttempts ? 'failed' : 'pending';
    const next = status === 'pending' ? new Date(Date.now() + backoffDelay(backoffMs, attempt)) : null;
    const log: AttemptLog = { attempt, at, statusCode, error, durationMs };
    if (!store.recordAttempt(deliveryId, log, { status, nextAttemptAt: next })) return;
    logger[status === 'failed' ? 'warn' : 'info'](
      { deliveryId, event: job.event, attempt, statusCode, error, status, durationMs },
      'webhook delivery attempt',
    );
    this.emit('attempt', deliveryId, log, status);
    if (next) this.#schedule(deliveryId, next.getTime() - Date.now());
  }

  /** Stops listening and sending; in-flight requests are aborted and stay pending for the next start. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#opts.record.off('appended', this.#onAppended);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const inflight = [...this.#inflight.values()];
    for (const { controller } of inflight) controller.abort();
    await Promise.allSettled(inflight.map((f) => f.done));
  }
}
