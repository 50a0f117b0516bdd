// How a vote is named. The clerk never types the item's title: a vote is on an agenda item
// (chosen, shown) and at a stage picked from the usual formulas (за основу, в цілому, …) or
// given as free text. The published title — on air, in the table, the CSVs and Popolo — is
// composed from the two by `voteTitle`, the one place that does it.
import { z } from 'zod';
import type { Lang } from './messages/lookup.ts';
import { sharedMessage as message } from './messages/shared.ts';

export const STAGES = ['basis', 'whole', 'basis-and-whole', 'amendment', 'from-floor', 'procedural'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** What a vote is about besides its item: a stage and/or free text (for an amendment, its number). */
export interface Motion {
  stage: Stage | null;
  /** Free text; '' when the stage says it all. */
  subject: string;
}

/** The formula alone: "за основу", "поправка № 3", "процедурне: про перерву", or the free text. */
export function motionText(motion: Motion, lang: Lang = 'uk'): string {
  const { stage, subject } = motion;
  if (stage === null) return subject;
  if (stage === 'amendment') return message('vote.stage.amendmentNumber', lang, { number: subject });
  const label = message(`vote.stage.${stage}`, lang);
  return subject === '' ? label : `${label}: ${subject}`;
}

const capitalised = (text: string): string => text.charAt(0).toLocaleUpperCase('uk-UA') + text.slice(1);

/**
 * The published title of a vote: "<item title> — <formula>"; the formula alone (capitalised)
 * for a vote on no item. A formula that already begins with the item's title (a subject written
 * out in full, as before stages existed) is kept as it is rather than naming the item twice.
 */
export function voteTitle(itemTitle: string | null, motion: Motion, lang: Lang = 'uk'): string {
  const formula = motionText(motion, lang).trim();
  if (itemTitle === null || itemTitle.trim() === '') return capitalised(formula);
  const item = itemTitle.trim();
  // A subject that repeats the item's title (or its beginning) adds no stage.
  if (formula === '' || item.startsWith(formula)) return item;
  if (formula.startsWith(item)) return formula;
  return `${item} — ${formula}`;
}
