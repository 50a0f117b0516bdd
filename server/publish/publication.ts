// What is published for a sitting, derived from its public view: the closed votes only (in the
// order they were held), whether the table is preliminary or final, the roster grouped for the
// members × votes matrix, and each corrected member's original choice. Pure; every published
// format (page, CSV, Popolo, notifications) is rendered from this one shape.
import type { MemberChoice } from '../../protocol/model.ts';
import { groupRoster, type RosterGroup } from '../../protocol/rosterGroups.ts';
import type { AgendaItemView, ClosedVoteView, CorrectionView, SittingView, VoteView } from '../../protocol/views.ts';

export type PublicationStatus = 'preliminary' | 'final';

export interface PublishedVote extends ClosedVoteView {
  /** Stable across formats: the motion's uid in the CSVs and the vote event's identifier in Popolo. */
  uid: string;
  /** Position among the sitting's published votes, from 1. */
  number: number;
  item: AgendaItemView | null;
  corrections: CorrectionView[];
  /** A closed vote has no pending members. */
  choices?: Record<string, MemberChoice>;
}


export interface Publication {
  sitting: SittingView;
  status: PublicationStatus;
  votes: PublishedVote[];
  groups: RosterGroup[];
}

export const motionUid = (sittingId: string, voteId: string): string => `${sittingId}/${voteId}`;

type ClosedVote = ClosedVoteView & { choices?: Record<string, MemberChoice> };

/** Closed votes only; their choices are final (`pending` exists only while a vote is open). */
function isPublished(vote: VoteView): vote is ClosedVote {
  return vote.status === 'closed';
}

export function publication(sitting: SittingView): Publication {
  const items = new Map(sitting.agenda.map((i) => [i.id, i]));
  const votes = sitting.votes.filter(isPublished).map((vote, i): PublishedVote => {
    // Belt and braces: a secret ballot is published from its totals alone, whatever the view holds.
    const { choices, corrections, ...rest } = vote;
    const secret = vote.ballot === 'secret';
    return {
      ...rest,
      ...(secret || !choices ? {} : { choices }),
      uid: motionUid(sitting.id, vote.id),
      number: i + 1,
      item: vote.itemId === null ? null : (items.get(vote.itemId) ?? null),
      corrections: secret ? [] : (corrections ?? []),
    };
  });
  // Only a council's head sits outside the seats and stands apart; a committee's chair stays in their faction.
  const { body, roster } = sitting;
  const groups = groupRoster(body, roster, body.kind === 'council' ? body.head : null);
  return { sitting, status: sitting.status === 'closed' ? 'final' : 'preliminary', votes, groups };
}

/** A member's choice as first recorded at the close, if it was corrected since. */
export function originalChoice(vote: PublishedVote, memberId: string): MemberChoice | undefined {
  return vote.corrections.find((c) => c.memberId === memberId)?.from;
}

/** Corrections after the close: of members' choices (roll-call) or of the totals (secret ballot). */
export const amendmentCount = (vote: PublishedVote): number => vote.corrections.length + (vote.tallyCorrections?.length ?? 0);

export const rollCall = (votes: PublishedVote[]): PublishedVote[] => votes.filter((v) => v.ballot === 'roll-call');
