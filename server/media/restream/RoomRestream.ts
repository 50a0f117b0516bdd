// One room's restream: follows the room's ingest (its FLV tags, and when it goes live or
// offline) and runs a relay per destination while the destination is enabled and the ingest
// is live. Only RTMP ingest carries FLV the relays can copy; under SRT they report it.
import { EventEmitter } from 'node:events';
import type { IngestProtocol } from '../../../protocol/media.ts';
import type { Logger } from '../../logger.ts';
import type { FlvTag } from '../flv.ts';
import type { LiveRoom } from '../LiveRoom.ts';
import { DestinationRelay, type RelayOptions, type RelayTarget } from './DestinationRelay.ts';
import { FlvFeed } from './FlvFeed.ts';

export interface RelaySpec {
  id: string;
  enabled: boolean;
  target: () => RelayTarget;
}

export type RoomRestreamEvents = {
  /** A relay's status changed. */
  status: [];
};

export class RoomRestream extends EventEmitter<RoomRestreamEvents> {
  readonly room: LiveRoom;
  readonly #options: () => RelayOptions & { unavailable: boolean };
  readonly #logger: Logger;
  readonly #feed = new FlvFeed();
  readonly #relays = new Map<string, { relay: DestinationRelay; enabled: boolean }>();
  #ingest: IngestProtocol | null;
  readonly #onTag = (tag: FlvTag) => {
    const keyframe = this.#feed.observe(tag);
    for (const { relay } of this.#relays.values()) relay.tag(tag, keyframe, this.#feed);
  };
  readonly #onClaimed = (protocol: IngestProtocol) => {
    this.#ingest = protocol;
    this.#feed.reset();
    this.#apply();
  };
  readonly #onReleased = () => {
    this.#ingest = null;
    this.#apply();
  };

  constructor(room: LiveRoom, options: () => RelayOptions & { unavailable: boolean }, logger: Logger) {
    super();
    this.room = room;
    this.#options = options;
    this.#logger = logger.child({ room: room.id, component: 'restream' });
    this.#ingest = room.protocol;
    room.on('tag', this.#onTag);
    room.on('claimed', this.#onClaimed);
    room.on('released', this.#onReleased);
  }

  /** Makes the relays match the room's destinations (created, removed, switched). */
  sync(specs: RelaySpec[]): void {
    const keep = new Set(specs.map((s) => s.id));
    for (const [id, entry] of this.#relays) {
      if (keep.has(id)) continue;
      this.#relays.delete(id);
      void entry.relay.close();
    }
    for (const spec of specs) {
      let entry = this.#relays.get(spec.id);
      if (!entry) {
        const relay = new DestinationRelay(spec.id, spec.target, this.#options(), this.#logger);
        relay.on('status', () => this.emit('status'));
        entry = { relay, enabled: spec.enabled };
        this.#relays.set(spec.id, entry);
      }
      entry.enabled = spec.enabled;
    }
    this.#apply();
  }

  /** A destination's URL or key changed: a running push restarts with the new one. */
  restart(id: string): void {
    this.#relays.get(id)?.relay.restart();
  }

  relay(id: string): DestinationRelay | undefined {
    return this.#relays.get(id)?.relay;
  }

  #apply(): void {
    const unavailable = this.#options().unavailable;
    for (const { relay, enabled } of this.#relays.values()) {
      const wanted = enabled && this.#ingest !== null;
      if (wanted && unavailable) relay.fail('ffmpeg-missing');
      else if (wanted && this.#ingest === 'srt') relay.fail('srt-ingest');
      else relay.want(wanted);
    }
  }

  async close(): Promise<void> {
    this.room.off('tag', this.#onTag);
    this.room.off('claimed', this.#onClaimed);
    this.room.off('released', this.#onReleased);
    await Promise.all([...this.#relays.values()].map(({ relay }) => relay.close()));
    this.#relays.clear();
  }
}
