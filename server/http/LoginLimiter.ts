// Slows down password guessing. Every login attempt is charged to its keys *before* the
// password is checked (so parallel attempts cannot slip past the count), and refunded when it
// succeeds. Keys: the client address (5 a minute) and either the username across all addresses
// (10 a minute) or, for a browser that logged in as that user before (a device cookie,
// deviceCookie.ts), that device's own allowance — so strangers who exhaust a username's
// allowance lock out only other strangers, never the admin's own browser.
// Memory is bounded: at most `maxKeys` keys, the least recently charged forgotten first.
import { dropOldest } from '../dropOldest.ts';

export interface LimitedKey {
  key: string;
  /** Attempts allowed per window. */
  max: number;
}

export interface LoginLimiterOptions {
  windowMs: number;
  maxKeys: number;
}

export const LOGIN_LIMITS = { perAddress: 5, perUsername: 10, perDevice: 5 } as const;

export class LoginLimiter {
  readonly #attempts = new Map<string, number[]>();
  readonly #options: LoginLimiterOptions;

  constructor(options: LoginLimiterOptions = { windowMs: 60_000, maxKeys: 10_000 }) {
    this.#options = options;
  }

  /** Keys currently remembered (bounded by maxKeys). */
  get size(): number {
    return this.#attempts.size;
  }

  #recent(key: string, now: number): number[] {
    return (this.#attempts.get(key) ?? []).filter((t) => now - t < this.#options.windowMs);
  }

  #store(key: string, list: number[]): void {
    // Re-inserting moves the key to the end: the Map's first key is the least recently used.
    this.#attempts.delete(key);
    if (list.length === 0) return;
    this.#attempts.set(key, list);
    while (this.#attempts.size > this.#options.maxKeys) dropOldest(this.#attempts);
  }

  /**
   * Charges one attempt to every key, unless one of them is used up: then nothing is charged
   * and the answer is the seconds to wait. 0 means charged, go ahead.
   */
  charge(keys: LimitedKey[], now: number): number {
    let wait = 0;
    const lists = keys.map(({ key, max }) => {
      const list = this.#recent(key, now);
      // The oldest of the last `max` attempts: the key is free again once it leaves the window.
      const oldest = list.length >= max ? list[list.length - max] : undefined;
      if (oldest !== undefined) wait = Math.max(wait, Math.ceil((oldest + this.#options.windowMs - now) / 1000));
      return { key, list };
    });
    for (const { key, list } of lists) this.#store(key, wait > 0 ? list : [...list, now]);
    return wait;
  }

  /** A successful login gives its attempt back. */
  refund(keys: LimitedKey[], now: number): void {
    for (const { key } of keys) this.#store(key, this.#recent(key, now).slice(0, -1));
  }
}
