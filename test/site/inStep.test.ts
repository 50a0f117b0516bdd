// The panel in step with the video (client/src/lib/inStep.ts): each state the live channel
// delivers is shown only once the playhead's program date-time reaches the moment it
// describes; without a playhead (real time, no video) the newest state shows at once.
import { describe, expect, it } from 'vitest';
import { MAX_PENDING, StateHistory } from '../../client/src/lib/inStep.ts';

const T = Date.parse('2026-12-10T10:00:00.000Z');
const s = (seconds: number) => T + seconds * 1000;

/** The snapshot at subscription, then a vote opened at +10 s and a choice cast at +12 s. */
function sitting(): StateHistory<string> {
  return StateHistory.of('snapshot').push(s(10), 'vote open').push(s(12), 'one for');
}

describe('state history in step with the playhead', () => {
  it('shows the snapshot while the video is still before every update', () => {
    expect(sitting().at(s(5))).toBe('snapshot');
  });

  it('shows an update exactly when the playhead reaches its moment, not a millisecond before', () => {
    const h = sitting();
    expect(h.at(s(10) - 1)).toBe('snapshot');
    expect(h.at(s(10))).toBe('vote open');
    expect(h.at(s(11.9))).toBe('vote open');
    expect(h.at(s(12))).toBe('one for');
    expect(h.at(s(600))).toBe('one for');
  });

  it('shows the newest state in real time (no playhead)', () => {
    expect(sitting().at(null)).toBe('one for');
    expect(sitting().latest).toBe('one for');
  });

  it('tells how many updates wait for the video and when the next one is due', () => {
    const h = sitting();
    expect(h.pendingAfter(s(5))).toBe(2);
    expect(h.nextChangeAfter(s(5))).toBe(s(10));
    expect(h.pendingAfter(s(10))).toBe(1);
    expect(h.nextChangeAfter(s(10))).toBe(s(12));
    expect(h.pendingAfter(s(20))).toBe(0);
    expect(h.nextChangeAfter(s(20))).toBeNull();
  });

  it('keeps the order of states when a stamp comes earlier than the last one (catch-up, another clock)', () => {
    const h = sitting().push(s(11), 'two for');
    expect(h.entries.map((e) => e.at)).toEqual([Number.NEGATIVE_INFINITY, s(10), s(12), s(12)]);
    expect(h.at(s(11.5))).toBe('vote open');
    expect(h.at(s(12))).toBe('two for');
  });

  it('shows the later of two states stamped with the same moment (one command, two events)', () => {
    const h = StateHistory.of('a').push(s(1), 'b').push(s(1), 'c');
    expect(h.at(s(1))).toBe('c');
    expect(h.at(s(0.5))).toBe('a');
  });

  it('drops what the playhead has passed but keeps the state shown there and everything ahead', () => {
    const h = sitting().prune(s(11));
    expect(h.entries.map((e) => e.value)).toEqual(['vote open', 'one for']);
    expect(h.at(s(11))).toBe('vote open');
    // A resident scrubbing back before the pruned part sees the oldest state kept.
    expect(h.at(s(1))).toBe('vote open');
    expect(h.at(s(12))).toBe('one for');
    expect(sitting().prune(s(5))).toEqual(sitting());
  });

  it('switching between real time and in step needs no refetch: the same history answers both', () => {
    const h = sitting();
    const playhead = s(11);
    expect([h.at(playhead), h.at(null), h.at(playhead)]).toEqual(['vote open', 'one for', 'vote open']);
  });

  it('holds at most MAX_PENDING states ahead; older ones fold into the base', () => {
    let h = StateHistory.of(0);
    for (let i = 1; i <= MAX_PENDING + 50; i++) h = h.push(s(i), i);
    expect(h.entries).toHaveLength(MAX_PENDING + 1);
    expect(h.latest).toBe(MAX_PENDING + 50);
    expect(h.at(s(0))).toBe(50);
  });

  it('is immutable: pushing and pruning return new histories and leave the old one as it was', () => {
    const before = sitting();
    const entries = [...before.entries];
    before.push(s(20), 'closed');
    before.prune(s(15));
    expect(before.entries).toEqual(entries);
  });
});
