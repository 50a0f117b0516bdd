// The side panel in step with the video: every state the live channel delivered, stamped with
// the server time it describes, so the panel can show the state as of the video's playhead
// (its program date-time) instead of the newest one — nobody reads a result before seeing it
// on screen. Immutable: each change returns a new history, so a page can hold it as one value.

export interface Stamped<T> {
  /** Server time (ms since epoch) from which this state holds. */
  at: number;
  value: T;
}

/** States kept ahead of the playhead; past this, the oldest fold into the base. */
export const MAX_PENDING = 500;

export class StateHistory<T> {
  /** Shown when the playhead is before every pending state. */
  readonly #base: Stamped<T>;
  /** Non-decreasing by `at`, none before the base: the states waiting for the playhead. */
  readonly #pending: readonly Stamped<T>[];

  private constructor(base: Stamped<T>, pending: readonly Stamped<T>[]) {
    this.#base = base;
    this.#pending = pending;
  }

  /** The base, then the pending states. */
  get entries(): readonly Stamped<T>[] {
    return [this.#base, ...this.#pending];
  }

  /** A history holding only `value`, shown whatever the playhead. */
  static of<T>(value: T): StateHistory<T> {
    return new StateHistory({ at: Number.NEGATIVE_INFINITY, value }, []);
  }

  /** The newest pending state, else the base. */
  get #newest(): Stamped<T> {
    return this.#pending.at(-1) ?? this.#base;
  }

  /**
   * Adds the state that holds from `at` on. Updates arrive in order; a stamp earlier than the
   * last one (another clock, a catch-up) is moved up to it, so the order of states is kept.
   */
  push(at: number, value: T): StateHistory<T> {
    const pending = [...this.#pending, { at: Math.max(at, this.#newest.at), value }];
    // Past MAX_PENDING the oldest fold into the base: the newest of them becomes it.
    const folded = pending.splice(0, pending.length - MAX_PENDING);
    return new StateHistory(folded.at(-1) ?? this.#base, pending);
  }

  /** The newest state (real time). */
  get latest(): T {
    return this.#newest.value;
  }

  /** How many pending states the playhead at `time` has reached. */
  #reached(time: number): number {
    const first = this.#pending.findIndex((e) => e.at > time);
    return first === -1 ? this.#pending.length : first;
  }

  /** The state as of `time` (the newest with `at` ≤ time; the base before all); `null` time: the newest. */
  at(time: number | null): T {
    if (time === null) return this.latest;
    return (this.#pending[this.#reached(time) - 1] ?? this.#base).value;
  }

  /** When the state shown at `time` next changes; null when nothing newer is waiting. */
  nextChangeAfter(time: number): number | null {
    return this.entries.find((e) => e.at > time)?.at ?? null;
  }

  /** How many states are waiting for the playhead to reach them. */
  pendingAfter(time: number): number {
    return this.#pending.length - this.#reached(time);
  }

  /** Drops what lies before the state shown at `time` (the playhead never goes back that far). */
  prune(time: number): StateHistory<T> {
    const reached = this.#reached(time);
    const shown = this.#pending[reached - 1];
    return shown ? new StateHistory(shown, this.#pending.slice(reached)) : this;
  }
}
