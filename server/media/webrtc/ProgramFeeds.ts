// On-demand WHEP feeds of the rooms whose program arrives over RTMP or SRT: nothing runs while
// nobody watches. The first viewer of such a room starts its ProgramFeed; later viewers share
// it; it stops a short grace after the last one leaves (a viewer reloading the page does not
// restart ffmpeg) and by itself when the program ends. `ended` tells the owner, whose viewers'
// sessions end with it; the next viewer starts a feed of whatever program the room has then.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../../logger.ts';
import { messageOf } from '../../thrown.ts';
import type { LiveRoom } from '../LiveRoom.ts';
import type { MediaService } from '../MediaService.ts';
import { ProgramFeed, type FeedPlan } from './ProgramFeed.ts';

/** How long a feed outlives its last viewer. */
export const FEED_GRACE_MS = 3000;

interface Entry {
  feed: Promise<ProgramFeed | null>;
  viewers: number;
  grace: NodeJS.Timeout | null;
}

export interface FedProgram {
  producers: types.Producer[];
  /** The viewer left: call once. */
  release: () => void;
}

export type ProgramFeedsEvents = {
  /** A room's feed started (with what it does to the program) or ended (null). */
  feed: [room: string, plan: FeedPlan | null];
};

export class ProgramFeeds extends EventEmitter<ProgramFeedsEvents> {
  readonly #media: MediaService;
  readonly #logger: Logger;
  readonly #entries = new Map<string, Entry>();

  constructor(deps: { media: MediaService; logger: Logger }) {
    super();
    this.#media = deps.media;
    this.#logger = deps.logger;
  }

  /**
   * The program's producers for one more viewer, or null when the room has no RTMP or SRT program
   * (a WHIP program is served directly). `router` is the room's router, asked for only when a feed starts.
   */
  async acquire(room: string, router: () => Promise<types.Router>): Promise<FedProgram | null> {
    const live = this.#media.liveRoom(room);
    if (!live?.live || live.protocol === 'whip') return null;
    let entry = this.#entries.get(room);
    if (!entry) entry = this.#start(room, live, router);
    entry.viewers += 1;
    if (entry.grace) clearTimeout(entry.grace);
    entry.grace = null;
    const held = entry;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.viewers -= 1;
      if (held.viewers > 0 || this.#entries.get(room) !== held) return;
      held.grace = setTimeout(() => void held.feed.then((f) => f?.close()), FEED_GRACE_MS);
    };
    const feed = await held.feed.catch(() => null);
    if (!feed || feed.ended) {
      release();
      return null;
    }
    return { producers: feed.producers, release };
  }

  #start(room: string, live: LiveRoom, router: () => Promise<types.Router>): Entry {
    const entry: Entry = { feed: Promise.resolve(null), viewers: 0, grace: null };
    entry.feed = (async () => {
      const feed = await ProgramFeed.open(live, await router(), { ffmpegPath: this.#media.ffmpegPath, logger: this.#logger });
      if (!feed) return null;
      feed.once('ended', () => {
        if (entry.grace) clearTimeout(entry.grace);
        if (this.#entries.get(room) === entry) this.#entries.delete(room);
        this.emit('feed', room, null);
      });
      this.emit('feed', room, feed.plan);
      return feed;
    })();
    entry.feed.then(
      (feed) => feed ?? this.#forget(room, entry),
      (err: unknown) => {
        this.#logger.error({ room, err: messageOf(err) }, 'WHEP feed of the program did not start');
        this.#forget(room, entry);
      },
    );
    this.#entries.set(room, entry);
    return entry;
  }

  #forget(room: string, entry: Entry): void {
    if (this.#entries.get(room) === entry) this.#entries.delete(room);
  }

  /** The feed's ffmpeg, while one runs (for the benchmark's CPU figure). */
  async pid(room: string): Promise<number | undefined> {
    return (await this.#entries.get(room)?.feed)?.pid;
  }

  /** Whether a room's feed is running or starting. */
  running(room: string): boolean {
    return this.#entries.has(room);
  }

  /** Stops every feed (the worker died, or the server stops). */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const e of entries) if (e.grace) clearTimeout(e.grace);
    await Promise.all(entries.map(async (e) => (await e.feed.catch(() => null))?.close()));
  }
}
