// A room's on-air state (which scene the overlay shows) for the console's on-air panel,
// followed over the public `/live` channel like the overlay itself follows it.
import { LiveFeed } from '../../../lib/LiveFeed.ts';
import type { RoomState } from '../../../../protocol/socket.ts';
import { CONSOLE_SOCKET_OPTIONS } from './ClerkLink.svelte.ts';

export class OnAirFeed {
  readonly #feed: LiveFeed;
  #room = $state.raw<RoomState | null>(null);

  constructor(room: string) {
    this.#feed = new LiveFeed({ room }, { socketOptions: CONSOLE_SOCKET_OPTIONS, onChange: (state) => (this.#room = state.room) });
  }

  get room(): RoomState | null {
    return this.#room;
  }

  close(): void {
    this.#feed.close();
  }
}
