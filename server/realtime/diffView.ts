// The patch between two public views of a sitting: the top-level fields that changed and the
// votes that changed or are new. Unchanged parts keep their identity in the domain, so the
// reference check settles most fields before any comparison by value.
import type { ViewPatch } from '../../protocol/socket.ts';
import type { SittingView, VoteView } from '../../protocol/views.ts';

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function diffView(prev: SittingView | undefined, next: SittingView): ViewPatch {
  if (!prev) return next;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof SittingView)[]) {
    if (key === 'votes') continue;
    if (!same(prev[key], next[key])) patch[key] = next[key];
  }
  const byId = new Map(prev.votes.map((v) => [v.id, v]));
  const votes: VoteView[] = next.votes.filter((v) => !same(byId.get(v.id), v));
  if (votes.length > 0) patch.votes = votes;
  return patch;
}
