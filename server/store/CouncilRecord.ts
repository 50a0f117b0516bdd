// The record: the world state rebuilt from the durable log, and the one path by which a command
// changes it — idempotency, optimistic concurrency, decide, evolve, commit, then acknowledge.
import { EventEmitter } from 'node:events';
import type { Command } from '../../protocol/commands.ts';
import type { CommandAnswer, LogEntry } from '../../protocol/answers.ts';
import { errorBody } from '../../protocol/errors.ts';
import { ILL_FORMED_MESSAGE, illFormedPath } from '../../protocol/wellFormed.ts';
import type { SittingSummary, SittingView } from '../../protocol/views.ts';
import { DEFAULT_ON_AIR, type OnAir } from '../../protocol/model.ts';
import { decide, streamOf } from '../domain/decide.ts';
import { DomainError } from '../domain/errors.ts';
import { sittingIdOf, sittingStream } from '../../protocol/events.ts';
import { evolve } from '../domain/evolve.ts';
import type { Registry, SittingState, World } from '../domain/state.ts';
import { sittingSummary, sittingView } from '../domain/view.ts';
import type { Projector } from '../archive/ArchiveProjector.ts';
import type { Db } from './database.ts';
import { Checkpoints } from './Checkpoints.ts';
import { EventLog } from './EventLog.ts';
import { canonicalJson, ChainCursor, describeFault, sha256, type ChainFault } from './hashChain.ts';

export interface CommandContext {
  actor: string;
  /** Server time of the command, ISO 8601; stamped on every event it causes. */
  at: string;
}

export type CouncilRecordEvents = {
  /** Emitted after a command's events are committed, in commit order. */
  appended: [stream: string, events: LogEntry[]];
  /** A listener of `appended` threw; the command stays committed and acknowledged. */
  listenerError: [error: unknown];
  /** Every command answered (not a replayed answer's first time only): for the metrics. */
  executed: [type: string, outcome: string, seconds: number];
  /** A start-up checkpoint could not be written; the next start replays more of the log. */
  checkpointFailed: [error: unknown];
};

/** How the record was rebuilt at start-up (for the log line and the tests). */
export interface StartReport {
  /** `used`: read from a checkpoint, then the tail replayed; `ignored`: one was found but not trusted. */
  checkpoint: 'used' | 'none' | 'ignored';
  /** Why a checkpoint was ignored. */
  ignored: string | null;
  /** Events verified and replayed at start (the tail after the checkpoint, or the whole log). */
  replayed: number;
}

/** A checkpoint is also taken after this many events since the last (besides each sitting's close). */
export const CHECKPOINT_EVERY = 5000;

/** The public log reads at most this many events per page. */
export const LOG_PAGE_MAX = 1000;

export interface LogPage {
  head: { seq: number; hash: string } | null;
  verified: boolean;
  fault: string | null;
  events: LogEntry[];
  /** `after` for the next page, or null on the last one. */
  next: number | null;
}

function fingerprint(command: Command): string {
  const { commandId: _id, expectedSeq: _seq, ...rest } = command;
  return sha256(canonicalJson(rest));
}

export class CouncilRecord extends EventEmitter<CouncilRecordEvents> {
  readonly #log: EventLog;
  readonly #findCommand;
  readonly #saveCommand;
  #registry: Registry = { bodies: new Map(), rooms: new Map() };
  readonly #sittings = new Map<string, SittingState>();
  readonly #onAir = new Map<string, OnAir>();
  readonly #heads = new Map<string, { seq: number; hash: string }>();
  readonly #checks: ((command: Command) => void)[] = [];
  /** How far each stream's chain has been verified on disk (the public log reads on from there). */
  readonly #verified: Map<string, ChainCursor>;
  readonly #faults: string[];
  readonly #projector: Projector | null;
  readonly #checkpoints: Checkpoints | null;
  /** Sittings changed since the last checkpoint, and how many events were appended since. */
  readonly #changed = new Set<string>();
  #sinceCheckpoint = 0;
  readonly startReport: StartReport;

