// The catalogue's names for what a published vote is made of: choices, results, rules and
// ballots, in Ukrainian or English. The open-data CSVs always use the Ukrainian names.
import type { Ballot, MemberChoice, Rule } from '../../protocol/model.ts';
import { message, type Lang } from '../../protocol/messages.ts';
import type { RosterGroup } from '../../protocol/rosterGroups.ts';

export type VoteResult = 'adopted' | 'rejected';

export const choiceText = (choice: MemberChoice, lang: Lang): string => message(`publish.choice.${choice}`, lang);
export const resultText = (result: VoteResult, lang: Lang): string => message(`publish.result.${result}`, lang);
export const ruleText = (rule: Rule, lang: Lang): string => message(`publish.rule.${rule}`, lang);
export const ballotText = (ballot: Ballot, lang: Lang): string => message(`publish.ballot.${ballot}`, lang);

/** A faction row's heading: the head of the council, a faction's name, or the non-affiliated. */
export function groupName(group: RosterGroup, lang: Lang): string {
  if (group.kind === 'head') return message('publish.page.headGroup', lang);
  if (group.kind === 'none') return message('publish.page.noFaction', lang);
  return group.name ?? '';
}
