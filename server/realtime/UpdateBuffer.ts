// The recent updates of each sitting, so a client that reconnects with its last seq gets
// exactly what it missed — or a fresh snapshot when that is shorter or the gap is too old.
// Sizes are measured once (an update when it is pushed; a snapshot's is its cached encoding),
// not once per reconnecting client: a wave of reconnects asks the same question thousands of times.
// Bounded: a closed sitting's updates are forgotten (a late client gets a snapshot), and only
// the sittings that changed most recently are kept.
import type { SittingUpdate } from '../../protocol/socket.ts';
import { fromSeqOf } from '../../protocol/livePatch.ts';

/** The sitting as a snapshot would give it: its seq and the length of its encoded view. */
export interface Latest {
  sittingId: string;
  seq: number;
  size: number;
}

export type Missed = { kind: 'snapshot' } | { kind: 'none' } | { kind: 'updates'; updates: SittingUpdate[] };

export interface Kept {
  update: SittingUpdate;
  /** Length of the update's JSON text. */
  size: number;
}

export class UpdateBuffer {
  readonly #bySitting = new Map<string, Kept[]>();
  readonly #capacity: number;
  readonly #maxSittings: number;
  constructor(capacity = 512, maxSittings = 16) {
    this.#capacity = capacity;
    this.#maxSittings = maxSittings;
  }

  /** How many sittings have updates kept. */
  get sittings(): number {
    return this.#bySitting.size;
  }

  /** Keeps an update for catch-up; returns its size as serialised (UTF-16 units of its JSON). */
  push(update: SittingUpdate): number {
    const list = this.#bySitting.get(update.sittingId) ?? [];
    const size = JSON.stringify(update).length;
    list.push({ update, size });
    if (list.length > this.#capacity) list.splice(0, list.length - this.#capacity);
    // Re-inserted, so the map's order is the order of last change: the first is the stalest.
    this.#bySitting.delete(update.sittingId);
    this.#bySitting.set(update.sittingId, list);
    const stalest = this.#bySitting.keys().next();
    if (this.#bySitting.size > this.#maxSittings && !stalest.done) this.#bySitting.delete(stalest.value);
    return size;
  }

  /** Drops a sitting's updates (it closed: nothing more will come). */
  forget(sittingId: string): void {
    this.#bySitting.delete(sittingId);
  }

  /** What a client holding `since` needs to reach `latest`. */
  catchup(latest: Latest, since: number | undefined): Missed {
    return missedUpdates(this.#bySitting.get(latest.sittingId) ?? [], latest, since);
  }
}

/** What a client holding `since` needs to reach `latest`, from the updates kept (in seq order). */
export function missedUpdates(list: Kept[], latest: Latest, since: number | undefined): Missed {
  if (since === undefined || since > latest.seq) return { kind: 'snapshot' };
  if (since === latest.seq) return { kind: 'none' };
  const start = list.findIndex((k) => k.update.seq > since);
  const first = list[start];
  const last = list.at(-1);
  if (!first || !last || fromSeqOf(first.update) !== since || last.update.seq !== latest.seq) return { kind: 'snapshot' };
  const kept = list.slice(start);
  // The length of the JSON array of these updates: their texts, the commas and the brackets.
  const updatesSize = kept.reduce((sum, k) => sum + k.size, 0) + kept.length + 1;
  return updatesSize < latest.size ? { kind: 'updates', updates: kept.map((k) => k.update) } : { kind: 'snapshot' };
}
