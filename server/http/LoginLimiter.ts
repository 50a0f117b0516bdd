// Slows down password guessing: after a few failed logins from one address (or for one
// username) within a window, further attempts are refused until the window passes.
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
}

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #options: LoginLimiterOptions;

  constructor(options: LoginLimiterOptions = { maxFailures: 5, windowMs: 60_000 }) {
    this.#options = options;
  }

  #recent(key: string, now: number): number[] {
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#options.windowMs);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(keys: string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.#recent(key, now);
      if (list.length >= this.#options.maxFailures) {
        wait = Math.max(wait, Math.ceil((list[0]! + this.#options.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  fail(keys: string[], now: number): void {
    for (const key of keys) this.#failures.set(key, [...this.#recent(key, now), now]);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }
}
