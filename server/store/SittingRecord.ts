// The record: the world state rebuilt from the durable log, and the one path by which a command
// changes it — idempotency, optimistic concurrency, decide, evolve, commit, then acknowledge.
import { EventEmitter } from 'node:events';
import type { Command } from '../../protocol/commands.ts';
import type { CommandAnswer, LogEntry } from '../../protocol/answers.ts';
import { errorBody } from '../../protocol/errors.ts';
import type { SittingSummary, SittingView } from '../../protocol/views.ts';
import { DEFAULT_ON_AIR, type OnAir } from '../../protocol/model.ts';
import { decide, streamOf } from '../domain/decide.ts';
import { DomainError } from '../domain/errors.ts';
import { sittingIdOf, sittingStream } from '../domain/events.ts';
import { evolve } from '../domain/evolve.ts';
import type { Registry, SittingState, World } from '../domain/state.ts';
import { sittingSummary, sittingView } from '../domain/view.ts';
import type { Projector } from '../archive/ArchiveProjector.ts';
import type { Db } from './database.ts';
import { EventLog } from './EventLog.ts';
import { canonicalJson, describeFault, sha256, type ChainedEvent } from './hashChain.ts';

export interface CommandContext {
  actor: string;
  /** Server time of the command, ISO 8601; stamped on every event it causes. */
  at: string;
}

export type SittingRecordEvents = {
  /** Emitted after a command's events are committed, in commit order. */
  appended: [stream: string, events: LogEntry[]];
  /** A listener of `appended` threw; the command stays committed and acknowledged. */
  listenerError: [error: unknown];
};

export class ChainError extends Error {
  constructor(readonly faults: string[]) {
    super(`the log failed verification: ${faults.join('; ')}`);
    this.name = 'ChainError';
  }
}


function fingerprint(command: Command): string {
  const { commandId: _id, expectedSeq: _seq, ...rest } = command;
  return sha256(canonicalJson(rest));
}

export class SittingRecord extends EventEmitter<SittingRecordEvents> {
  readonly #log: EventLog;
  readonly #findCommand;
  readonly #saveCommand;
  #registry: Registry = { bodies: new Map(), rooms: new Map() };
  readonly #sittings = new Map<string, SittingState>();
  readonly #onAir = new Map<string, OnAir>();
  readonly #heads = new Map<string, { seq: number; hash: string }>();
  readonly #projector: Projector | null;

