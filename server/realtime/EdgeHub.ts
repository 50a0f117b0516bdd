// An edge's answer to `subscribe` (RADACAST_ROLE=edge): the same answer LiveHub gives on the
// writer, read from what the writer keeps in Redis (SharedLive), and for a sitting Redis does
// not hold (an old one), from the writer's public API — never the writer for each client.
// Updates reach the edge's sockets through socket.io's Redis streams adapter: the writer emits
// to the channels, the adapter delivers to every edge. The socket joins its channels before
// the state is read, so nothing committed in between is lost (the page applies what arrives
// before the answer after it: client/lib/LiveFeed.ts).
import { z } from 'zod';
import { errorBody } from '../../protocol/errors.ts';
import { LIVE_PATCH_VERSION } from '../../protocol/livePatch.ts';
import type { Catchup, RecordingAnnouncement, SubscribeAnswer, SubscribeRequest } from '../../protocol/socket.ts';
import type { VideoRecordingView, SittingView } from '../../protocol/views.ts';
import { announcement } from './LiveHub.ts';
import { roomChannel, sittingChannel } from './channels.ts';
import type { SharedLive, SharedSitting } from './SharedLive.ts';
import { missedUpdates } from './UpdateBuffer.ts';

export interface SubscribingSocket {
  join(rooms: string | string[]): void;
  leave(room: string): void;
  rooms: Set<string>;
  id: string;
}

interface EdgeDeps {
  shared: SharedLive;
  writerUrl: string;
  now: () => Date;
}

/** The writer's lists, as far as an edge reads them: the ids. */
const SittingIds = z.object({ sittings: z.array(z.object({ id: z.string() })) });
const RoomIds = z.object({ rooms: z.array(z.object({ id: z.string() })) });

/**
 * How old the writer's list of sitting ids may be before an id missing from it makes the edge
 * ask again: a stranger trying random ids costs the writer at most one list every 5 s per edge.
 * (Sittings the writer touched since it started are in Redis; the list is for older ones.)
 */
const SITTING_IDS_FRESH_MS = 5_000;

/** The writer's answer, read whole (shared by everyone who asked the same at once). */
interface Fetched {
  status: number;
  ok: boolean;
  text: string;
}

/** A sitting's snapshot as this edge encoded it (once per seq, whatever the number of subscribers). */
interface Encoded {
  seq: number;
  encoded: Buffer;
}

export class EdgeHub {
  readonly #deps: EdgeDeps;
  readonly #encoded = new Map<string, Encoded>();
  /**
   * Questions to the writer in flight, by URL path: residents asking the same at once (a crowd
   * opening a past sitting, or a stranger repeating one id) cost the writer one request.
   */
  readonly #asking = new Map<string, Promise<Fetched>>();
  /** The ids of every sitting the writer holds, as last listed, and when (ms). */
  #sittingIds: { at: number; ids: ReadonlySet<string> } | null = null;

  constructor(deps: EdgeDeps) {
    this.#deps = deps;
  }

  /** Updates come through the adapter: the edge emits nothing of its own. */
  attach(): void {}

