// The demo council's plenary sitting taken live for a test: who is registered and which vote
// is open. Shared by the integration tests and the benchmark so they drive the same record.
import type { CommandInput } from '../../protocol/commands.ts';

export const DEMO_SITTING = 'demo-plenary';
/** The 42 deputies of the demo council, d01…d42 (the mayor is `mayor`). */
export const DEPUTIES = Array.from({ length: 42 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`);

export interface LiveVoteOptions {
  present: string[];
  voteId: string;
  ballot?: 'roll-call' | 'secret';
  /** Prefix of the commands' ids, so a restarted client can resend them. */
  idPrefix?: string;
}

/** Opens the demo sitting, registers `present` and opens a vote on its first item. */
export function liveVoteCommands({ present, voteId, ballot = 'roll-call', idPrefix = 'setup' }: LiveVoteOptions): CommandInput[] {
  return [
    { type: 'sitting.open', sittingId: DEMO_SITTING, commandId: `${idPrefix}:open` },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: present, present: true, commandId: `${idPrefix}:register` },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i1', commandId: `${idPrefix}:item` },
    {
      type: 'vote.open',
      sittingId: DEMO_SITTING,
      voteId,
      subject: 'Про бюджет міста на 2027 рік',
      ballot,
      commandId: `${idPrefix}:vote`,
    },
  ];
}
