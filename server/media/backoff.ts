// Capped exponential backoff for restarting a failed ffmpeg: 0.5 s, 1 s, 2 s … up to the cap,
// and back to the start once a run has been healthy for a while.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** A run that lasted this long resets the count. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 15_000, healthyAfterMs: 30_000 };

/** Delay before restart number `attempt` (0-based). */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
}

/** The attempt count after a run that lasted `ranMs`. */
export function nextAttempt(policy: BackoffPolicy, attempt: number, ranMs: number): number {
  return ranMs >= policy.healthyAfterMs ? 0 : attempt + 1;
}
