// Applying a live update to a held view: the same merge on every page and in tests.
import type { ViewPatch } from './socket.ts';
import type { SittingView } from './views.ts';

export function applyPatch(view: SittingView, patch: ViewPatch): SittingView {
  const { votes: changed, ...fields } = patch;
  let votes = view.votes;
  if (changed) {
    const byId = new Map(changed.map((v) => [v.id, v]));
    votes = view.votes.map((v) => byId.get(v.id) ?? v);
    for (const v of changed) if (!view.votes.some((old) => old.id === v.id)) votes = [...votes, v];
  }
  return { ...view, ...fields, votes };
}
