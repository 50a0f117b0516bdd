// What every edge needs to answer `subscribe` without asking the writer for each client, kept
// in Redis by the writer (docs/scaling.md): per sitting its latest view (as the snapshot's
// JSON text), its seq, the recording last announced and its recent updates; per room its state
// (which sitting it follows, on air). Each write is one MULTI, so an edge reads a view and the
// updates that lead to it as one state.
import type { createClient } from 'redis';
import type { RoomState, SittingUpdate } from '../../protocol/socket.ts';
import type { VideoRecordingView } from '../../protocol/views.ts';
import type { Kept } from './UpdateBuffer.ts';

export type RedisClient = ReturnType<typeof createClient>;

const PREFIX = 'radacast:live:';
const sittingKey = (id: string) => `${PREFIX}sitting:${id}`;
const updatesKey = (id: string) => `${PREFIX}updates:${id}`;
const roomKey = (room: string) => `${PREFIX}room:${room}`;
/** Updates kept per sitting, as the writer's own buffer. */
const KEEP = 512;
/** A sitting's entries expire when untouched this long (a closed sitting is asked of the writer again). */
const TTL_S = 7 * 24 * 3600;

export interface SharedSitting {
  seq: number;
  /** The view's JSON text (the snapshot as sent). */
  view: string;
  announced: VideoRecordingView | null;
  updates: Kept[];
}

export class SharedLive {
  readonly #client: RedisClient;

  constructor(client: RedisClient) {
    this.#client = client;
  }

  /**
   * The writer: a sitting's new latest view, with the update that led to it; `keep` (the same
   * seq, e.g. its recording announced) or `reset` (republished: the updates before are unknown).
   */
  async putSitting(sittingId: string, seq: number, view: string, announced: VideoRecordingView | null, update: SittingUpdate | 'keep' | 'reset', closed: boolean): Promise<void> {
    const multi = this.#client
      .multi()
      .hSet(sittingKey(sittingId), { seq: String(seq), view, announced: JSON.stringify(announced) })
      .expire(sittingKey(sittingId), TTL_S);
    // Nothing more comes for a closed sitting: a late client gets a snapshot.
    if (closed || update === 'reset') multi.del(updatesKey(sittingId));
    else if (update !== 'keep') multi.rPush(updatesKey(sittingId), JSON.stringify(update)).lTrim(updatesKey(sittingId), -KEEP, -1).expire(updatesKey(sittingId), TTL_S);
    await multi.exec();
  }

  async putRoom(state: RoomState): Promise<void> {
    await this.#client.set(roomKey(state.room), JSON.stringify(state));
  }

  /** An edge: a sitting as the writer last published it, or null when Redis holds none. */
  async sitting(sittingId: string): Promise<SharedSitting | null> {
    const [fields, texts] = await this.#client.multi().hGetAll(sittingKey(sittingId)).lRange(updatesKey(sittingId), 0, -1).execTyped();
    if (!fields.view || !fields.seq) return null;
    const updates = texts.map((text) => ({ update: JSON.parse(text) as SittingUpdate, size: text.length }));
    return { seq: Number(fields.seq), view: fields.view, announced: JSON.parse(fields.announced ?? 'null') as VideoRecordingView | null, updates };
  }

  async room(room: string): Promise<RoomState | null> {
    const text = await this.#client.get(roomKey(room));
    return text === null ? null : (JSON.parse(text) as RoomState);
  }
}
