// Delivering publication notifications to webhooks. It listens to the record's commits, turns
// the publication events among them into signed JSON POSTs, and retries failed deliveries with
// capped exponential backoff. Queued deliveries live in SQLite, so a restart resumes them. The
// command path only pays for building the summary: storing and sending happen later.
import { EventEmitter } from 'node:events';
import type { LogEntry } from '../../protocol/answers.ts';
import type { Logger } from '../logger.ts';
import type { SittingRecord } from '../store/SittingRecord.ts';
import { sittingIdOf } from '../domain/events.ts';
import { isPublicationEvent, notificationsFor, type Notification } from './notification.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature.ts';
import type { AttemptLog, DeliveryStatus, WebhookStore } from './WebhookStore.ts';

/** The longest wait between two attempts, however many have failed. */
export const BACKOFF_CAP_MS = 30 * 60 * 1000;

/** Wait after the `attempt`-th failed attempt (1-based): base, 2·base, 4·base, … up to the cap. */
export function backoffDelay(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), BACKOFF_CAP_MS);
}

export interface DispatcherOptions {
  record: SittingRecord;
  store: WebhookStore;
  logger: Logger;
  /** Absolute base of the links in notifications, e.g. https://rada.example.ua. */
  publicUrl: () => string;
  backoffMs: number;
  maxAttempts: number;
  timeoutMs?: number;
}

export type WebhookDispatcherEvents = {
  /** After an attempt has been recorded in the delivery log. */
  attempt: [deliveryId: string, attempt: AttemptLog, status: DeliveryStatus];
};

const isPublication = (e: LogEntry): boolean => isPublicationEvent(e.event.type);

function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timeout';
    const cause = err.cause as { code?: string; message?: string } | undefined;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

export class WebhookDispatcher extends EventEmitter<WebhookDispatcherEvents> {
  readonly #opts: Required<DispatcherOptions>;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #inflight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #closed = false;

  constructor(options: DispatcherOptions) {
    super();
    this.#opts = { timeoutMs: 10_000, ...options };
    this.#opts.record.on('appended', this.#onAppended);
    const now = Date.now();
    for (const p of this.#opts.store.pending()) this.#schedule(p.id, p.nextAttemptAt - now);
  }

  readonly #onAppended = (stream: string, entries: LogEntry[]): void => {
    const sittingId = sittingIdOf(stream);
    if (this.#closed || sittingId === null || !entries.some(isPublication)) return;
    try {
      // Built now, from the state this commit produced; a later command must not leak into it.
      const view = this.#opts.record.sitting(sittingId);
      if (!view) return;
      const notes = notificationsFor(entries, view, this.#opts.publicUrl());
      setImmediate(() => this.#enqueue(notes));
    } catch (err) {
      this.#opts.logger.error({ err, stream }, 'building a publication notification failed');
    }
  };

  #enqueue(notes: Notification[]): void {
    if (this.#closed) return;
    try {
      for (const n of notes) {
        const hooks = this.#opts.store.subscribers(n.event);
        if (hooks.length === 0) continue;
        const body = JSON.stringify(n.payload);
        const ids = this.#opts.store.enqueue(hooks, { event: n.event, sittingId: n.sittingId, seq: n.seq, body }, new Date());
        for (const id of ids) this.#schedule(id, 0);
      }
    } catch (err) {
      this.#opts.logger.error({ err }, 'queueing webhook deliveries failed');
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
    const { store, logger, maxAttempts, backoffMs, timeoutMs } = this.#opts;
    const job = store.job(deliveryId);
    if (!job || job.status !== 'pending') return;
    const attempt = job.attempts + 1;
    const timestamp = Math.floor(Date.now() / 1000);
    const at = new Date().toISOString();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'radacast-webhooks',
          [SIGNATURE_HEADER]: sign(job.secret, timestamp, job.body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [EVENT_HEADER]: job.event,
          [DELIVERY_HEADER]: job.id,
        },
        body: job.body,
        // A redirect is a misconfigured receiver, not a delivery.
        redirect: 'manual',
        signal: AbortSignal.any([shutdown, AbortSignal.timeout(timeoutMs)]),
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      // Stopped by close(): not an attempt; the delivery stays pending for the next start.
      if (shutdown.aborted) return;
      error = describeFailure(err);
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
