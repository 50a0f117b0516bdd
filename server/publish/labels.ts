// The catalogue's names for what a published vote is made of: choices, results, rules and
// ballots, in Ukrainian or English. The open-data CSVs always use the Ukrainian names.
import type { Ballot, MemberChoice, Rule } from '../../protocol/model.ts';
import { message, type Lang } from '../../protocol/messages.ts';

export type VoteResult = 'adopted' | 'rejected';

export const choiceText = (choice: MemberChoice, lang: Lang): string => message(`publish.choice.${choice}`, lang);
export const resultText = (result: VoteResult, lang: Lang): string => message(`publish.result.${result}`, lang);
export const ruleText = (rule: Rule, lang: Lang): string => message(`publish.rule.${rule}`, lang);
export const ballotText = (ballot: Ballot, lang: Lang): string => message(`publish.ballot.${ballot}`, lang);
