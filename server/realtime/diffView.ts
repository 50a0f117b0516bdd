// The live patch (version 2, protocol/livePatch.ts) between two public views of a sitting:
// what changed and nothing else. Unchanged parts keep their identity in the domain, so the
// reference check settles most fields before any comparison by value. The recording is left
// out: LiveHub announces it apart.
import { hexToBase64url, impliedCounts } from '../../protocol/livePatch.ts';
import type { OptionalViewField, ViewPatch, VoteMerge, VotePatch } from '../../protocol/socket.ts';
import type { Counts, SittingView, VoteChoice, VoteView } from '../../protocol/views.ts';

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Fields a patch never carries in `set`. */
const APART = new Set<keyof SittingView>(['votes', 'seq', 'headHash', 'recording']);

function diffVote(prev: VoteView | undefined, next: VoteView): VotePatch | null {
  if (prev === next) return null;
  if (!prev || Object.keys(prev).some((k) => !(k in next)) || Object.keys(prev.choices ?? {}).some((m) => !(m in (next.choices ?? {})))) {
    return { whole: next };
  }
  const merge: VoteMerge = {};
  for (const key of Object.keys(next) as (keyof VoteView)[]) {
    if (key === 'id' || key === 'counts' || key === 'choices') continue;
    if (!same(prev[key], next[key])) (merge as Record<string, unknown>)[key] = next[key];
  }
  let implied = prev.counts;
  if (next.choices && !same(prev.choices, next.choices)) {
    const choices: Record<string, VoteChoice> = {};
    for (const [member, choice] of Object.entries(next.choices)) if (prev.choices?.[member] !== choice) choices[member] = choice;
    merge.choices = choices;
    implied = impliedCounts(prev, choices);
  }
  const counts: Partial<Counts> = {};
  for (const key of Object.keys(next.counts) as (keyof Counts)[]) if (implied[key] !== next.counts[key]) counts[key] = next.counts[key];
  if (Object.keys(counts).length > 0) merge.counts = counts;
  return Object.keys(merge).length > 0 ? merge : null;
}

export function diffView(prev: SittingView | undefined, next: SittingView): ViewPatch {
  const patch: ViewPatch = {};
  const set: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof SittingView)[]) {
    if (!APART.has(key) && (!prev || !same(prev[key], next[key]))) set[key] = next[key];
  }
  if (Object.keys(set).length > 0) patch.set = set;
  const unset = prev ? (Object.keys(prev) as OptionalViewField[]).filter((k) => !APART.has(k) && !(k in next)) : [];
  if (unset.length > 0) patch.unset = unset;
  if (prev?.headHash !== next.headHash) patch.hash = next.headHash === null ? null : hexToBase64url(next.headHash);
  const before = new Map(prev?.votes.map((v) => [v.id, v]));
  const votes: Record<string, VotePatch> = {};
  for (const vote of next.votes) {
    const changed = diffVote(before.get(vote.id), vote);
    if (changed) votes[vote.id] = changed;
  }
  if (Object.keys(votes).length > 0) patch.votes = votes;
  return patch;
}
