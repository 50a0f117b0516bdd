// What a webhook receives when something is published: a JSON summary of the event (a vote
// closed, a vote corrected, the sitting closed and its table final, a correction of the record
// or of a secret ballot's totals), a ready-made sentence in
// Ukrainian and English for channels such as Telegram, and absolute links to every format.
// Pure: built from the committed log entry and the sitting's public view at that moment.
import type { LogEntry } from '../../protocol/answers.ts';
import type { MemberChoice } from '../../protocol/model.ts';
import { message, type Lang } from '../../protocol/messages.ts';
import { correctionSubject, totalsText } from '../../protocol/recordCorrections.ts';
import type { Counts, RecordCorrectionView, SittingView, TallyCorrectionView } from '../../protocol/views.ts';
import { oneOf } from '../../protocol/oneOf.ts';
import { choiceText, resultText } from './labels.ts';
import { publication, type PublicationStatus, type PublishedVote } from './publication.ts';
import { publicationPaths } from '../../protocol/publicationPaths.ts';

export const PUBLICATION_EVENTS = [
  'vote.closed',
  'vote.corrected',
  'sitting.closed',
  // — corrections —
  'tally.corrected',
  'sitting.corrected',
  'item.corrected',
  'member.corrected',
  'vote.moved',
] as const;
/** Corrections of the sitting's record (details, items, names, a vote's item): listed in the view's `corrections`. */
const RECORD_CORRECTIONS: readonly string[] = ['sitting.corrected', 'item.corrected', 'member.corrected', 'vote.moved'];
export type PublicationEvent = (typeof PUBLICATION_EVENTS)[number];

export const isPublicationEvent = (type: string): type is PublicationEvent => oneOf(PUBLICATION_EVENTS, type);

export interface NotificationVote {
  id: string;
  uid: string;
  number: number;
  subject: string;
  item: { id: string; number: string; title: string; draftNumber: string | null } | null;
  ballot: 'roll-call' | 'secret';
  rule: string;
  composition: number;
  required: number;
  counts: Counts;
  result: 'adopted' | 'rejected';
  closedAt: string;
}

export interface NotificationPayload {
  event: PublicationEvent;
  occurredAt: string;
  sitting: {
    id: string;
    title: string;
    body: { id: string; name: string };
    scheduledAt: string;
    status: SittingView['status'];
    publication: PublicationStatus;
    publishedVotes: number;
  };
  /** The record right after this event: its number and hash in the sitting's chain. */
  record: { seq: number; headHash: string };
  vote: NotificationVote | null;
  correction: { memberId: string; memberName: string; from: MemberChoice; to: MemberChoice; reason: string; at: string } | null;
  /** `tally.corrected`: the secret ballot's totals before and after. */
  tallyCorrection: TallyCorrectionView | null;
  /** `sitting.corrected`, `item.corrected`, `member.corrected`: one entry per corrected field. */
  recordCorrections: RecordCorrectionView[] | null;
  text: Record<Lang, string>;
  links: { page: string; pageEn: string; vote: string | null; motionsCsv: string; votingsCsv: string; votesJson: string; log: string };
}

export interface Notification {
  event: PublicationEvent;
  sittingId: string;
  seq: number;
  payload: NotificationPayload;
}

function voteSummary(v: PublishedVote): NotificationVote {
  return {
    id: v.id,
    uid: v.uid,
    number: v.number,
    subject: v.subject,
    item: v.item && { id: v.item.id, number: v.item.number, title: v.item.title, draftNumber: v.item.draftNumber },
    ballot: v.ballot,
    rule: v.rule,
    composition: v.composition,
    required: v.required,
    counts: v.counts,
    result: v.result,
    closedAt: v.closedAt,
  };
}

const both = (text: (lang: Lang) => string): Record<Lang, string> => ({ uk: text('uk'), en: text('en') });

