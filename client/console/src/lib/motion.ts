// The stage list of the vote forms as the clerk uses it: one of the usual formulas, or "free"
// (the text alone is the formula). Turns the form's fields into the command's `stage` and
// `subject`, and tells when they are complete (an amendment needs its number, free text its text).
import type { Motion, Stage } from '../../../../protocol/voteTitle.ts';

export const FREE = 'free';
export type StageChoice = Stage | typeof FREE | '';

export function motionOf(stage: StageChoice, text: string): Motion {
  return { stage: stage === FREE || stage === '' ? null : stage, subject: text.trim() };
}

export const needsText = (stage: StageChoice): boolean => stage === FREE || stage === 'amendment';

export const motionComplete = (stage: StageChoice, text: string): boolean => stage !== '' && (!needsText(stage) || text.trim() !== '');

/** The form's fields for a recorded motion (to start a rename from the vote as it is). */
export function fieldsOf(motion: Motion): { stage: StageChoice; text: string } {
  return { stage: motion.stage ?? FREE, text: motion.subject };
}

/** The command fields: `stage` only when one was picked. */
export function motionFields(motion: Motion): { stage?: Stage; subject: string } {
  return motion.stage ? { stage: motion.stage, subject: motion.subject } : { subject: motion.subject };
}
