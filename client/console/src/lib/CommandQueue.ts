// The console's outbox: every command gets a commandId once, waits here while the link is
// down, and is sent strictly in order, one at a time, when it is up. A send that gets no
// answer (the link failed) is sent again later with the same commandId, so the server applies
// it once (idempotency by commandId). Pure: the transport, ids and timers are passed in.
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

export interface CommandQueueDeps {
  /** Resolves with the server's answer; rejects when the link failed before an answer came. */
  send: (command: OutgoingCommand) => Promise<Answer>;
  newId: () => string;
  /** Calls `retry` after `ms` (a rate-limited command waits and is sent again). */
  later: (retry: () => void, ms: number) => void;
  onChange?: (entries: readonly QueuedCommand[]) => void;
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

  constructor(deps: CommandQueueDeps) {
    this.#deps = deps;
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
      this.#entries = [...this.#entries, { command: queued, origin, state: 'waiting', resolve }];
      this.#changed();
      this.#pump();
    });
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
    if (!this.#online || this.#busy || this.#waitingForRetry || !head) return;
    this.#busy = true;
    this.#setState(head, 'sending');
    this.#deps.send(head.command).then(
      (answer) => {
        this.#busy = false;
        if (!answer.ok && answer.error.code === 'rate-limited') return this.#retryLater(head);
        this.#entries = this.#entries.filter((e) => e !== head);
        this.#changed();
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
