// Questions every page asks of a public sitting view: which vote is open, which closed last,
// which is current, which agenda item is on or carries a vote. One answer for the overlay, the
// residents' pages and the console.
import type { AgendaItemView, ClosedVoteView, OpenVoteView, SittingView, VoteView } from './views.ts';

export function openVote(view: SittingView): OpenVoteView | null {
  return view.votes.find((v) => v.status === 'open') ?? null;
}

/** The vote closed last (by closing time; the later one in the list on a tie). */
export function lastClosedVote(view: SittingView): ClosedVoteView | null {
  let last: ClosedVoteView | null = null;
  for (const v of view.votes) {
    if (v.status === 'closed' && (!last || Date.parse(v.closedAt) >= Date.parse(last.closedAt))) last = v;
  }
  return last;
}

/** The open vote, else the one closed last, else none. */
export function currentVote(view: SittingView): VoteView | null {
  return openVote(view) ?? lastClosedVote(view);
}

export function itemById(view: SittingView, itemId: string | null): AgendaItemView | null {
  return itemId === null ? null : (view.agenda.find((i) => i.id === itemId) ?? null);
}

export function currentItem(view: SittingView): AgendaItemView | null {
  return itemById(view, view.currentItemId);
}
