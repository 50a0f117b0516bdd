// Streams of commands for crash and soak runs (test/crash/killRestart.test.ts, scripts/soak.ts):
// a seeded random generator and "lanes" — sequential command streams over their own members,
// each command changing something, so every acknowledged command appends exactly one event.
import type { CommandInput } from '../../protocol/commands.ts';
import { CHOICES, type Choice } from '../../protocol/model.ts';
import { DEMO_SITTING } from './demoSitting.ts';

/** mulberry32: a seeded generator, so a failing run can be replayed with RADACAST_CRASH_SEED. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One sequential stream of commands over its own members, so every command changes something
 * (and appends exactly one event) whatever order the lanes interleave in.
 */
export interface Lane {
  /** Sent but not acknowledged: resent, unchanged, after the restart. */
  pending: CommandInput | null;
  make(): CommandInput;
  applied(command: CommandInput): void;
}

export function castLane(name: string, voteId: string, members: string[], choices: Map<string, Choice>): Lane {
  let n = 0;
  return {
    pending: null,
    make() {
      const memberId = members[n % members.length]!;
      const previous = choices.get(memberId);
      const choice = CHOICES[previous === undefined ? 0 : (CHOICES.indexOf(previous) + 1) % CHOICES.length]!;
      return { type: 'vote.cast', sittingId: DEMO_SITTING, voteId, memberId, choice, commandId: `${name}:${n}` };
    },
    applied(command) {
      if (command.type === 'vote.cast') choices.set(command.memberId, command.choice);
      n += 1;
    },
  };
}

export function attendanceLane(name: string, members: string[], present: Set<string>): Lane {
  let n = 0;
  return {
    pending: null,
    make() {
      const memberId = members[n % members.length]!;
      return { type: 'attendance.set', sittingId: DEMO_SITTING, memberId, present: !present.has(memberId), commandId: `${name}:${n}` };
    },
    applied(command) {
      if (command.type === 'attendance.set' && command.memberId) {
        if (command.present) present.add(command.memberId);
        else present.delete(command.memberId);
      }
      n += 1;
    },
  };
}
