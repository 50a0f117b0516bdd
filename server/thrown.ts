// What a caught value says, read without casting `unknown`: its errno code when a system call
// failed, and a message for the log line.

/** 'ENOENT', 'EPERM', … for a failed system call; undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** A caught value's message, for a log line. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
