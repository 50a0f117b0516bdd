// Limits that keep one client from hurting the others: the size of an event's payload, a
// per-connection command rate (token bucket) and a cap on connections per address.

/** Approximate size of an event payload as it arrived (JSON text length). */
export function payloadSize(payload: unknown): number {
  try {
    return JSON.stringify(payload)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.ratePerSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export class ConnectionCounter {
  readonly #byAddress = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts a new connection; false when the address is at its cap (then nothing is counted). */
  open(address: string): boolean {
    const n = this.#byAddress.get(address) ?? 0;
    if (n >= this.max) return false;
    this.#byAddress.set(address, n + 1);
    return true;
  }

  close(address: string): void {
    const n = (this.#byAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.#byAddress.delete(address);
    else this.#byAddress.set(address, n);
  }
}
