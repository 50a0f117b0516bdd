// A sitting's votes as a resident follows them: finding a member by name in the per-member
// list, and what is worth announcing to a screen reader when the shown state
// moves on (a vote opens or closes, the next item is taken up, the sitting ends).
import type { SiteMessageKey } from '../../../protocol/messages/site.ts';
import type { RollGroup } from '../../../protocol/onAirScene.ts';
import { currentItem } from '../../../protocol/viewQueries.ts';
import type { SittingView, VoteView } from '../../../protocol/views.ts';

/** Lower case, one kind of apostrophe, single spaces: "Мар’яна" finds "Марʼяна". */
export function normalizeName(text: string): string {
  return text.toLocaleLowerCase('uk').replace(/[ʼ’‘'`]/g, "'").replace(/\s+/g, ' ').trim();
}

/** The groups with only the members whose name contains `query`; empty groups are left out. */
export function filterGroups(groups: readonly RollGroup[], query: string): RollGroup[] {
  const q = normalizeName(query);
  if (q === '') return [...groups];
  return groups
    .map((g) => ({ ...g, members: g.members.filter((m) => normalizeName(m.name).includes(q)) }))
    .filter((g) => g.members.length > 0);
}

export interface Announcement {
  key: SiteMessageKey;
  params: Record<string, string | number>;
}

function voteClosed(vote: VoteView): Announcement {
  return {
    key: vote.result === 'adopted' ? 'site.announce.adopted' : 'site.announce.rejected',
    params: { subject: vote.title, ...vote.counts, required: vote.required },
  };
}

/** What changed between two shown states of the same sitting, in the order it happened. */
export function announcements(before: SittingView | null, after: SittingView | null): Announcement[] {
  if (!before || !after || before.id !== after.id) return [];
  const said: Announcement[] = [];
  if (after.currentItemId !== null && after.currentItemId !== before.currentItemId) {
    const item = currentItem(after);
    if (item) said.push({ key: 'site.announce.item', params: { number: item.number, title: item.title } });
  }
  for (const vote of after.votes) {
    const old = before.votes.find((v) => v.id === vote.id);
    if (!old && vote.status === 'open') said.push({ key: 'site.announce.voteOpened', params: { subject: vote.title, required: vote.required } });
    if (vote.status === 'closed' && old?.status !== 'closed') said.push(voteClosed(vote));
  }
  if (after.status === 'closed' && before.status !== 'closed') said.push({ key: 'site.announce.sittingClosed', params: { title: after.title } });
  return said;
}
