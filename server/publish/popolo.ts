// The Popolo open standard (Event, VoteEvent, Vote, Count, Motion), as parliamentary-monitoring
// sites read it, plus the record's head hash. The sitting is a Popolo Event. Properties beyond
// Popolo are flagged as the spec's data patterns suggest, with a leading "+": `+ballot`, `+rule`,
// `+required`, `+composition`, `+amendments` (corrections after the close, the original option
// kept beside the corrected one), the motion's `+subject`, `+draft_number`, `+text_url`,
// `+agenda_item`, the sitting's `+corrections` (details, items, names, votes moved to another item) and a secret ballot's
// `+count_amendments`. Times are in the council's zone with their offset and whole seconds (the
// pattern Popolo's Event schema allows). Secret ballots carry counts and no votes.
import type { MemberChoice } from '../../protocol/model.ts';
import type { Totals } from '../../protocol/recordCorrections.ts';
import type { SittingView } from '../../protocol/views.ts';
import { localIso } from './localTime.ts';
import type { Publication, PublicationStatus, PublishedVote } from './publication.ts';

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
  /** The member's faction (Popolo's voter's party), resolvable in `organizations`. */
  party_id: string | null;
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
    /** The full motion: the item's title and the stage. */
    text: string;
    requirement: string;
    result: 'pass' | 'fail';
    date: string;
    '+subject': string;
    '+draft_number': string | null;
    '+text_url': string | null;
    '+agenda_item': { id: string; number: string; title: string } | null;
  };
  start_date: string;
  end_date: string;
  result: 'pass' | 'fail';
  counts: { option: PopoloOption; value: number }[];
  votes: PopoloVote[];
  '+ballot': 'roll-call' | 'secret';
  '+rule': string;
  '+required': number;
  '+composition': number;
  '+amendments': PopoloAmendment[];
  /** Secret ballots: corrections of the totals after the close (the only figures they have). */
  '+count_amendments': PopoloCountAmendment[];
}

export interface PopoloCountAmendment {
  from_counts: { option: PopoloOption; value: number }[];
  to_counts: { option: PopoloOption; value: number }[];
  reason: string;
  date: string;
}

/** A correction of the sitting's details, an agenda item's, a member's name or a vote's item (`field` as in the API). */
export interface PopoloRecordCorrection {
  target: 'sitting' | 'item' | 'member' | 'vote';
  id: string | null;
  field: string;
  from: string | null;
  to: string | null;
  reason: string;
  date: string;
}

/** The sitting as a Popolo Event; the vote events name it as their legislative session. */
export interface PopoloEvent {
  id: string;
  name: string;
  classification: 'sitting';
  organization_id: string;
  status: SittingView['status'];
  /** When it was opened (held), null while only scheduled. */
  start_date: string | null;
  end_date: string | null;
  '+scheduled_date': string;
  '+session': string | null;
  '+convocation': string | null;
  '+corrections': PopoloRecordCorrection[];
}

export interface PopoloDocument {
  sitting: PopoloEvent;
  publication: PublicationStatus;
  record: { seq: number; head_hash: string | null };
  organizations: { id: string; name: string; classification: string; parent_id: string | null }[];
  vote_events: PopoloVoteEvent[];
}

function voteEvent(pub: Publication, vote: PublishedVote, timeZone: string): PopoloVoteEvent {
  const { sitting } = pub;
  const at = (iso: string) => localIso(iso, timeZone);
  const names = new Map(sitting.roster.map((m) => [m.id, m]));
  const result = vote.result === 'adopted' ? 'pass' : 'fail';
  const id = vote.uid;
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
              party_id: member.faction,
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
      text: vote.title,
      requirement: vote.rule,
      result,
      date: at(vote.openedAt),
      '+subject': vote.subject,
      '+draft_number': vote.item?.draftNumber ?? null,
      '+text_url': vote.item?.documentUrl ?? null,
      '+agenda_item': vote.item ? { id: vote.item.id, number: vote.item.number, title: vote.item.title } : null,
    },
    start_date: at(vote.openedAt),
    end_date: at(vote.closedAt),
    result,
    counts: [
      { option: 'yes', value: vote.counts.for },
      { option: 'no', value: vote.counts.against },
      { option: 'abstain', value: vote.counts.abstain },
      { option: 'not voting', value: vote.counts.notVoting },
      { option: 'absent', value: vote.counts.absent },
    ],
    votes,
    '+ballot': vote.ballot,
    '+rule': vote.rule,
    '+required': vote.required,
    '+composition': vote.composition,
    '+amendments': vote.corrections.map((c) => ({
      voter_id: c.memberId,
      voter_name: names.get(c.memberId)?.name ?? c.memberId,
      from_option: popoloOption[c.from],
      to_option: popoloOption[c.to],
      reason: c.reason,
      date: at(c.at),
    })),
    '+count_amendments': (vote.tallyCorrections ?? []).map((c) => ({
      from_counts: totalCounts(c.from),
      to_counts: totalCounts(c.to),
      reason: c.reason,
      date: at(c.at),
    })),
  };
}

const totalCounts = (t: Totals): { option: PopoloOption; value: number }[] => [
  { option: 'yes', value: t.for },
  { option: 'no', value: t.against },
  { option: 'abstain', value: t.abstain },
];

export function popoloDocument(pub: Publication, { timeZone }: { timeZone: string }): PopoloDocument {
  const { sitting } = pub;
  const at = (iso: string | null) => (iso === null ? null : localIso(iso, timeZone));
  const used = new Set(sitting.roster.map((m) => m.faction));
  // A committee borrows the council's factions; only a council is their parent here.
  const parent = sitting.body.kind === 'council' ? sitting.body.id : null;
  return {
    sitting: {
      id: sitting.id,
      name: sitting.title,
      classification: 'sitting',
      organization_id: sitting.body.id,
      status: sitting.status,
      start_date: at(sitting.openedAt),
      end_date: at(sitting.closedAt),
      '+scheduled_date': localIso(sitting.scheduledAt, timeZone),
      '+session': sitting.session,
      '+convocation': sitting.body.convocation ?? null,
      '+corrections': (sitting.corrections ?? []).map(({ at: when, ...c }) => ({ ...c, date: localIso(when, timeZone) })),
    },
    publication: pub.status,
    record: { seq: sitting.seq, head_hash: sitting.headHash },
    organizations: [
      { id: sitting.body.id, name: sitting.body.name, classification: sitting.body.kind, parent_id: null },
      ...sitting.body.factions
        .filter((f) => used.has(f.id))
        .map((f) => ({ id: f.id, name: f.name, classification: 'faction', parent_id: parent })),
    ],
    vote_events: pub.votes.map((v) => voteEvent(pub, v, timeZone)),
  };
}
