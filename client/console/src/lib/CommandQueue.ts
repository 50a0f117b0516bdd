// The console's outbox: every command gets a commandId once, waits here while the link is
// down, and is sent strictly in order, one at a time, when it is up. A send that gets no
// answer (the link failed) is sent again later with the same commandId, so the server applies
// it once (idempotency by commandId). With a `persist` store every waiting command is also kept
// on the device, so a reload or a killed browser loses nothing: the stored ones are restored
// first, in their order, with their commandIds. An `unauthorized` answer keeps the command
// first in line until the clerk has logged in again. Pure: the transport, ids, timers and
// storage are passed in.
import type { CommandAnswer } from '../../../../protocol/answers.ts';
import type { CommandInput } from '../../../../protocol/commands.ts';
import type { ErrorAnswer } from '../../../../protocol/socket.ts';

export type Answer = CommandAnswer | ErrorAnswer;
export type OutgoingCommand = CommandInput & { commandId: string };

export interface QueuedCommand {
  command: OutgoingCommand;
  /** Which control issued it, so a refusal is shown next to that control. */
  origin: string;
  state: 'waiting' | 'sending';
}

/** What is kept on the device for each waiting command. */
export interface StoredCommand {
  command: OutgoingCommand;
  origin: string;
}

export interface OutboxPersistence {
  save: (entry: StoredCommand) => void;
  remove: (commandId: string) => void;
}

export interface CommandQueueDeps {
  /** Resolves with the server's answer; rejects when the link failed before an answer came. */
  send: (command: OutgoingCommand) => Promise<Answer>;
  newId: () => string;
  /** Calls `retry` after `ms` (a rate-limited command waits and is sent again). */
  later: (retry: () => void, ms: number) => void;
  onChange?: (entries: readonly QueuedCommand[]) => void;
  /** Every final answer, also for commands restored from the device (no caller awaits those). */
  onAnswer?: (entry: QueuedCommand, answer: Answer) => void;
  /** The server no longer accepts the login: the command waits until `setOnline(true)` after a new login. */
  onUnauthorized?: () => void;
  /** Keeps waiting commands on the device; nothing is sent until `restore` was called. */
  persist?: OutboxPersistence;
}

/** Wait after a `rate-limited` answer; the server refills a clerk's budget many times a second. */
export const RATE_LIMIT_RETRY_MS = 250;

interface Entry extends QueuedCommand {
  resolve: (answer: Answer) => void;
}

export class CommandQueue {
  readonly #deps: CommandQueueDeps;
  #entries: Entry[] = [];
  #online = false;
  #busy = false;
  #waitingForRetry = false;
  #restored: boolean;

  constructor(deps: CommandQueueDeps) {
    this.#deps = deps;
    this.#restored = deps.persist === undefined;
  }

  get entries(): readonly QueuedCommand[] {
    return this.#entries.map(({ command, origin, state }) => ({ command, origin, state }));
  }

  get online(): boolean {
    return this.#online;
  }

  /** Queues a command (adding its commandId) and resolves with the answer, however late. */
  submit(command: CommandInput, origin: string): Promise<Answer> {
    return new Promise((resolve) => {
      const queued = { ...command, commandId: command.commandId ?? this.#deps.newId() };
      this.#deps.persist?.save({ command: queued, origin });
      this.#entries = [...this.#entries, { command: queued, origin, state: 'waiting', resolve }];
      this.#changed();
      this.#pump();
    });
  }

  /**
   * Puts the commands kept on the device (an earlier page's outbox) first in line, then lets
   * the queue send. Nothing has been sent before this, so the order is the order they were made.
   */
  restore(stored: readonly StoredCommand[]): void {
    if (this.#restored) return;
    this.#restored = true;
    const known = new Set(this.#entries.map((e) => e.command.commandId));
    const earlier: Entry[] = stored
      .filter((s) => !known.has(s.command.commandId))
      .map((s) => ({ command: s.command, origin: s.origin, state: 'waiting', resolve: () => undefined }));
    this.#entries = [...earlier, ...this.#entries];
    this.#changed();
    this.#pump();
  }

  /** The link is up (send what waits, in order) or down (hold everything). */
  setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    this.#pump();
  }

  #changed(): void {
    this.#deps.onChange?.(this.entries);
  }

  #pump(): void {
    const head = this.#entries[0];
    if (!this.#online || !this.#restored || this.#busy || this.#waitingForRetry || !head) return;
    this.#busy = true;
    this.#setState(head, 'sending');
    this.#deps.send(head.command).then(
      (answer) => {
        this.#busy = false;
        if (!answer.ok && answer.error.code === 'rate-limited') return this.#retryLater(head);
        if (!answer.ok && answer.error.code === 'unauthorized') return this.#holdForLogin(head);
        this.#entries = this.#entries.filter((e) => e !== head);
        this.#deps.persist?.remove(head.command.commandId);
        this.#changed();
        this.#deps.onAnswer?.(head, answer);
        head.resolve(answer);
        this.#pump();
      },
      () => {
        // No answer: the command may or may not have been applied. It stays first and is
        // sent again with the same commandId once the link is back up.
        this.#busy = false;
        this.#online = false;
        this.#setState(head, 'waiting');
      },
    );
  }

  /** Not applied (the login is gone): it stays first and goes again once the link is back with a new login. */
  #holdForLogin(head: Entry): void {
    this.#online = false;
    this.#setState(head, 'waiting');
    this.#deps.onUnauthorized?.();
  }

  #retryLater(head: Entry): void {
    this.#setState(head, 'waiting');
    this.#waitingForRetry = true;
    this.#deps.later(() => {
      this.#waitingForRetry = false;
      this.#pump();
    }, RATE_LIMIT_RETRY_MS);
  }

  #setState(entry: Entry, state: QueuedCommand['state']): void {
    entry.state = state;
    this.#changed();
  }
}
