// The public projection of a sitting (protocol/views.ts). Pure: the store passes in the head
// of the log. Secret ballots are projected from totals alone.
import type { SittingHeader, SittingSummary, SittingView, VoteView } from '../../protocol/views.ts';
import { quorum, totalComposition } from './rules.ts';
import type { SittingState, VoteState } from './state.ts';
import { rollCallOutcome, secretOutcome } from './tally.ts';

function voteView(sitting: SittingState, vote: VoteState): VoteView {
  const base = {
    id: vote.id,
    itemId: vote.itemId,
    subject: vote.subject,
    rule: vote.rule,
    ballot: vote.ballot,
    openedAt: vote.openedAt,
    forced: vote.forced,
  };
  if (vote.status === 'open') {
    // While open, counts follow attendance.
    const live =
      vote.ballot === 'roll-call'
        ? rollCallOutcome(sitting.roster, sitting.present, vote.rule, vote.casts)
        : secretOutcome(sitting.roster, sitting.present, vote.rule, vote.tally);
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
    counts: outcome.counts,
    result: outcome.result,
    ...(vote.ballot === 'roll-call'
      ? {
          choices: outcome.choices ?? {},
          corrections: vote.corrections.map(({ actor: _actor, ...c }) => c),
        }
      : {}),
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
    openedAt: sitting.status === 'scheduled' ? null : sitting.openedAt,
    closedAt: sitting.status === 'closed' ? sitting.closedAt : null,
    seq,
  };
}

export function sittingView(sitting: SittingState, seq: number, headHash: string | null): SittingView {
  const { roster } = sitting;
  return {
    ...sittingHeader(sitting, seq),
    headHash,
    body: {
      id: sitting.bodyId,
      kind: roster.kind,
      name: roster.name,
      seats: roster.seats,
      head: roster.head,
      factions: roster.factions,
    },
    roster: roster.members,
    agenda: sitting.agenda,
    currentItemId: sitting.agenda.find((i) => i.status === 'current')?.id ?? null,
    attendance: { present: roster.members.filter((m) => sitting.present.has(m.id)).map((m) => m.id) },
    quorum: quorum(roster, sitting.present),
    composition: totalComposition(roster, sitting.present),
    votes: sitting.votes.map((v) => voteView(sitting, v)),
  };
}

export function sittingSummary(sitting: SittingState, seq: number): SittingSummary {
  return { ...sittingHeader(sitting, seq), votes: sitting.votes.length };
}
