// The Ukrainian open-data structure "Поіменні результати голосування депутатів" (CMU resolution
// No. 835): the `motions` and `votings` tables — exact field names in the structure's order, the
// two fields regional portals add (`authorityCattutc`, `text`) last so readers of the 16 columns
// keep working, times in the council's zone with their offset, Ukrainian choice and result names.
// The structure has no field for amendments: corrected votes carry their corrected values.
// Written as CSV here (UTF-8 with a BOM) and as .xlsx in spreadsheet.ts, from the same rows.
import { stringify } from 'csv-stringify/sync';
import { choiceText, resultText } from './labels.ts';
import { localIso } from './localTime.ts';
import { rollCall, type Publication } from './publication.ts';

/** How a column's values are typed in a spreadsheet. */
export type ColumnType = 'text' | 'integer' | 'dateTime';

export const MOTION_COLUMNS = {
  uid: 'text',
  date: 'dateTime',
  authorityName: 'text',
  authorityId: 'text',
  convocation: 'text',
  legislativeSession: 'text',
  num: 'text',
  title: 'text',
  projectNum: 'text',
  votingFor: 'integer',
  votingAgainst: 'integer',
  votingAbstain: 'integer',
  notVoting: 'integer',
  absent: 'integer',
  votingResult: 'text',
  textUrl: 'text',
  // Not in the 16-column structure; regional portals' files carry them. Always last.
  authorityCattutc: 'text',
  text: 'text',
} as const satisfies Record<string, ColumnType>;

export const VOTING_COLUMNS = {
  motionUid: 'text',
  voterId: 'text',
  voterName: 'text',
  motionTitle: 'text',
  result: 'text',
} as const satisfies Record<string, ColumnType>;

/** A table's field names in column order, typed as its keys. */
const fieldsOf = <C extends Record<string, ColumnType>>(columns: C): (keyof C & string)[] =>
  Object.keys(columns).filter((key): key is keyof C & string => key in columns);
export const MOTION_FIELDS = fieldsOf(MOTION_COLUMNS);
export const VOTING_FIELDS = fieldsOf(VOTING_COLUMNS);

type Row<C extends Record<string, ColumnType>> = { [K in keyof C]: C[K] extends 'integer' ? number : string };
export type MotionRow = Row<typeof MOTION_COLUMNS>;
export type VotingRow = Row<typeof VOTING_COLUMNS>;

export interface OpenDataOptions {
  /** The council's IANA time zone: times are written in it, with their offset. */
  timeZone: string;
}

/** One row per published vote, secret ballots included (their totals are public). */
export function motionRows(pub: Publication, { timeZone }: OpenDataOptions): MotionRow[] {
  const { sitting } = pub;
  const { body } = sitting;
  return pub.votes.map((vote) => ({
    uid: vote.uid,
    // When the vote closed: the day the sitting was held, and the moment on it.
    date: localIso(vote.closedAt, timeZone),
    authorityName: body.name,
    authorityId: body.authorityId ?? '',
    convocation: body.convocation ?? '',
    legislativeSession: sitting.session ?? '',
    num: vote.item?.number ?? '',
    title: vote.title,
    projectNum: vote.item?.draftNumber ?? '',
    votingFor: vote.counts.for,
    votingAgainst: vote.counts.against,
    votingAbstain: vote.counts.abstain,
    notVoting: vote.counts.notVoting,
    absent: vote.counts.absent,
    votingResult: resultText(vote.result, 'uk'),
    textUrl: vote.item?.documentUrl ?? '',
    authorityCattutc: body.katottg ?? '',
    // What was put to the vote, word for word as the clerk announced it.
    text: vote.subject,
  }));
}

/** One row per member of the composition per roll-call vote, in roster order; none for secret ballots. */
export function votingRows(pub: Publication): VotingRow[] {
  const rows: VotingRow[] = [];
  for (const vote of rollCall(pub.votes)) {
    const choices = vote.choices ?? {};
    const title = vote.title;
    for (const member of pub.sitting.roster) {
      const choice = choices[member.id];
      if (choice === undefined) continue;
      rows.push({ motionUid: vote.uid, voterId: member.id, voterName: member.name, motionTitle: title, result: choiceText(choice, 'uk') });
    }
  }
  return rows;
}

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab or CR, as
 * OWASP lists them) gets a leading apostrophe, so `=HYPERLINK(…)` in a subject stays text.
 * Only the CSVs need it: the page, Popolo and the .xlsx (typed string cells) keep the text as is.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** A CSV file of the structure: header row, BOM, CRLF; also used for the yearly files (server/archive/openDataSets.ts). */
export function csv<C extends Record<string, ColumnType>>(columns: C, rows: Row<C>[]): string {
  return stringify(rows, {
    bom: true,
    header: true,
    columns: Object.keys(columns),
    record_delimiter: 'windows',
    cast: { string: neutraliseFormula },
  });
}

export const motionsCsv = (pub: Publication, opts: OpenDataOptions): string => csv(MOTION_COLUMNS, motionRows(pub, opts));
export const votingsCsv = (pub: Publication): string => csv(VOTING_COLUMNS, votingRows(pub));
