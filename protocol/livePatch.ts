// The live patch, version 2 (docs/api.md, "Live patch format"; the subscribe answer states the
// version): what one update changes in a held view, and how every page applies it. A patch carries only
// what changed: top-level fields replaced whole, `unset` fields removed, the head hash in
// base64url, and per vote either the whole vote (new, or a field of it vanished) or a merge:
// changed fields replaced, `choices` merged member by member, and `counts` only where they
// differ from what the moved choices imply (one member from `pending` to `for`: pending − 1,
// for + 1). The recording never travels in a patch: it is announced apart (`recording`).
import type { RecordingAnnouncement, SittingUpdate, VotePatch } from './socket.ts';
import type { Counts, SittingView, VoteChoice, VoteView } from './views.ts';

export const LIVE_PATCH_VERSION = 2;

/** The seq a client must hold to apply an update: its events are numbered on from there. */
export const fromSeqOf = (update: Pick<SittingUpdate, 'events'>): number => update.events[0]!.seq - 1;

export const COUNT_OF: Record<VoteChoice, keyof Counts> = {
  for: 'for',
  against: 'against',
  abstain: 'abstain',
  'not-voting': 'notVoting',
  absent: 'absent',
  pending: 'pending',
};

/** The counts after members' choices moved, before any explicit correction in the patch. */
export function impliedCounts(vote: VoteView, choices: Record<string, VoteChoice>): Counts {
  const counts = { ...vote.counts };
  for (const [member, to] of Object.entries(choices)) {
    const from = vote.choices?.[member];
    if (from === undefined || from === to) continue;
    counts[COUNT_OF[from]] -= 1;
    counts[COUNT_OF[to]] += 1;
  }
  return counts;
}

function applyVote(vote: VoteView, patch: VotePatch): VoteView {
  if ('whole' in patch) return patch.whole;
  const { counts, choices, ...fields } = patch;
  const merged = { ...vote, ...fields };
  // A vote closing arrives as its status, closing time and result replaced together.
  const next: VoteView =
    merged.status === 'closed' && merged.closedAt !== null && merged.result !== null
      ? { ...merged, status: 'closed', closedAt: merged.closedAt, result: merged.result }
      : { ...merged, status: 'open', closedAt: null, result: null };
  if (choices) {
    next.counts = impliedCounts(vote, choices);
    next.choices = { ...vote.choices, ...choices };
  }
  if (counts) next.counts = { ...next.counts, ...counts };
  return next;
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A hex hash as base64url without padding: 43 characters for 64 (a third of every update). */
export function hexToBase64url(hex: string): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const c of hex) {
    buffer = (buffer << 4) | HEX.indexOf(c);
    bits += 4;
    while (bits >= 6) {
      bits -= 6;
      out += B64[(buffer >> bits) & 63];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += B64[(buffer << (6 - bits)) & 63];
  return out;
}

export function base64urlToHex(text: string, hexLength = 64): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const c of text) {
    buffer = (buffer << 6) | B64.indexOf(c);
    bits += 6;
    while (bits >= 4) {
      bits -= 4;
      out += HEX[(buffer >> bits) & 15];
    }
    buffer &= (1 << bits) - 1;
  }
  return out.slice(0, hexLength);
}

/** The view after one update (the update's seq is the view's new seq). */
export function applyUpdate(view: SittingView, update: Pick<SittingUpdate, 'seq' | 'patch'>): SittingView {
  const { set, unset, hash, votes } = update.patch;
  const next: SittingView = { ...view, ...set, seq: update.seq };
  for (const key of unset ?? []) delete next[key];
  if (hash !== undefined) next.headHash = hash === null ? null : base64urlToHex(hash);
  if (votes) {
    const known = new Set(view.votes.map((vote) => vote.id));
    next.votes = view.votes.map((vote) => {
      const patch = votes[vote.id];
      return patch ? applyVote(vote, patch) : vote;
    });
    for (const [id, patch] of Object.entries(votes)) if (!known.has(id) && 'whole' in patch) next.votes.push(patch.whole);
  }
  return next;
}

/**
 * The view after a recording announcement, or null when the held marks do not reach where the
 * announced ones continue (something was missed: subscribe again for a snapshot).
 */
export function applyRecording(view: SittingView, announced: RecordingAnnouncement): SittingView | null {
  const { marksFrom, marks, sittingId: _, ...rest } = announced;
  const held = view.recording?.marks ?? [];
  if (held.length < marksFrom) return null;
  return { ...view, recording: { ...rest, marks: [...held.slice(0, marksFrom), ...marks] } };
}
