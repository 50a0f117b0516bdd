// The answer to a command, the same over HTTP and the clerk's socket.
import type { ErrorBody } from './errors.ts';

/** One event of the log as it is answered and published (GET /api/sittings/:id/log). */
export interface LogEntry {
  stream: string;
  seq: number;
  at: string;
  actor: string;
  commandId: string | null;
  event: { type: string } & Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type CommandAnswer = { ok: true; seq: number; events: LogEntry[] } | { ok: false; error: ErrorBody };
