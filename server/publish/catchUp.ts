// The notifications of a sitting's publication events after a checkpoint, rebuilt from the log
// alone: the sitting's events are folded again (the domain's own `evolve`) and each publication
// event is described with the sitting as it was right after it, exactly as it would have been
// sent at the time. Pure; used when notifications were not queued (a crash or a failure between
// the commit and the queue).
import type { LogEntry } from '../../protocol/answers.ts';
import { evolve } from '../domain/evolve.ts';
import { initialWorld, type World } from '../domain/state.ts';
import { sittingView } from '../domain/view.ts';
import { isPublicationEvent, notificationsFor, type Notification } from './notification.ts';

export function notificationsAfter(sittingId: string, log: LogEntry[], checkpoint: number, baseUrl: string): Notification[] {
  let world: World = initialWorld();
  const out: Notification[] = [];
  for (const entry of log) {
    world = evolve(world, entry);
    if (entry.seq <= checkpoint || !isPublicationEvent(entry.event.type)) continue;
    const state = world.sittings.get(sittingId);
    if (state) out.push(...notificationsFor([entry], sittingView(state, entry.seq, entry.hash), baseUrl));
  }
  return out;
}
