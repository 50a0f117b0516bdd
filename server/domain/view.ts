// The public projection of a sitting (protocol/views.ts). Pure: the store passes in the head
// of the log. Secret ballots are projected from totals alone.
import type { SittingHeader, SittingSummary, SittingView, VoteView } from '../../protocol/views.ts';
import { motionText, voteTitle, type Motion } from '../../protocol/voteTitle.ts';
import { quorum, totalComposition } from './rules.ts';
import { currentItem, type SittingState, type VoteState } from './state.ts';
import { liveRollCall, liveSecret } from './tally.ts';

// A closed vote's view depends on the vote alone, the body's on the roster alone, and the state
// keeps both objects while they are unchanged: the same object then gives the same view object,
// so the live channel's diff settles them by identity instead of comparing them as text.
const closedVoteViews = new WeakMap<VoteState, VoteView>();
const bodyViews = new WeakMap<SittingState['roster'], SittingView['body']>();

function voteView(sitting: SittingState, vote: VoteState): VoteView {
  if (vote.status === 'closed') {
    let view = closedVoteViews.get(vote);
    if (!view) closedVoteViews.set(vote, (view = projectVote(sitting, vote)));
    return view;
  }
  return projectVote(sitting, vote);
}

function projectVote(sitting: SittingState, vote: VoteState): VoteView {
  const itemTitle = vote.itemId === null ? null : (sitting.agenda.find((i) => i.id === vote.itemId)?.title ?? null);
  const titleOf = (motion: Motion) => voteTitle(itemTitle, motion);
  const base = {
    id: vote.id,
    itemId: vote.itemId,
    subject: motionText(vote.motion),
    stage: vote.motion.stage,
    title: titleOf(vote.motion),
    rule: vote.rule,
    ballot: vote.ballot,
    openedAt: vote.openedAt,
    forced: vote.forced,
    ...(vote.renames.length > 0
      ? { renames: vote.renames.map((r) => ({ from: titleOf(r.from), to: titleOf(r.to), reason: r.reason, at: r.at })) }
      : {}),
  };
  if (vote.status === 'open') {
    // While open, counts follow attendance, and what is not entered yet is pending.
    const live =
      vote.ballot === 'roll-call'
        ? liveRollCall(sitting.roster, sitting.present, vote.rule, vote.casts)
        : liveSecret(sitting.roster, sitting.present, vote.rule, vote.tally);
    return {
      ...base,
      status: 'open',
      closedAt: null,
      composition: live.composition,
      required: live.required,
      counts: live.counts,
      result: null,
      ...(live.choices ? { choices: live.choices } : {}),
    };
  }
  const { outcome } = vote;
  return {
    ...base,
    status: 'closed',
    closedAt: vote.closedAt,
    composition: outcome.composition,
    required: outcome.required,
    counts: { ...outcome.counts, pending: 0 },
    result: outcome.result,
    ...(vote.ballot === 'roll-call'
      ? {
          choices: outcome.choices ?? {},
          corrections: vote.corrections.map(({ actor: _actor, ...c }) => c),
        }
      : {}),
    ...(vote.tallyCorrections ? { tallyCorrections: vote.tallyCorrections.map(({ actor: _actor, ...c }) => c) } : {}),
  };
}

function sittingHeader(sitting: SittingState, seq: number): SittingHeader {
  return {
    id: sitting.id,
    bodyId: sitting.bodyId,
    title: sitting.title,
    room: sitting.room,
    scheduledAt: sitting.scheduledAt,
    status: sitting.status,
    openedAt: sitting.status === 'live' || sitting.status === 'closed' ? sitting.openedAt : null,
    closedAt: sitting.status === 'closed' ? sitting.closedAt : null,
    seq,
    ...(sitting.status === 'cancelled' ? { cancelled: { at: sitting.cancelledAt, reason: sitting.cancelReason } } : {}),
  };
}

function bodyView(sitting: SittingState): SittingView['body'] {
  const { roster } = sitting;
  let body = bodyViews.get(roster);
  if (!body) {
    body = {
      id: sitting.bodyId,
      kind: roster.kind,
      name: roster.name,
      seats: roster.seats,
      head: roster.head,
      factions: roster.factions,
      convocation: roster.convocation ?? null,
      authorityId: roster.authorityId ?? null,
      katottg: roster.katottg ?? null,
    };
    bodyViews.set(roster, body);
  }
  return body;
}

export function sittingView(sitting: SittingState, seq: number, headHash: string | null): SittingView {
  const { roster } = sitting;
  return {
    ...sittingHeader(sitting, seq),
    session: sitting.session ?? null,
    headHash,
    body: bodyView(sitting),
    roster: roster.members,
    agenda: sitting.agenda,
    agendaHistory: sitting.agendaHistory,
    currentItemId: currentItem(sitting)?.id ?? null,
    attendance: { present: roster.members.filter((m) => sitting.present.has(m.id)).map((m) => m.id) },
    quorum: quorum(roster, sitting.present),
    composition: totalComposition(roster, sitting.present),
    votes: sitting.votes.map((v) => voteView(sitting, v)),
    ...(sitting.corrections ? { corrections: sitting.corrections.map(({ actor: _actor, ...c }) => c) } : {}),
  };
}

export function sittingSummary(sitting: SittingState, seq: number): SittingSummary {
  return { ...sittingHeader(sitting, seq), votes: sitting.votes.length };
}