  /**
   * Opens the record: one pass over the log verifies every chain and replays it. A log that
   * fails verification is still opened, read-only (every command is refused `read-only`), so
   * the published record stays readable while an operator repairs it (docs/operations.md).
   * A `projector` (read models) is kept in step inside each command's transaction, and rebuilt
   * from the log here when it says it is stale. With a `checkpointKey` (the server's secret) the
   * record starts from its last trusted checkpoint (Checkpoints.ts) and verifies and replays only
   * the events after it; the chains before it are verified again off the event loop by
   * verifyInBackground (Radacast), whose faults come back through failVerification.
   */
  constructor(db: Db, options: { projector?: Projector; checkpointKey?: Buffer } = {}) {
    super();
    this.#log = new EventLog(db);
    this.#projector = options.projector ?? null;
    this.#checkpoints = options.checkpointKey ? new Checkpoints(db, options.checkpointKey) : null;
    this.#findCommand = db.prepare<[string], { fingerprint: string; answer: string }>(
      'SELECT fingerprint, answer FROM commands WHERE command_id = ?',
    );
    this.#saveCommand = db.prepare('INSERT INTO commands (command_id, fingerprint, answer) VALUES (?, ?, ?)');
    const replayFaults: string[] = [];
    const unreplayable = new Set<string>();
    const rebuild = this.#projector?.stale() ? this.#projector : null;
    // A rebuild of the read models needs the world after every event: the whole log.
    const found = this.#checkpoints && !rebuild ? this.#checkpoints.read() : null;
    const checkpoint = found && !('ignored' in found) ? found : null;
    if (checkpoint) {
      this.#registry = checkpoint.registry;
      for (const [id, sitting] of checkpoint.sittings) this.#sittings.set(id, sitting);
      for (const [room, onAir] of checkpoint.onAir) this.#onAir.set(room, onAir);
      for (const [stream, head] of checkpoint.heads) this.#heads.set(stream, head);
    }
    const from = checkpoint && {
      afterId: checkpoint.eventId,
      cursors: new Map([...checkpoint.heads].map(([stream, head]) => [stream, new ChainCursor(stream, head.seq, head.hash)])),
    };
    // Each event with the world as it stood after it, for a rebuild of the read models after
    // the scan (the projector writes, which the scan's open read cursor forbids).
    const replayed: { event: LogEntry; world: World }[] = [];
    let count = 0;
    const { faults, cursors } = this.#log.scan((e) => {
      count += 1;
      if (unreplayable.has(e.stream)) return;
      try {
        const { world, install } = this.#fold([e]);
        install();
        if (rebuild) replayed.push({ event: e, world });
      } catch (err) {
        // An event the rules cannot fold (only a damaged log has one): the stream stops there.
        unreplayable.add(e.stream);
        replayFaults.push(`${err instanceof Error ? err.message : String(err)} [stream:${e.stream}, seq:${e.seq}]`);
      }
    }, from ?? undefined);
    this.#verified = cursors;
    this.#faults = [...faults.map(describeFault), ...replayFaults];
    this.startReport = {
      checkpoint: checkpoint ? 'used' : found ? 'ignored' : 'none',
      ignored: found && 'ignored' in found ? found.ignored : null,
      replayed: count,
    };
    if (rebuild && !this.readOnly) {
      this.#log.transaction(() => {
        rebuild.reset();
        for (const { event, world } of replayed) rebuild.project([event], world);
        rebuild.rebuilt();
      });
    }
    if (!checkpoint || count > 0) this.checkpoint();
  }

  /** Why the record is read-only: the faults found at start-up or by the background verification; empty when it is sound. */
  get faults(): readonly string[] {
    return this.#faults;
  }

  /** True when the log failed verification: nothing more is written. */
  get readOnly(): boolean {
    return this.#faults.length > 0;
  }

  /**
   * Faults found after start-up (the background verification of the chains before the
   * checkpoint): the record turns read-only, the public log names them, and the checkpoints are
   * dropped so the next start verifies the whole log again.
   */
  failVerification(faults: ChainFault[]): void {
    if (faults.length === 0) return;
    for (const fault of faults) {
      const cursor = this.#verified.get(fault.stream) ?? new ChainCursor(fault.stream);
      cursor.fault ??= fault;
      this.#verified.set(fault.stream, cursor);
    }
    // The start may have found some already (in the log after the checkpoint): name each once.
    for (const fault of faults.map(describeFault)) if (!this.#faults.includes(fault)) this.#faults.push(fault);
    this.#checkpoints?.clear();
  }

  /**
   * Writes a start-up checkpoint of the world as it stands (only the sittings changed since the
   * last one). Never while read-only: a checkpoint vouches for the chains before it.
   */
  checkpoint(): void {
    if (!this.#checkpoints || this.readOnly) return;
    const changed = [...this.#changed].flatMap((id): [string, SittingState, string][] => {
      const sitting = this.#sittings.get(id);
      return sitting ? [[id, sitting, sittingStream(id)]] : [];
    });
    this.#checkpoints.write({ heads: this.#heads, registry: this.#registry, onAir: this.#onAir }, changed);
    this.#changed.clear();
    this.#sinceCheckpoint = 0;
  }

  /** After a command: at a sitting's close, and every CHECKPOINT_EVERY events. Never fails the command. */
  #checkpointAfter(events: readonly { event: { type: string } }[]): void {
    if (!this.#checkpoints) return;
    this.#sinceCheckpoint += events.length;
    if (this.#sinceCheckpoint < CHECKPOINT_EVERY && !events.some((e) => e.event.type === 'sitting.closed')) return;
    try {
      this.checkpoint();
    } catch (err) {
      this.emit('checkpointFailed', err);
    }
  }

  get world(): World {
    return { registry: this.#registry, sittings: this.#sittings, onAir: this.#onAir };
  }


  /**
   * A check a capability outside the domain adds to commands (e.g. that a restream destination
   * exists); it throws a DomainError to refuse. Runs before decide, after idempotency.
   */
  addCheck(check: (command: Command) => void): void {
    this.#checks.push(check);
  }

  execute(command: Command, ctx: CommandContext): CommandAnswer {
    const started = performance.now();
    let answer: CommandAnswer;
    try {
      answer = this.#execute(command, ctx);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      answer = { ok: false, error: errorBody(err.code, err.context, err.issues) };
    }
    this.emit('executed', command.type, answer.ok ? 'ok' : answer.error.code, (performance.now() - started) / 1000);
    return answer;
  }

  #execute(command: Command, ctx: CommandContext): CommandAnswer {
    if (this.readOnly) throw new DomainError('read-only');
    // The edges refuse lone surrogates already; this keeps the record from ever hashing text
    // that SQLite would store differently (protocol/wellFormed.ts).
    const illFormed = illFormedPath({ command, actor: ctx.actor, at: ctx.at });
    if (illFormed) throw new DomainError('invalid', {}, [{ path: illFormed, message: ILL_FORMED_MESSAGE }]);
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
    for (const check of this.#checks) check(command);
    const decision = decide(command, this.world, ctx.at);
    const meta = { at: ctx.at, actor: ctx.actor, commandId };
    const { answer, next } = this.#log.transaction(() => {
      const chained = this.#log.append(stream, head, decision.events, meta);
      // Evolve (and project) before the commit: a fault in either rolls the transaction back.
      const { world, install: next } = this.#fold(chained);
      this.#projector?.project(chained, world);
      const answer: CommandAnswer = { ok: true, seq: chained.at(-1)?.seq ?? seq, events: chained };
      if (commandId !== null) this.#saveCommand.run(commandId, print, JSON.stringify(answer));
      return { answer, next };
    });
    next();
    if (answer.ok && answer.events.length > 0) {
      this.#checkpointAfter(answer.events);
      this.#notify(stream, answer.events);
    }
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
  #fold(events: LogEntry[]): { world: World; install: () => void } {
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
      for (const [sittingId, s] of next.sittings) {
        this.#sittings.set(sittingId, s);
        this.#changed.add(sittingId);
      }
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

  /** A whole stream, unverified (for tests and tools; the public log pages through logPage). */
  log(stream: string): LogEntry[] {
    return this.#log.readAfter(stream);
  }

  /**
   * A page of a stream's public log and whether its chain verifies on disk: verified once at
   * start-up, then only the events appended since (cached by head), so a read costs what is new.
   */
  logPage(stream: string, after: number, limit: number): LogPage {
    const head = this.#heads.get(stream) ?? null;
    const fault = this.#verify(stream, head);
    const events = this.#log.readAfter(stream, after, Math.min(limit, LOG_PAGE_MAX));
    const last = events.at(-1)?.seq ?? after;
    return { head, verified: fault === null, fault, events, next: head && last < head.seq ? last : null };
  }

  #verify(stream: string, head: { seq: number; hash: string } | null): string | null {
    let cursor = this.#verified.get(stream);
    if (!cursor) this.#verified.set(stream, (cursor = new ChainCursor(stream)));
    if (!cursor.fault) {
      if (cursor.seq !== (head?.seq ?? 0)) for (const e of this.#log.readAfter(stream, cursor.seq)) if (cursor.next(e)) break;
      cursor.end(head ?? undefined);
    }
    return cursor.fault ? describeFault(cursor.fault) : null;
  }
}
