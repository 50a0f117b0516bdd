// Ids the console makes up: commandIds (also over plain HTTP, where crypto.randomUUID is
// missing), vote ids and sitting ids.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newCommandId, newSittingId, newVoteId } from '../../client/console/src/lib/ids.ts';
import type { SittingSummary } from '../../protocol/views.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('console ids', () => {
  it('makes a version-4 UUID with or without crypto.randomUUID', () => {
    expect(newCommandId(webcrypto as unknown as Crypto)).toMatch(UUID_V4);
    const insecure = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => webcrypto.getRandomValues(a as never) as T };
    const ids = new Set(Array.from({ length: 200 }, () => newCommandId(insecure)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('numbers votes and keeps sitting ids unique and readable', () => {
    expect(newVoteId(2, () => 0)).toBe('v03-0000');
    const taken = (...ids: string[]) => ids.map((id) => ({ id }) as SittingSummary);
    expect(newSittingId('council', '2026-12-10T10:00:00+02:00', [])).toBe('council-2026-12-10');
    expect(newSittingId('council', '2026-12-10T10:00:00+02:00', taken('council-2026-12-10', 'council-2026-12-10-2'))).toBe('council-2026-12-10-3');
  });
});
