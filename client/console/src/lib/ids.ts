// Ids the console makes up: short, readable in URLs and logs, unique enough that two consoles
// opening votes at once do not collide (the server refuses a duplicate anyway).
import type { SittingSummary } from '../../../../protocol/views.ts';

const suffix = (random: () => number) => Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');

/** "v03-k2x9" for the third vote of a sitting. */
export function newVoteId(votesSoFar: number, random: () => number = Math.random): string {
  return `v${String(votesSoFar + 1).padStart(2, '0')}-${suffix(random)}`;
}

/** "<body>-<date>", or "<body>-<date>-2" (the first free number) when that id is taken. */
export function newSittingId(bodyId: string, scheduledAt: string, existing: SittingSummary[]): string {
  const base = `${bodyId.slice(0, 40)}-${scheduledAt.slice(0, 10)}`;
  const taken = new Set(existing.map((s) => s.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/**
 * A command's idempotency key: a random UUID. `crypto.randomUUID` exists only in secure
 * contexts (HTTPS, localhost); a console opened over plain HTTP on the council's LAN builds the
 * same version-4 UUID from `crypto.getRandomValues`, which exists everywhere.
 */
export function newCommandId(source: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const b = source.getRandomValues(new Uint8Array(16));
  // Version 4, variant 10 (DataView: bounds-checked bytes).
  const bytes = new DataView(b.buffer, b.byteOffset, b.byteLength);
  bytes.setUint8(6, (bytes.getUint8(6) & 0x0f) | 0x40);
  bytes.setUint8(8, (bytes.getUint8(8) & 0x3f) | 0x80);
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** "x-k2x9" for an item added during the sitting (the number the clerk gives is what people see). */
export function newItemId(random: () => number = Math.random): string {
  return `x-${suffix(random)}`;
}
