// Corrections of slips that reached the record (see docs/api.md, "Corrections"): which details
// of a sitting and of an agenda item can be corrected after the sitting opened, and the secret
// ballot's totals. Shared by the commands, the events, the views and what renders them.
import type { Lang } from './messages/lookup.ts';
import { sharedMessage as message } from './messages/shared.ts';
import type { RecordCorrectionView, SittingView } from './views.ts';

/** A sitting's details a correction may change once it opened (its room is where it was held). */
export const SITTING_DETAILS = ['title', 'session', 'scheduledAt'] as const satisfies readonly (keyof SittingDetails)[];
export type SittingDetail = (typeof SITTING_DETAILS)[number];

/** An agenda item's details a correction may change (its rule is fixed in its votes' outcomes). */
export const ITEM_DETAILS = ['number', 'title', 'draftNumber', 'rapporteur', 'documentUrl'] as const satisfies readonly (keyof ItemDetails)[];
export type ItemDetail = (typeof ITEM_DETAILS)[number];

export interface SittingDetails {
  title: string;
  /** Сесія, e.g. "67 сесія". */
  session: string | null;
  scheduledAt: string;
}

export interface ItemDetails {
  number: string;
  title: string;
  draftNumber: string | null;
  rapporteur: string | null;
  documentUrl: string | null;
}

/** A secret ballot's totals, the only figures it has. */
export interface Totals {
  for: number;
  against: number;
  abstain: number;
}

/** The fields of `to` whose values differ from `current`, with both values; empty when nothing changes. */
export function changedDetails<T extends Record<string, string | null>>(
  fields: readonly (keyof T)[],
  current: T,
  to: { [K in keyof T]?: T[K] | undefined },
): { from: Partial<T>; to: Partial<T> } {
  const from: Partial<T> = {};
  const next: Partial<T> = {};
  for (const field of fields) {
    const value = to[field];
    if (value === undefined || value === current[field]) continue;
    from[field] = current[field];
    next[field] = value;
  }
  return { from, to: next };
}

/** What a correction changed, as a reader names it: "Назва питання (питання 2)", "Назва засідання". */
export function correctionSubject(c: RecordCorrectionView, sitting: Pick<SittingView, 'agenda' | 'votes'>, lang: Lang): string {
  switch (c.target) {
    case 'sitting':
      return message(`correction.sitting.${c.field}`, lang);
    case 'member':
      return message('correction.member.name', lang);
    case 'item': {
      const number = sitting.agenda.find((i) => i.id === c.id)?.number ?? c.id;
      return `${message(`correction.item.${c.field}`, lang)} (${message('correction.ofItem', lang, { number })})`;
    }
    case 'vote': {
      const title = sitting.votes.find((v) => v.id === c.id)?.title ?? c.id;
      return `${message('correction.vote.item', lang)} (${message('correction.ofVote', lang, { title })})`;
    }
  }
}

/** A secret ballot's totals in words: "за 25, проти 3, утрималися 2". */
export const totalsText = (t: Totals, lang: Lang): string => message('correction.totals', lang, { ...t });
