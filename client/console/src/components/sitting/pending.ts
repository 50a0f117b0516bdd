// What this console has sent but the server has not yet answered, as the grids show it: the
// latest waiting presence and choice per member. Pure.
import type { Choice } from '../../../../../protocol/model.ts';
import type { QueuedCommand } from '../../lib/CommandQueue.ts';

export function pendingPresence(entries: readonly QueuedCommand[], sittingId: string): Map<string, boolean> {
  const result = new Map<string, boolean>();
  for (const { command: c } of entries) {
    if (c.type !== 'attendance.set' || c.sittingId !== sittingId) continue;
    for (const id of c.memberIds ?? (c.memberId ? [c.memberId] : [])) result.set(id, c.present);
  }
  return result;
}

export function pendingChoices(entries: readonly QueuedCommand[], sittingId: string, voteId: string): Map<string, Choice> {
  const result = new Map<string, Choice>();
  for (const { command: c } of entries) {
    if (c.type === 'vote.cast' && c.sittingId === sittingId && c.voteId === voteId) result.set(c.memberId, c.choice);
  }
  return result;
}