  /**
   * Opens the record: verifies every chain (refusing a tampered log) and replays it. A
   * `projector` (read models) is kept in step inside each command's transaction, and rebuilt
   * from the log here when it says it is stale.
   */
  constructor(db: Db, options: { projector?: Projector } = {}) {
    super();
    this.#log = new EventLog(db);
    this.#projector = options.projector ?? null;
    this.#findCommand = db.prepare<[string], { fingerprint: string; answer: string }>(
      'SELECT fingerprint, answer FROM commands WHERE command_id = ?',
    );
    this.#saveCommand = db.prepare('INSERT INTO commands (command_id, fingerprint, answer) VALUES (?, ?, ?)');
    const faults = this.#log.verifyAll();
    if (faults.length > 0) throw new ChainError(faults.map(describeFault));
    const projector = this.#projector?.stale() ? this.#projector : null;
    if (!projector) {
      for (const e of this.#log.readAll()) this.#fold([e]).install();
      return;
    }
    this.#log.transaction(() => {
      projector.reset();
      // Read first: the projector writes while replaying, which an open read cursor forbids.
      for (const e of [...this.#log.readAll()]) {
        const { world, install } = this.#fold([e]);
        projector.project([e], world);
        install();
      }
      projector.rebuilt();
    });
  }

  get world(): World {
    return { registry: this.#registry, sittings: this.#sittings, onAir: this.#onAir };
  }


  execute(command: Command, ctx: CommandContext): CommandAnswer {
    try {
      return this.#execute(command, ctx);
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, error: errorBody(err.code, err.context, err.issues) };
      throw err;
    }
  }

  #execute(command: Command, ctx: CommandContext): CommandAnswer {
    const commandId = command.commandId ?? null;
    const print = commandId === null ? '' : fingerprint(command);
    if (commandId !== null) {
      const earlier = this.#findCommand.get(commandId);
      if (earlier) {
        if (earlier.fingerprint !== print) throw new DomainError('duplicate-id', { id: commandId });
        return JSON.parse(earlier.answer) as CommandAnswer;
      }
    }
    const stream = streamOf(command);
    const head = this.#heads.get(stream);
    const seq = head?.seq ?? 0;
    if (command.expectedSeq !== undefined && command.expectedSeq !== seq) {
      throw new DomainError('stale-seq', { expectedSeq: command.expectedSeq, seq });
    }
    const decision = decide(command, this.world, ctx.at);
    const meta = { at: ctx.at, actor: ctx.actor, commandId };
    const { answer, next } = this.#log.transaction(() => {
      const chained = this.#log.append(stream, head, decision.events, meta);
      // Evolve (and project) before the commit: a fault in either rolls the transaction back.
      const { world, install: next } = this.#fold(chained);
      this.#projector?.project(chained, world);
      const answer: CommandAnswer = { ok: true, seq: chained.at(-1)?.seq ?? seq, events: chained as LogEntry[] };
      if (commandId !== null) this.#saveCommand.run(commandId, print, JSON.stringify(answer));
      return { answer, next };
    });
    next();
    if (answer.ok && answer.events.length > 0) this.#notify(stream, answer.events);
    return answer;
  }

  /** Tells every listener; one that throws must not turn a committed command into a failure. */
  #notify(stream: string, events: LogEntry[]): void {
    for (const listener of this.listeners('appended')) {
      try {
        listener(stream, events);
      } catch (err) {
        this.emit('listenerError', err);
      }
    }
  }

  /** Folds events into new state without touching the current one; returns it and how to install it. */
  #fold(events: ChainedEvent[]): { world: World; install: () => void } {
    // The domain's own fold, over a world holding only what these events can touch (the
    // stream's sitting), so no collection is copied whole.
    const id = events[0] ? sittingIdOf(events[0].stream) : null;
    const current = id === null ? undefined : this.#sittings.get(id);
    let world: World = {
      registry: this.#registry,
      sittings: new Map(id !== null && current ? [[id, current]] : []),
      onAir: new Map(),
    };
    for (const e of events) world = evolve(world, e);
    const next = world;
    const install = () => {
      this.#registry = next.registry;
      for (const [sittingId, s] of next.sittings) this.#sittings.set(sittingId, s);
      for (const [room, state] of next.onAir) this.#onAir.set(room, state);
      const last = events.at(-1);
      if (last) this.#heads.set(last.stream, { seq: last.seq, hash: last.hash });
    };
    return { world: next, install };
  }

  // ---- reads ----

  head(stream: string): { seq: number; hash: string } | undefined {
    return this.#heads.get(stream);
  }

  sitting(id: string): SittingView | undefined {
    const s = this.#sittings.get(id);
    if (!s) return undefined;
    const head = this.#heads.get(sittingStream(id));
    return sittingView(s, head?.seq ?? 0, head?.hash ?? null);
  }

  sittingState(id: string): SittingState | undefined {
    return this.#sittings.get(id);
  }

  sittings(): SittingSummary[] {
    return [...this.#sittings.values()]
      .map((s) => sittingSummary(s, this.#heads.get(sittingStream(s.id))?.seq ?? 0))
      .sort((a, b) => Date.parse(b.scheduledAt) - Date.parse(a.scheduledAt));
  }

  onAir(room: string): OnAir {
    return this.#onAir.get(room) ?? DEFAULT_ON_AIR;
  }

  get registry(): Registry {
    return this.#registry;
  }

  log(stream: string): LogEntry[] {
    return this.#log.readStream(stream) as LogEntry[];
  }

  verify(stream: string): string | null {
    const fault = this.#log.verify(stream);
    return fault ? describeFault(fault) : null;
  }
}
