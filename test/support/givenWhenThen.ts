// Given/when/then over the pure decider: a record kept in memory exactly as the store keeps it
// (decide, then evolve each event in a RecordedEvent envelope), with the demo council as the
// usual "given". No I/O besides reading the demo fixture once.
import { expect } from 'vitest';
import { Command, type CommandInput } from '../../protocol/commands.ts';
import type { SittingView, VoteView } from '../../protocol/views.ts';
import { demoCommands } from '../../server/demo/loadDemo.ts';
import { decide } from '../../server/domain/decide.ts';
import { DomainError } from '../../server/domain/errors.ts';
import type { DomainEvent, RecordedEvent } from '../../protocol/events.ts';
import { evolve } from '../../server/domain/evolve.ts';
import { initialWorld, type World } from '../../server/domain/state.ts';
import { sittingView } from '../../server/domain/view.ts';

export const AT = '2026-12-10T10:00:00.000Z';
export const ACTOR = 'test:clerk';
export const PLENARY = 'demo-plenary';
export const COMMITTEE_SITTING = 'budget-1';
/** The demo council's deputies d01…d42 (the mayor is "mayor"). */
export const DEPUTIES = Array.from({ length: 42 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`);
export const COMMITTEE = ['d36', 'd02', 'd23', 'd14', 'd37', 'd28', 'd39'];

/** The first n deputies, e.g. to register a quorum. */
export const deputies = (n: number): string[] => DEPUTIES.slice(0, n);

/** Folds recorded events into a world, as replay at start-up does. */
export function replay(log: readonly RecordedEvent[], world: World = initialWorld()): World {
  return log.reduce(evolve, world);
}

export class DomainRecord {
  world: World = initialWorld();
  readonly log: RecordedEvent[] = [];
  /** Stamped on every event; tests move it to tell moments apart. */
  at = AT;
  readonly #seqs = new Map<string, number>();

  /** Decides and folds one command; a refusal throws its DomainError and changes nothing. */
  run(input: CommandInput): DomainEvent[] {
    const command = Command.parse(input);
    const { stream, events } = decide(command, this.world, this.at);
    for (const event of events) {
      const seq = (this.#seqs.get(stream) ?? 0) + 1;
      this.#seqs.set(stream, seq);
      const recorded: RecordedEvent = { stream, seq, at: this.at, actor: ACTOR, commandId: command.commandId ?? null, event };
      this.log.push(recorded);
      this.world = evolve(this.world, recorded);
    }
    return events;
  }

  given(...inputs: CommandInput[]): this {
    for (const input of inputs) this.run(input);
    return this;
  }

  /** Runs a command that must be refused; asserts the code and that nothing changed. */
  refused(input: CommandInput, code: DomainError['code']): DomainError {
    const world = this.world;
    const logLength = this.log.length;
    const before = this.views();
    let error: unknown;
    try {
      this.run(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect(this.world).toBe(world);
    expect(this.log).toHaveLength(logLength);
    expect(this.views()).toEqual(before);
    return error as DomainError;
  }

  seq(stream: string): number {
    return this.#seqs.get(stream) ?? 0;
  }

  sitting(id: string = PLENARY): SittingView {
    const state = this.world.sittings.get(id);
    if (!state) throw new Error(`no sitting [id:${id}]`);
    return sittingView(state, this.seq(`sitting/${id}`), null);
  }

  vote(voteId: string, sittingId: string = PLENARY): VoteView {
    const vote = this.sitting(sittingId).votes.find((v) => v.id === voteId);
    if (!vote) throw new Error(`no vote [voteId:${voteId}]`);
    return vote;
  }

  /** A second record rebuilt from this one's events alone, as the store does at start-up. */
  replayed(): DomainRecord {
    const copy = new DomainRecord();
    copy.log.push(...this.log);
    copy.world = replay(this.log);
    for (const { stream, seq } of this.log) copy.#seqs.set(stream, seq);
    return copy;
  }

  /** Every sitting's public view, keyed by id. */
  views(): Record<string, SittingView> {
    return Object.fromEntries([...this.world.sittings.keys()].map((id) => [id, this.sitting(id)]));
  }
}

/** The demo council, rooms and plenary sitting, plus a budget-committee sitting in the small hall. */
export function demoSetup(): CommandInput[] {
  return [
    ...demoCommands(),
    {
      type: 'sitting.create',
      sitting: {
        id: COMMITTEE_SITTING,
        bodyId: 'budget-committee',
        title: 'Засідання постійної комісії з питань бюджету',
        room: 'committee-room',
        scheduledAt: '2026-12-08T14:00:00+02:00',
        agenda: [{ id: 'c1', number: 1, title: 'Про проєкт бюджету на 2027 рік' }],
      },
    },
  ];
}

export function demoCouncil(): DomainRecord {
  return new DomainRecord().given(...demoSetup());
}

// ---- command builders for the plenary (or another sitting) ----

export const openSitting = (sittingId = PLENARY): CommandInput => ({ type: 'sitting.open', sittingId });
export const closeSitting = (sittingId = PLENARY): CommandInput => ({ type: 'sitting.close', sittingId });
export const register = (memberIds: string[], sittingId = PLENARY): CommandInput => ({
  type: 'attendance.set',
  sittingId,
  memberIds,
  present: true,
});
export const unregister = (memberIds: string[], sittingId = PLENARY): CommandInput => ({
  type: 'attendance.set',
  sittingId,
  memberIds,
  present: false,
});
export const startItem = (itemId: string, sittingId = PLENARY): CommandInput => ({ type: 'item.start', sittingId, itemId });
export const openVote = (
  voteId: string,
  extra: Partial<Extract<CommandInput, { type: 'vote.open' }>> = {},
  sittingId = PLENARY,
): CommandInput => ({ type: 'vote.open', sittingId, voteId, subject: `Голосування ${voteId}`, ...extra });
export const cast = (
  voteId: string,
  memberId: string,
  choice: 'for' | 'against' | 'abstain' | 'not-voting',
  sittingId = PLENARY,
): CommandInput => ({ type: 'vote.cast', sittingId, voteId, memberId, choice });
/** One vote.cast per member, all with the same choice. */
export const castAll = (
  voteId: string,
  memberIds: string[],
  choice: 'for' | 'against' | 'abstain' | 'not-voting',
  sittingId = PLENARY,
): CommandInput[] => memberIds.map((id) => cast(voteId, id, choice, sittingId));
export const tally = (voteId: string, f: number, a: number, ab: number, sittingId = PLENARY): CommandInput => ({
  type: 'vote.tally',
  sittingId,
  voteId,
  for: f,
  against: a,
  abstain: ab,
});
export const closeVote = (voteId: string, sittingId = PLENARY): CommandInput => ({ type: 'vote.close', sittingId, voteId });
export const correct = (
  voteId: string,
  memberId: string,
  choice: 'for' | 'against' | 'abstain' | 'not-voting' | 'absent',
  reason = 'Депутат заявив про помилку системи',
  sittingId = PLENARY,
): CommandInput => ({ type: 'vote.correct', sittingId, voteId, memberId, choice, reason });

// ---- vote subject, agenda during the sitting, sitting details (issue 11) ----

export const rename = (
  voteId: string,
  stage: Extract<CommandInput, { type: 'vote.rename' }>['stage'],
  subject = '',
  reason = 'Помилка в назві голосування',
  sittingId = PLENARY,
): CommandInput => ({ type: 'vote.rename', sittingId, voteId, ...(stage ? { stage } : {}), subject, reason });
/** A vote put on another agenda item (null: on none). */
export const moveVote = (voteId: string, itemId: string | null, reason = 'Голосування відкрито не на тому питанні', sittingId = PLENARY): CommandInput => ({
  type: 'vote.move',
  sittingId,
  voteId,
  itemId,
  reason,
});
export const insertItem = (itemId: string, after?: string | null, title = `Додаткове питання ${itemId}`, sittingId = PLENARY): CommandInput => ({
  type: 'agenda.insert',
  sittingId,
  item: { id: itemId, number: `д${itemId}`, title },
  ...(after === undefined ? {} : { after }),
});
export const moveItem = (itemId: string, after: string | null, sittingId = PLENARY): CommandInput => ({ type: 'agenda.move', sittingId, itemId, after });
export const postpone = (itemId: string, sittingId = PLENARY): CommandInput => ({ type: 'item.postpone', sittingId, itemId });
export const update = (
  details: { title?: string; scheduledAt?: string; room?: string },
  sittingId = PLENARY,
): CommandInput => ({ type: 'sitting.update', sittingId, ...details });
export const cancel = (reason = 'Засідання перенесено розпорядженням голови', sittingId = PLENARY): CommandInput => ({
  type: 'sitting.cancel',
  sittingId,
  reason,
});

// ---- corrections of the record: sitting details, items, names, secret totals ----

const REASON = 'Описка секретаріату, звірено з оригіналом';
export const correctSitting = (
  details: { title?: string; session?: string | null; scheduledAt?: string },
  reason = REASON,
  sittingId = PLENARY,
): CommandInput => ({ type: 'sitting.correct', sittingId, ...details, reason });
export const correctItem = (
  itemId: string,
  details: { number?: string; title?: string; draftNumber?: string | null; rapporteur?: string | null; documentUrl?: string | null },
  reason = REASON,
  sittingId = PLENARY,
): CommandInput => ({ type: 'item.correct', sittingId, itemId, ...details, reason });
export const correctName = (memberId: string, name: string, reason = REASON, sittingId = PLENARY): CommandInput => ({
  type: 'member.correct',
  sittingId,
  memberId,
  name,
  reason,
});
export const correctTally = (voteId: string, f: number, a: number, ab: number, reason = REASON, sittingId = PLENARY): CommandInput => ({
  type: 'tally.correct',
  sittingId,
  voteId,
  for: f,
  against: a,
  abstain: ab,
  reason,
});
