// Failed logins worth an admin's attention: the audit trail gets one entry when a username
// reaches `threshold` failures within `windowMs` (not one per failure: a guessing stranger must
// not flood the trail). Memory is bounded: at most `maxNames` usernames are watched at once.
import { dropOldest } from '../dropOldest.ts';

export class LoginFailureWatch {
  readonly #failures = new Map<string, { since: number; count: number }>();

  constructor(
    readonly threshold = 10,
    readonly windowMs = 15 * 60_000,
    readonly maxNames = 10_000,
  ) {}

  /** Counts a failure; true exactly when this one reaches the threshold within the window. */
  failed(username: string, now: number): boolean {
    let entry = this.#failures.get(username);
    if (!entry || now - entry.since > this.windowMs) {
      this.#failures.delete(username);
      if (this.#failures.size >= this.maxNames) dropOldest(this.#failures);
      entry = { since: now, count: 0 };
      this.#failures.set(username, entry);
    }
    entry.count += 1;
    return entry.count === this.threshold;
  }
}
