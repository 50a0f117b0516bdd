// What an import reports: each bad line with its number and a catalogue message; a file with
// any bad line imports nothing.
import type { MessageKey } from '../../../../protocol/messages.ts';

export interface LineError {
  line: number;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export type ImportResult<T> = { ok: true; value: T } | { ok: false; errors: LineError[] };

/** Errors in line order (a file is read top to bottom). */
export function refused<T>(errors: LineError[]): ImportResult<T> {
  return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
}