  #encode(sittingId: string, seq: number, view: string): Buffer {
    const known = this.#encoded.get(sittingId);
    if (known?.seq === seq) return known.encoded;
    const encoded = Buffer.from(view);
    this.#encoded.set(sittingId, { seq, encoded });
    return encoded;
  }

  /** What Redis does not hold, from the writer: the same path asked by many at once is one request. */
  #ask(path: string): Promise<Fetched> {
    const asking = this.#asking.get(path);
    if (asking) return asking;
    const answer = fetch(`${this.#deps.writerUrl}${path}`, { signal: AbortSignal.timeout(10_000) })
      .then(async (res): Promise<Fetched> => ({ status: res.status, ok: res.ok, text: await res.text() }))
      .finally(() => this.#asking.delete(path));
    this.#asking.set(path, answer);
    return answer;
  }

  async #list<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const res = await this.#ask(path);
    if (!res.ok) throw new Error(`the writer answered ${res.status}`);
    return schema.parse(JSON.parse(res.text));
  }

  /** Whether the writer holds the sitting, from its list (asked again at most every few seconds). */
  async #writerHasSitting(sittingId: string): Promise<boolean> {
    const known = this.#sittingIds;
    if (known && (known.ids.has(sittingId) || Date.now() - known.at < SITTING_IDS_FRESH_MS)) return known.ids.has(sittingId);
    const at = Date.now();
    const { sittings } = await this.#list('/api/sittings', SittingIds);
    this.#sittingIds = { at, ids: new Set(sittings.map((s) => s.id)) };
    return this.#sittingIds.ids.has(sittingId);
  }

  /** A sitting Redis does not hold (e.g. one closed long ago): the writer's public view, if it has one. */
  async #fromWriter(sittingId: string): Promise<SharedSitting | null> {
    if (!(await this.#writerHasSitting(sittingId))) return null;
    const res = await this.#ask(`/api/sittings/${encodeURIComponent(sittingId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`the writer answered ${res.status}`);
    // The writer's own view, as it serves it: read for the two fields the answer needs.
    const view: Pick<SittingView, 'seq' | 'recording'> = JSON.parse(res.text);
    return { seq: view.seq, view: res.text, announced: view.recording ?? null, updates: [] };
  }

  async #writerKnowsRoom(room: string): Promise<boolean> {
    const { rooms } = await this.#list('/api/rooms', RoomIds);
    return rooms.some((r) => r.id === room);
  }

  async subscribe(socket: SubscribingSocket, request: SubscribeRequest): Promise<SubscribeAnswer> {
    const room = request.room ?? null;
    for (const joined of [...socket.rooms]) if (joined !== socket.id) socket.leave(joined);
    if (room !== null) socket.join(roomChannel(room));
    const roomState = room === null ? null : await this.#deps.shared.room(room);
    if (room !== null && !roomState) {
      socket.leave(roomChannel(room));
      // Redis may have lost it (restarted) before the writer published it again: the page asks again.
      if (await this.#writerKnowsRoom(room)) throw new Error(`Redis holds no state of room ${room} yet`);
      return { ok: false, error: errorBody('not-found', { what: 'room', id: room }) };
    }
    const sittingId = roomState ? roomState.sittingId : (request.sittingId ?? null);
    if (sittingId !== null) socket.join(sittingChannel(sittingId));
    const sitting = sittingId === null ? null : ((await this.#deps.shared.sitting(sittingId)) ?? (await this.#fromWriter(sittingId)));
    if (sittingId !== null && !sitting) {
      for (const joined of [...socket.rooms]) if (joined !== socket.id) socket.leave(joined);
      return { ok: false, error: errorBody('not-found', { what: 'sitting', id: sittingId }) };
    }
    let catchup: Catchup = { kind: 'none' };
    let recording: RecordingAnnouncement | undefined;
    if (sitting && sittingId !== null) {
      const encoded = this.#encode(sittingId, sitting.seq, sitting.view);
      const since = request.since?.sittingId === sittingId ? request.since : undefined;
      const missed = missedUpdates(sitting.updates, { sittingId, seq: sitting.seq, size: encoded.length }, since?.seq);
      catchup = missed.kind === 'snapshot' ? { kind: 'snapshot', encoded } : missed;
      const announced: VideoRecordingView | null = sitting.announced;
      if (missed.kind !== 'snapshot' && announced) recording = announcement(sittingId, announced, since?.marks ?? 0);
    }
    return {
      ok: true,
      sittingId,
      seq: sitting?.seq ?? 0,
      catchup,
      patchVersion: LIVE_PATCH_VERSION,
      ...(recording ? { recording } : {}),
      room: roomState,
      serverTime: this.#deps.now().toISOString(),
    };
  }

  close(): void {}
}
