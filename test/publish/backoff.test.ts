// How long a webhook receiver that is down waits for the next attempt: doubling from the
// configured base, never more than half an hour apart.
import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay } from '../../server/publish/WebhookDispatcher.ts';

describe('webhook retry backoff', () => {
  it('doubles from the base and is capped at 30 minutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(5000, n))).toEqual([5000, 10_000, 20_000, 40_000, 80_000]);
    expect(BACKOFF_CAP_MS).toBe(30 * 60 * 1000);
    expect(backoffDelay(5000, 10)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(5000, 50)).toBe(BACKOFF_CAP_MS);
  });
});
