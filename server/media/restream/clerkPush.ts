// The consoles learn each room's destinations and their relay status over `/clerk`, as they
// learn the ingest status: every room when a console connects, then each change.
import { CLERK_NAMESPACE } from '../../../protocol/socket.ts';
import type { Realtime } from '../../realtime/Realtime.ts';
import type { RestreamService } from './RestreamService.ts';

export function pushDestinations(realtime: Realtime, restream: RestreamService): void {
  const clerk = realtime.io.of(CLERK_NAMESPACE);
  clerk.on('connection', (socket) => {
    for (const room of restream.all()) socket.emit('destinations', room);
  });
  restream.on('destinations', (room) => clerk.emit('destinations', room));
}
