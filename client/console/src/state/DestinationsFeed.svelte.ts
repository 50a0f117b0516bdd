// One room's restream destinations with their relay status, for the console: read once over
// HTTP, then kept current by the pushes of the /clerk channel.
import type { ErrorBody } from '../../../../protocol/errors.ts';
import type { DestinationView } from '../../../../protocol/restream.ts';
import { http } from '../lib/http.ts';
import type { ClerkLink } from './ClerkLink.svelte.ts';

export class DestinationsFeed {
  readonly room: string;
  #list = $state.raw<DestinationView[] | null>(null);
  #error = $state.raw<ErrorBody | null | undefined>(undefined);
  /** A push is newer than any read still under way. */
  #pushed = false;
  readonly #off: () => void;

  constructor(link: ClerkLink, room: string) {
    this.room = room;
    this.#off = link.onDestinations((pushed) => {
      if (pushed.room !== room) return;
      this.#pushed = true;
      this.#list = pushed.destinations;
    });
    void this.reload();
  }

  /** null until the first answer. */
  get list(): DestinationView[] | null {
    return this.#list;
  }

  get error(): ErrorBody | null | undefined {
    return this.#error;
  }

  async reload(): Promise<void> {
    this.#pushed = false;
    const answer = await http<DestinationView[]>('GET', `/api/rooms/${encodeURIComponent(this.room)}/destinations`);
    if (!answer.ok) {
      this.#error = answer.error;
      return;
    }
    this.#error = undefined;
    if (!this.#pushed) this.#list = answer.data;
  }

  close(): void {
    this.#off();
  }
}
