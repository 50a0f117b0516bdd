// Voting rules as people write them in an imported agenda ("2/3", "більшість присутніх") and
// as the protocol names them.
import { RULES, type Rule } from '../../../../protocol/model.ts';
import { oneOf } from '../../../../protocol/oneOf.ts';

const ALIASES: Record<string, Rule> = {
  '': 'majority-of-composition',
  '1/2': 'majority-of-composition',
  'більшість': 'majority-of-composition',
  'більшість від складу': 'majority-of-composition',
  'більшість від загального складу': 'majority-of-composition',
  majority: 'majority-of-composition',
  '2/3': 'two-thirds-of-composition',
  'дві третини': 'two-thirds-of-composition',
  'дві третини від складу': 'two-thirds-of-composition',
  'two-thirds': 'two-thirds-of-composition',
  'присутні': 'majority-of-present',
  'присутніх': 'majority-of-present',
  'більшість присутніх': 'majority-of-present',
  'більшість від присутніх': 'majority-of-present',
  present: 'majority-of-present',
};

/** The rule a cell or tag names, or undefined when it names none. */
export function ruleFrom(text: string): Rule | undefined {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return oneOf(RULES, key) ? key : ALIASES[key];
}
