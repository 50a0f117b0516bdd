// The Popolo open standard (VoteEvent, Vote, Count, Motion), as parliamentary-monitoring sites
// read it, plus the record's head hash. Extensions beyond Popolo are snake_case like the rest:
// `ballot`, `rule`, `required`, `composition` and `amendments` (corrections after the close, the
// original option kept beside the corrected one). Secret ballots carry counts and no votes.
import type { MemberChoice } from '../../protocol/model.ts';
import { motionUid, type Publication, type PublicationStatus, type PublishedVote } from './publication.ts';

export const POPOLO_OPTIONS = ['yes', 'no', 'abstain', 'not voting', 'absent'] as const;
export type PopoloOption = (typeof POPOLO_OPTIONS)[number];

export const popoloOption: Record<MemberChoice, PopoloOption> = {
  for: 'yes',
  against: 'no',
  abstain: 'abstain',
  'not-voting': 'not voting',
  absent: 'absent',
};

export interface PopoloVote {
  vote_event_id: string;
  voter_id: string;
  voter: { id: string; name: string };
  option: PopoloOption;
  group_id: string | null;
}

export interface PopoloAmendment {
  voter_id: string;
  voter_name: string;
  from_option: PopoloOption;
  to_option: PopoloOption;
  reason: string;
  date: string;
}

export interface PopoloVoteEvent {
  id: string;
  identifier: string;
  organization_id: string;
  legislative_session_id: string;
  motion: {
    id: string;
    organization_id: string;
    legislative_session_id: string;
    text: string;
    identifier: string | null;
    requirement: string;
    result: 'pass' | 'fail';
    date: string;
    agenda_item: { id: string; number: string; title: string } | null;
  };
  start_date: string;
  end_date: string;
  result: 'pass' | 'fail';
  ballot: 'roll-call' | 'secret';
  rule: string;
  required: number;
  composition: number;
  counts: { option: PopoloOption; value: number }[];
  votes: PopoloVote[];
  amendments: PopoloAmendment[];
}

export interface PopoloDocument {
  sitting: {
    id: string;
    title: string;
    organization_id: string;
    scheduled_at: string;
    start_date: string | null;
    end_date: string | null;
  };
  publication: PublicationStatus;
  record: { seq: number; head_hash: string | null };
  organizations: { id: string; name: string; classification: string; parent_id: string | null }[];
  vote_events: PopoloVoteEvent[];
}

function voteEvent(pub: Publication, vote: PublishedVote): PopoloVoteEvent {
  const { sitting } = pub;
  const names = new Map(sitting.roster.map((m) => [m.id, m]));
  const result = vote.result === 'adopted' ? 'pass' : 'fail';
  const id = motionUid(sitting.id, vote.id);
  const votes: PopoloVote[] =
    vote.ballot === 'roll-call'
      ? sitting.roster.flatMap((member) => {
          const choice = vote.choices?.[member.id];
          if (choice === undefined) return [];
          return [
            {
              vote_event_id: id,
              voter_id: member.id,
              voter: { id: member.id, name: member.name },
              option: popoloOption[choice],
              group_id: member.faction,
            },
          ];
        })
      : [];
  return {
    id,
    identifier: vote.uid,
    organization_id: sitting.body.id,
    legislative_session_id: sitting.id,
    motion: {
      id,
      organization_id: sitting.body.id,
      legislative_session_id: sitting.id,
      text: vote.subject,
      identifier: vote.item?.draftNumber ?? null,
      requirement: vote.rule,
      result,
      date: vote.openedAt,
      agenda_item: vote.item ? { id: vote.item.id, number: vote.item.number, title: vote.item.title } : null,
    },
    start_date: vote.openedAt,
    end_date: vote.closedAt,
    result,
    ballot: vote.ballot,
    rule: vote.rule,
    required: vote.required,
    composition: vote.composition,
    counts: [
      { option: 'yes', value: vote.counts.for },
      { option: 'no', value: vote.counts.against },
      { option: 'abstain', value: vote.counts.abstain },
      { option: 'not voting', value: vote.counts.notVoting },
      { option: 'absent', value: vote.counts.absent },
    ],
    votes,
    amendments: vote.corrections.map((c) => ({
      voter_id: c.memberId,
      voter_name: names.get(c.memberId)?.name ?? c.memberId,
      from_option: popoloOption[c.from],
      to_option: popoloOption[c.to],
      reason: c.reason,
      date: c.at,
    })),
  };
}

export function popoloDocument(pub: Publication): PopoloDocument {
  const { sitting } = pub;
  const used = new Set(sitting.roster.map((m) => m.faction));
  // A committee borrows the council's factions; only a council is their parent here.
  const parent = sitting.body.kind === 'council' ? sitting.body.id : null;
  return {
    sitting: {
      id: sitting.id,
      title: sitting.title,
      organization_id: sitting.body.id,
      scheduled_at: sitting.scheduledAt,
      start_date: sitting.openedAt,
      end_date: sitting.closedAt,
    },
    publication: pub.status,
    record: { seq: sitting.seq, head_hash: sitting.headHash },
    organizations: [
      { id: sitting.body.id, name: sitting.body.name, classification: sitting.body.kind, parent_id: null },
      ...sitting.body.factions
        .filter((f) => used.has(f.id))
        .map((f) => ({ id: f.id, name: f.name, classification: 'faction', parent_id: parent })),
    ],
    vote_events: pub.votes.map((v) => voteEvent(pub, v)),
  };
}
