// The recent updates of each sitting, so a client that reconnects with its last seq gets
// exactly what it missed — or a fresh snapshot when that is shorter or the gap is too old.
import type { Catchup, SittingUpdate } from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';

export class UpdateBuffer {
  readonly #bySitting = new Map<string, SittingUpdate[]>();
  readonly #capacity: number;

  constructor(capacity = 512) {
    this.#capacity = capacity;
  }

  push(update: SittingUpdate): void {
    const list = this.#bySitting.get(update.sittingId) ?? [];
    list.push(update);
    if (list.length > this.#capacity) list.splice(0, list.length - this.#capacity);
    this.#bySitting.set(update.sittingId, list);
  }

  /** What a client holding `since` needs to reach `view`. */
  catchup(view: SittingView, since: number | undefined): Catchup {
    if (since === undefined || since > view.seq) return { kind: 'snapshot', view };
    if (since === view.seq) return { kind: 'none' };
    const list = this.#bySitting.get(view.id) ?? [];
    const start = list.findIndex((u) => u.seq > since);
    if (start === -1 || list[start]!.fromSeq !== since) return { kind: 'snapshot', view };
    const updates = list.slice(start);
    const shorter = JSON.stringify(updates).length < JSON.stringify(view).length;
    return shorter ? { kind: 'updates', updates } : { kind: 'snapshot', view };
  }

  forget(sittingId: string): void {
    this.#bySitting.delete(sittingId);
  }
}
