// The answer to a command, the same over HTTP and the clerk's socket.
import type { ErrorBody } from './errors.ts';
import type { RecordedEvent } from './events.ts';

/**
 * One event of the log as it is stored, answered and published (GET /api/sittings/:id/log):
 * recorded, and chained by hash to the one before it in its stream (server/store/hashChain.ts).
 */
export interface LogEntry extends RecordedEvent {
  prevHash: string;
  hash: string;
}

export type CommandAnswer = { ok: true; seq: number; events: LogEntry[] } | { ok: false; error: ErrorBody };
