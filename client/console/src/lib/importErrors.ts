// What an import reports: each bad line with its number and a catalogue message; a file with
// any bad line imports nothing.
import type { ConsoleMessageKey } from '../../../../protocol/messages/console.ts';

export interface LineError {
  line: number;
  key: ConsoleMessageKey;
  params?: Record<string, string | number>;
  /** The line as it was read (shortened), so the clerk sees which text failed. */
  text?: string;
}

/** What an import tells before its bad lines, e.g. which format it read the text as, and why. */
export interface ImportNote {
  key: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

/** A line's text as shown next to its error: one line, at most 80 characters. */
export function quoted(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}

export type ImportResult<T> = { ok: true; value: T } | { ok: false; errors: LineError[] };

/** Errors in line order (a file is read top to bottom). */
export function refused<T>(errors: LineError[]): ImportResult<T> {
  return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
}
