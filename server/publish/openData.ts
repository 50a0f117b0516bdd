// The Ukrainian open-data structure "Поіменні результати голосування депутатів" (CMU resolution
// No. 835): the `motions` and `votings` tables as CSV — exact field names, UTF-8 with a BOM (so
// spreadsheet programs read Cyrillic right), ISO 8601 dates, Ukrainian choice and result names.
// The structure has no field for amendments: corrected votes carry their corrected values.
import { stringify } from 'csv-stringify/sync';
import { choiceText, resultText } from './labels.ts';
import { rollCall, type Publication } from './publication.ts';

export const MOTION_FIELDS = [
  'uid',
  'date',
  'authorityName',
  'authorityId',
  'convocation',
  'legislativeSession',
  'num',
  'title',
  'projectNum',
  'votingFor',
  'votingAgainst',
  'votingAbstain',
  'notVoting',
  'absent',
  'votingResult',
  'textUrl',
] as const;

export const VOTING_FIELDS = ['motionUid', 'voterId', 'voterName', 'motionTitle', 'result'] as const;

type Row<F extends readonly string[]> = Record<F[number], string | number>;
export type MotionRow = Row<typeof MOTION_FIELDS>;
export type VotingRow = Row<typeof VOTING_FIELDS>;

/** One row per published vote, secret ballots included (their totals are public). */
export function motionRows(pub: Publication): MotionRow[] {
  const { sitting } = pub;
  return pub.votes.map((vote) => ({
    uid: vote.uid,
    date: vote.closedAt,
    authorityName: sitting.body.name,
    authorityId: sitting.body.id,
    // The record knows neither the convocation nor the session number: left empty, never guessed.
    convocation: '',
    legislativeSession: '',
    num: vote.item?.number ?? '',
    title: vote.subject,
    projectNum: vote.item?.draftNumber ?? '',
    votingFor: vote.counts.for,
    votingAgainst: vote.counts.against,
    votingAbstain: vote.counts.abstain,
    notVoting: vote.counts.notVoting,
    absent: vote.counts.absent,
    votingResult: resultText(vote.result, 'uk'),
    textUrl: '',
  }));
}

/** One row per member of the composition per roll-call vote, in roster order; none for secret ballots. */
export function votingRows(pub: Publication): VotingRow[] {
  const rows: VotingRow[] = [];
  for (const vote of rollCall(pub.votes)) {
    const choices = vote.choices ?? {};
    for (const member of pub.sitting.roster) {
      const choice = choices[member.id];
      if (choice === undefined) continue;
      rows.push({
        motionUid: vote.uid,
        voterId: member.id,
        voterName: member.name,
        motionTitle: vote.subject,
        result: choiceText(choice, 'uk'),
      });
    }
  }
  return rows;
}

/** A CSV file of the structure: header row, BOM, CRLF; also used for the yearly files (server/archive/openDataSets.ts). */
export function csv<F extends readonly string[]>(fields: F, rows: Row<F>[]): string {
  return stringify(rows, { bom: true, header: true, columns: [...fields], record_delimiter: 'windows' });
}

export const motionsCsv = (pub: Publication): string => csv(MOTION_FIELDS, motionRows(pub));
export const votingsCsv = (pub: Publication): string => csv(VOTING_FIELDS, votingRows(pub));
