// What the console lists: bodies (with rosters), rooms and sittings, from the public API.
// Reloaded after this console creates or changes one of them.
import { getContext, setContext } from 'svelte';
import type { ErrorBody } from '../../../../protocol/errors.ts';
import type { BodyView, RoomView, SittingSummary } from '../../../../protocol/views.ts';
import { http } from '../lib/http.ts';

const KEY = Symbol('directory');

export class Directory {
  #bodies = $state.raw<BodyView[]>([]);
  #rooms = $state.raw<RoomView[]>([]);
  #sittings = $state.raw<SittingSummary[]>([]);
  #loaded = $state(false);
  #error = $state.raw<ErrorBody | null | undefined>(undefined);

  get bodies(): BodyView[] {
    return this.#bodies;
  }

  get rooms(): RoomView[] {
    return this.#rooms;
  }

  get sittings(): SittingSummary[] {
    return this.#sittings;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** undefined: no failure; null: no answer; else the server's refusal. */
  get error(): ErrorBody | null | undefined {
    return this.#error;
  }

  body(id: string): BodyView | undefined {
    return this.#bodies.find((b) => b.id === id);
  }

  async load(): Promise<void> {
    const [bodies, rooms, sittings] = await Promise.all([
      http<{ bodies: BodyView[] }>('GET', '/api/bodies'),
      http<{ rooms: RoomView[] }>('GET', '/api/rooms'),
      http<{ sittings: SittingSummary[] }>('GET', '/api/sittings'),
    ]);
    if (bodies.ok) this.#bodies = bodies.data.bodies;
    if (rooms.ok) this.#rooms = rooms.data.rooms;
    if (sittings.ok) this.#sittings = sittings.data.sittings;
    const failed = [bodies, rooms, sittings].find((r) => !r.ok);
    this.#error = failed && !failed.ok ? failed.error : undefined;
    this.#loaded = true;
  }
}

export const setDirectory = (d: Directory): Directory => setContext(KEY, d);
export const getDirectory = (): Directory => getContext<Directory>(KEY);
