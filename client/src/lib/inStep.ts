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
  /** Non-decreasing by `at`; the first entry is the base, shown when the playhead is before everything. */
  readonly entries: readonly Stamped<T>[];

  private constructor(entries: readonly Stamped<T>[]) {
    this.entries = entries;
  }

  /** A history holding only `value`, shown whatever the playhead. */
  static of<T>(value: T): StateHistory<T> {
    return new StateHistory([{ at: Number.NEGATIVE_INFINITY, value }]);
  }

  /**
   * Adds the state that holds from `at` on. Updates arrive in order; a stamp earlier than the
   * last one (another clock, a catch-up) is moved up to it, so the order of states is kept.
   */
  push(at: number, value: T): StateHistory<T> {
    const last = this.entries.at(-1)!;
    const entries = [...this.entries, { at: Math.max(at, last.at), value }];
    return new StateHistory(entries.length > MAX_PENDING + 1 ? entries.slice(entries.length - MAX_PENDING - 1) : entries);
  }

  /** The newest state (real time). */
  get latest(): T {
    return this.entries.at(-1)!.value;
  }

  #indexAt(time: number): number {
    let index = 0;
    for (let i = 1; i < this.entries.length; i++) {
      if (this.entries[i]!.at <= time) index = i;
      else break;
    }
    return index;
  }

  /** The state as of `time` (the newest with `at` ≤ time; the base before all); `null` time: the newest. */
  at(time: number | null): T {
    return time === null ? this.latest : this.entries[this.#indexAt(time)]!.value;
  }

  /** When the state shown at `time` next changes; null when nothing newer is waiting. */
  nextChangeAfter(time: number): number | null {
    return this.entries.find((e) => e.at > time)?.at ?? null;
  }

  /** How many states are waiting for the playhead to reach them. */
  pendingAfter(time: number): number {
    return this.entries.length - 1 - this.#indexAt(time);
  }

  /** Drops what lies before the state shown at `time` (the playhead never goes back that far). */
  prune(time: number): StateHistory<T> {
    const index = this.#indexAt(time);
    return index === 0 ? this : new StateHistory(this.entries.slice(index));
  }
}
