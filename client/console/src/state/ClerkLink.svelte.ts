// The console's one connection to the server: the `/clerk` socket that carries every command
// (through the outbox, each with its commandId) and follows the sitting being run. Knows
// whether the link is up, what waits to be sent (kept on the device too, so a reload or a
// killed browser loses nothing), which control's command was refused and why, and whether the
// view on screen already shows everything this console did.
import { getContext, setContext } from 'svelte';
import type { Socket } from 'socket.io-client';
import { LiveFeed, type FeedState } from '../../../lib/LiveFeed.ts';
import type { CommandInput } from '../../../../protocol/commands.ts';
import type { ErrorBody } from '../../../../protocol/errors.ts';
import type { RoomDestinations } from '../../../../protocol/restream.ts';
import type { IngestStatus } from '../../../../protocol/media.ts';
import { CLERK_NAMESPACE, type ClerkClientToServer, type ClerkServerToClient } from '../../../../protocol/socket.ts';
import type { SittingView } from '../../../../protocol/views.ts';
import { CommandQueue, type Answer, type OutgoingCommand, type QueuedCommand, type StoredCommand } from '../lib/CommandQueue.ts';
import { newCommandId } from '../lib/ids.ts';
import { OutboxStore } from '../lib/OutboxStore.ts';

/** A command without an answer after this long means the link is dead (even if the socket looks open). */
export const ACK_TIMEOUT_MS = 8000;

/** One clerk's console reconnects fast: it is a single client, not a crowd. */
export const CONSOLE_SOCKET_OPTIONS = { reconnectionDelay: 250, reconnectionDelayMax: 2000 };

export type LinkState = 'connecting' | 'online' | 'offline';

const KEY = Symbol('clerk-link');

