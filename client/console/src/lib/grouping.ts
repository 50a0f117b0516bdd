// What the console calls a group of the roster (protocol/rosterGroups.ts groups it).
import type { RosterGroup } from '../../../../protocol/rosterGroups.ts';
import type { I18n } from '../state/I18n.svelte.ts';

export function groupName(group: RosterGroup<unknown>, i18n: I18n): string {
  if (group.kind === 'head') return i18n.t('console.attendance.head');
  if (group.kind === 'none') return i18n.t('publish.page.noFaction');
  return group.name ?? '';
}
