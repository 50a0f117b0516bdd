// The motion as a reader understands it alone: the agenda item's title and the stage put to
// the vote ("Про бюджет … — за основу"). Pure. The workflow engineer is splitting the vote's
// subject into item and stage in protocol/; this is to be replaced by that composing function.
import type { AgendaItem } from '../../protocol/model.ts';

export function motionTitle(item: Pick<AgendaItem, 'title'> | null, vote: { subject: string }): string {
  const subject = vote.subject.trim();
  if (!item) return subject;
  const title = item.title.trim();
  // A clerk who announced the item's title as the subject (or its start) adds no stage.
  if (subject === '' || subject === title || title.startsWith(subject)) return title;
  return `${title} — ${subject}`;
}
