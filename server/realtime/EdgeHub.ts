// An edge's answer to `subscribe` (RADACAST_ROLE=edge): the same answer LiveHub gives on the
// writer, read from what the writer keeps in Redis (SharedLive), and for a sitting Redis does
// not hold (an old one), from the writer's public API — never the writer for each client.
// Updates reach the edge's sockets through socket.io's Redis streams adapter: the writer emits
// to the channels, the adapter delivers to every edge. The socket joins its channels before
// the state is read, so nothing committed in between is lost (the page applies what arrives
// before the answer after it: client/lib/LiveFeed.ts).
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
  readonly #asking = new Map<string, Promise<unknown>>();

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

  /** A sitting Redis does not hold: the writer's public view (e.g. one closed long ago). */
  #ask<T>(path: string, read: (res: Response) => Promise<T>): Promise<T> {
    const asking = this.#asking.get(path);
    if (asking) return asking as Promise<T>;
    const answer = fetch(`${this.#deps.writerUrl}${path}`, { signal: AbortSignal.timeout(10_000) })
      .then(read)
      .finally(() => this.#asking.delete(path));
    this.#asking.set(path, answer);
    return answer;
  }

  #fromWriter(sittingId: string): Promise<SharedSitting | null> {
    return this.#ask(`/api/sittings/${encodeURIComponent(sittingId)}`, async (res) => {
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`the writer answered ${res.status}`);
      const text = await res.text();
      const view = JSON.parse(text) as SittingView;
      return { seq: view.seq, view: text, announced: view.recording ?? null, updates: [] };
    });
  }

  async #writerKnowsRoom(room: string): Promise<boolean> {
    const rooms = await this.#ask('/api/rooms', async (res) => {
      if (!res.ok) throw new Error(`the writer answered ${res.status}`);
      return ((await res.json()) as { rooms: { id: string }[] }).rooms;
    });
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
    const sittingId = roomState ? roomState.sittingId : request.sittingId!;
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