/** The notifications caused by one commit to a sitting's stream (none for most events). */
export function notificationsFor(entries: LogEntry[], view: SittingView, baseUrl: string): Notification[] {
  const pub = publication(view);
  const paths = publicationPaths(view.id);
  const base = baseUrl.replace(/\/+$/, '');
  const abs = (path: string): string => `${base}${path}`;
  const out: Notification[] = [];
  for (const entry of entries) {
    const { event } = entry;
    if (!isPublicationEvent(event.type)) continue;
    const voteId = 'voteId' in event ? event.voteId : null;
    const vote = voteId === null ? undefined : pub.votes.find((v) => v.id === voteId);
    if (voteId !== null && !vote) continue;
    // The corrections this event made: the newest of the vote's, or of the member's choice.
    const lastTally = event.type === 'tally.corrected' ? vote?.tallyCorrections?.at(-1) : undefined;
    const lastChoice = event.type === 'vote.corrected' ? vote?.corrections.filter((x) => x.memberId === event.memberId).at(-1) : undefined;
    let correction: NotificationPayload['correction'] = null;
    let tallyCorrection: NotificationPayload['tallyCorrection'] = null;
    let recordCorrections: NotificationPayload['recordCorrections'] = null;
    let text: Record<Lang, string>;
    if (RECORD_CORRECTIONS.includes(event.type)) {
      // The view lists each corrected field stamped with its event's time.
      const rows = (view.corrections ?? []).filter((c) => c.at === entry.at);
      recordCorrections = rows;
      text = both((lang) =>
        message('publish.notify.recordCorrected', lang, {
          title: view.title,
          changes: rows.map((c) => `${correctionSubject(c, view, lang)}: «${c.from ?? ''}» → «${c.to ?? ''}»`).join('; '),
          reason: rows[0]?.reason ?? '',
        }),
      );
    } else if (lastTally && vote) {
      const c = lastTally;
      tallyCorrection = c;
      text = both((lang) =>
        message('publish.notify.tallyCorrected', lang, {
          subject: vote.subject,
          from: totalsText(c.from, lang),
          to: totalsText(c.to, lang),
          reason: c.reason,
          result: resultText(vote.result, lang),
        }),
      );
    } else if (lastChoice && vote) {
      const c = lastChoice;
      const memberName = view.roster.find((m) => m.id === c.memberId)?.name ?? c.memberId;
      correction = { memberId: c.memberId, memberName, from: c.from, to: c.to, reason: c.reason, at: c.at };
      text = both((lang) =>
        message('publish.notify.voteCorrected', lang, {
          member: memberName,
          subject: vote.subject,
          from: choiceText(c.from, lang),
          to: choiceText(c.to, lang),
          reason: c.reason,
          result: resultText(vote.result, lang),
        }),
      );
    } else if (vote) {
      text = both((lang) =>
        message('publish.notify.voteClosed', lang, { subject: vote.subject, result: resultText(vote.result, lang), ...vote.counts }),
      );
    } else {
      text = both((lang) => message('publish.notify.sittingClosed', lang, { title: view.title, votes: pub.votes.length }));
    }
    out.push({
      event: event.type,
      sittingId: view.id,
      seq: entry.seq,
      payload: {
        event: event.type,
        occurredAt: entry.at,
        sitting: {
          id: view.id,
          title: view.title,
          body: { id: view.body.id, name: view.body.name },
          scheduledAt: view.scheduledAt,
          status: view.status,
          publication: pub.status,
          publishedVotes: pub.votes.length,
        },
        record: { seq: entry.seq, headHash: entry.hash },
        vote: vote ? voteSummary(vote) : null,
        correction,
        tallyCorrection,
        recordCorrections,
        text,
        links: {
          page: abs(paths.page),
          pageEn: abs(`${paths.page}?lang=en`),
          vote: vote ? abs(`${paths.page}#vote-${vote.id}`) : null,
          motionsCsv: abs(paths.motionsCsv),
          votingsCsv: abs(paths.votingsCsv),
          votesJson: abs(paths.votesJson),
          log: abs(paths.log),
        },
      },
    });
  }
  return out;
}