export class ClerkLink {
  readonly #feed: LiveFeed;
  readonly #socket: Socket<ClerkServerToClient, ClerkClientToServer>;
  readonly #queue: CommandQueue;
  #feedState = $state.raw<FeedState | null>(null);
  #entries = $state.raw<readonly QueuedCommand[]>([]);
  #refusals = $state.raw<Record<string, ErrorBody>>({});
  #everOnline = $state(false);
  /** seq of the followed sitting after this console's latest acknowledged command. */
  #ackedSeq = $state(0);
  #sittingId: string | null = null;
  /** commandIds of waiting commands already on disk. */
  #saved = $state.raw<ReadonlySet<string>>(new Set());
  /** commandIds an earlier page of this user left on the device. */
  #restored: ReadonlySet<string> = new Set();
  /** Each room's camera (ingest) state, as the server pushes it on /clerk. */
  #ingest = $state.raw<Readonly<Record<string, IngestStatus>>>({});
  #store: OutboxStore | null = null;
  /** Commands made before the device's outbox opened: saved as soon as it has. */
  #early: StoredCommand[] = [];
  #closed = false;
  readonly #onOffline = () => this.#dropLink();
  readonly #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (this.#entries.length === 0) return;
    // The browser asks "leave the page?": what waits is kept on the device, yet is sent only
    // when this console is open again.
    event.preventDefault();
    event.returnValue = '';
  };
  readonly #onUnauthorized: () => void;

  /** `user`: whose outbox this is on the device. */
  constructor(user: string, onUnauthorized: () => void) {
    this.#onUnauthorized = onUnauthorized;
    this.#feed = new LiveFeed(null, {
      namespace: CLERK_NAMESPACE,
      // A connection of its own: socket.io would otherwise multiplex /clerk over a transport
      // another feed (/live) opened earlier, whose handshake carries that moment's cookie — a
      // login after a logout would then be refused as the old, ended session.
      socketOptions: { ...CONSOLE_SOCKET_OPTIONS, forceNew: true },
      onChange: (state) => {
        this.#feedState = state;
        if (state.connected) this.#everOnline = true;
      },
    });
    // The feed's socket is on /clerk, which carries commands besides the live updates.
    this.#socket = this.#feed.socket;
    this.#queue = new CommandQueue({
      send: (command) => this.#send(command),
      newId: () => newCommandId(),
      later: (retry, ms) => setTimeout(retry, ms),
      onChange: (entries) => (this.#entries = entries),
      onAnswer: (entry, answer) => this.#answered(entry.origin, answer),
      onUnauthorized: () => this.#onUnauthorized(),
      persist: {
        save: (entry) => (this.#store ? this.#save(this.#store, entry) : this.#early.push(entry)),
        remove: (commandId) => {
          this.#store?.remove(commandId);
          this.#early = this.#early.filter((e) => e.command.commandId !== commandId);
        },
      },
    });
    void this.#openOutbox(user);
    this.#socket.on('connect', () => this.#queue.setOnline(true));
    this.#socket.on('disconnect', (reason) => {
      this.#queue.setOnline(false);
      // Dropped by the server (e.g. the session ended): socket.io leaves that to us. Reconnecting
      // either works or is refused with the reason (connect_error below).
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('ingest', (status) => (this.#ingest = { ...this.#ingest, [status.room]: status }));
    this.#socket.on('connect_error', (err) => {
      // socket.io hands on the data the server's middleware refused with.
      const data: unknown = 'data' in err ? err.data : undefined;
      if (typeof data === 'object' && data !== null && 'code' in data && data.code === 'unauthorized') this.#onUnauthorized();
    });
    // The browser knows before the socket does: an open WebSocket can hang on silently while
    // the network is gone, so drop it at once and let it reconnect when the network is back.
    addEventListener('offline', this.#onOffline);
    addEventListener('beforeunload', this.#onBeforeUnload);
  }

  async #openOutbox(user: string): Promise<void> {
    const store = await OutboxStore.open(user);
    if (this.#closed) return store.close();
    const stored = await store.load();
    this.#store = store;
    for (const entry of this.#early) this.#save(store, entry);
    this.#early = [];
    this.#saved = new Set([...this.#saved, ...stored.map((s) => s.command.commandId)]);
    this.#restored = new Set(stored.map((s) => s.command.commandId));
    this.#queue.restore(stored);
  }

  #save(store: OutboxStore, entry: StoredCommand): void {
    const id = entry.command.commandId;
    store.save(entry, () => (this.#saved = new Set([...this.#saved, id])));
  }

  get link(): LinkState {
    if (this.#feedState?.connected) return 'online';
    return this.#everOnline ? 'offline' : 'connecting';
  }

  get view(): SittingView | null {
    return this.#feedState?.view ?? null;
  }

  /** A subscription refused (e.g. an unknown sitting). */
  get feedError(): ErrorBody | null {
    return this.#feedState?.error ?? null;
  }

  get pending(): readonly QueuedCommand[] {
    return this.#entries;
  }

  /** Everything waiting is on the device's disk (survives a reload or a killed browser). */
  get pendingSaved(): boolean {
    return this.#entries.length > 0 && this.#entries.every((e) => this.#saved.has(e.command.commandId));
  }

  /** The room's camera state; undefined until the server has told (e.g. a room just made). */
  ingest(room: string): IngestStatus | undefined {
    return this.#ingest[room];
  }

  /** How many of the waiting commands an earlier page of this user left on the device. */
  get restoredWaiting(): number {
    return this.#entries.filter((e) => this.#restored.has(e.command.commandId)).length;
  }

  /**
   * Online, nothing waiting, and the view already shows this console's own commands: only then
   * may a decision taken from what is on screen (close a vote, close the sitting) be sent.
   */
  get settled(): boolean {
    const view = this.view;
    return this.link === 'online' && this.#entries.length === 0 && view !== null && view.seq >= this.#ackedSeq;
  }

  serverNow(): number {
    return this.#feed.serverNow();
  }

  refusal(origin: string): ErrorBody | undefined {
    return this.#refusals[origin];
  }

  /** Controls (by origin prefix) whose last command was refused, e.g. every `cast:` of a vote. */
  refusedOrigins(prefix: string): string[] {
    return Object.keys(this.#refusals).filter((o) => o.startsWith(prefix));
  }

  dismiss(origin: string): void {
    if (!(origin in this.#refusals)) return;
    const { [origin]: _gone, ...rest } = this.#refusals;
    this.#refusals = rest;
  }

  follow(sittingId: string | null): void {
    if (sittingId === this.#sittingId) return;
    this.#sittingId = sittingId;
    this.#ackedSeq = 0;
    this.#refusals = {};
    this.#feed.follow(sittingId === null ? null : { sittingId });
  }

  /**
   * Sends a command (queued while offline, in order, with its commandId). A refusal is kept for
   * `origin` until that control's next command succeeds, and the view is asked again from the
   * server, so the page shows the true state.
   */
  send(command: CommandInput, origin: string): Promise<Answer> {
    this.dismiss(origin);
    return this.#queue.submit(command, origin);
  }

  /** Every answer, also to commands restored from the device. */
  #answered(origin: string, answer: Answer): void {
    if (answer.ok) {
      const stream = answer.events[0]?.stream;
      if (this.#sittingId !== null && stream === `sitting/${this.#sittingId}`) this.#ackedSeq = Math.max(this.#ackedSeq, answer.seq);
    } else {
      this.#refusals = { ...this.#refusals, [origin]: answer.error };
      this.#feed.resync();
    }
  }

  /**
   * After a new login: a fresh connection (its handshake carries the new session cookie); the
   * queue then sends what waited, the refused command first, with the same commandIds.
   */
  reconnect(): void {
    this.#socket.disconnect();
    this.#socket.connect();
  }

  #send(command: OutgoingCommand): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (!this.#socket.connected) return reject(new Error('offline'));
      this.#socket.timeout(ACK_TIMEOUT_MS).emit('command', command, (err: Error | null, answer: Answer) => {
        if (!err) return resolve(answer);
        // No answer in time: treat the link as dead and reconnect; the queue sends it again.
        if (this.#socket.connected) this.#dropLink();
        reject(err);
      });
    });
  }

  /** Each push of a room's restream destinations; returns the unsubscribe. */
  onDestinations(listener: (destinations: RoomDestinations) => void): () => void {
    this.#socket.on('destinations', listener);
    return () => this.#socket.off('destinations', listener);
  }

  /** Closes the transport; socket.io reconnects by itself (and the feed resyncs from its seq). */
  #dropLink(): void {
    this.#socket.io.engine?.close();
  }

  close(): void {
    this.#closed = true;
    removeEventListener('offline', this.#onOffline);
    removeEventListener('beforeunload', this.#onBeforeUnload);
    this.#store?.close();
    this.#feed.close();
  }
}

export const setClerkLink = (link: ClerkLink): ClerkLink => setContext(KEY, link);
export const getClerkLink = (): ClerkLink => getContext<ClerkLink>(KEY);
