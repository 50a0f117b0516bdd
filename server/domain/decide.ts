// decide(command, world) → the events it causes, or a DomainError. Pure: no I/O, no clock
// (time is stamped on the envelope by the store). Every rule of the brief is checked here.
import type { Command } from '../../protocol/commands.ts';
import { isSitting, type Body } from '../../protocol/model.ts';
import { DomainError } from './errors.ts';
import { REGISTRY_STREAM, roomStream, sittingStream, type DomainEvent, type RosterSnapshot } from '../../protocol/events.ts';
import { decideOnAir } from './onAir.ts';
import { quorum } from './rules.ts';
import { correctedOutcome, correctedTally, presentMembers, reregisteredOutcome, rollCallOutcome, secretOutcome } from './tally.ts';
import { changedDetails, ITEM_DETAILS, SITTING_DETAILS } from '../../protocol/recordCorrections.ts';
import type { Motion, Stage } from '../../protocol/voteTitle.ts';
import {
  currentItem,
  openVote,
  type ClosedSitting,
  type ItemState,
  type LiveSitting,
  type ScheduledSitting,
  type SittingState,
  type VoteState,
  type World,
} from './state.ts';

export interface Decision {
  stream: string;
  events: DomainEvent[];
}

/** The stream a command appends to; `expectedSeq` is checked against its head. */
export function streamOf(command: Command): string {
  switch (command.type) {
    case 'body.upsert':
    case 'room.upsert':
      return REGISTRY_STREAM;
    case 'sitting.create':
      return sittingStream(command.sitting.id);
    case 'overlay.scene':
    case 'overlay.preview':
    case 'overlay.take':
    case 'destination.switch':
      return roomStream(command.room);
    default:
      return sittingStream(command.sittingId);
  }
}

/** A body's roster as a sitting keeps it; a committee borrows the names of its members' factions. */
function rosterOf(body: Body, world: World): RosterSnapshot {
  const used = new Set(body.members.map((m) => m.faction));
  const factions =
    body.factions.length > 0
      ? body.factions
      : [
          ...new Map(
            [...world.registry.bodies.values()].flatMap((b) => b.factions.filter((f) => used.has(f.id)).map((f) => [f.id, f])),
          ).values(),
        ];
  const { convocation, authorityId, katottg } = body;
  // Members who left the body are not in a new sitting's composition (past sittings keep theirs).
  const members = body.members.filter(isSitting);
  return { name: body.name, kind: body.kind, seats: body.seats, head: body.head, factions, members, convocation, authorityId, katottg };
}

function sittingOf(world: World, sittingId: string): SittingState {
  const sitting = world.sittings.get(sittingId);
  if (!sitting) throw new DomainError('not-found', { what: 'sitting', id: sittingId });
  return sitting;
}

/** A sitting that can still change: neither closed nor cancelled. */
function activeSitting(world: World, sittingId: string): ScheduledSitting | LiveSitting {
  const sitting = sittingOf(world, sittingId);
  if (sitting.status === 'closed') throw new DomainError('sitting-closed', { sittingId });
  if (sitting.status === 'cancelled') throw new DomainError('sitting-cancelled', { sittingId });
  return sitting;
}

function liveSitting(world: World, sittingId: string): LiveSitting {
  const sitting = activeSitting(world, sittingId);
  if (sitting.status !== 'live') throw new DomainError('sitting-not-live', { sittingId });
  return sitting;
}

/** A sitting not opened yet, whose details may still change. */
function scheduledSitting(world: World, sittingId: string): ScheduledSitting {
  const sitting = activeSitting(world, sittingId);
  if (sitting.status === 'live') throw new DomainError('sitting-live', { sittingId });
  return sitting;
}

/**
 * A sitting whose record a correction may amend: opened (live or closed). Before it opens its
 * details and agenda change freely (`sitting.update`, `agenda.set`), so there is nothing to correct.
 */
function recordedSitting(world: World, sittingId: string): LiveSitting | ClosedSitting {
  const sitting = sittingOf(world, sittingId);
  if (sitting.status === 'cancelled') throw new DomainError('sitting-cancelled', { sittingId });
  if (sitting.status === 'scheduled') throw new DomainError('sitting-not-live', { sittingId });
  return sitting;
}

function itemOf(sitting: SittingState, itemId: string): ItemState {
  const item = sitting.agenda.find((i) => i.id === itemId);
  if (!item) throw new DomainError('not-found', { what: 'item', id: itemId });
  return item;
}

const motionOf = (command: { stage?: Stage | undefined; subject?: string | undefined }): Motion => ({
  stage: command.stage ?? null,
  subject: command.subject ?? '',
});

function voteOf(sitting: SittingState, voteId: string): VoteState {
  const vote = sitting.votes.find((v) => v.id === voteId);
  if (!vote) throw new DomainError('not-found', { what: 'vote', id: voteId });
  return vote;
}

function assertMember(sitting: SittingState, memberId: string): void {
  if (!sitting.roster.members.some((m) => m.id === memberId)) {
    throw new DomainError('not-a-member', { memberId, sittingId: sitting.id });
  }
}

function assertNoOpenVote(sitting: SittingState): void {
  const open = openVote(sitting);
  if (open) throw new DomainError('vote-open', { voteId: open.id });
}

function one(stream: string, event: DomainEvent): Decision {
  return { stream, events: [event] };
}

/** `at`: the command's server time (ISO 8601), for rules about time such as a break still ahead. */
export function decide(command: Command, world: World, at: string): Decision {
  const stream = streamOf(command);
  switch (command.type) {
    case 'body.upsert':
      return one(stream, { type: 'body.upserted', body: command.body });

    case 'room.upsert':
      return one(stream, { type: 'room.upserted', room: command.room });

    case 'sitting.create': {
      const { agenda, ...sitting } = command.sitting;
      if (world.sittings.has(sitting.id)) throw new DomainError('duplicate-id', { id: sitting.id });
      const body = world.registry.bodies.get(sitting.bodyId);
      if (!body) throw new DomainError('not-found', { what: 'body', id: sitting.bodyId });
      if (!world.registry.rooms.has(sitting.room)) throw new DomainError('not-found', { what: 'room', id: sitting.room });
      return one(stream, { type: 'sitting.created', sitting, agenda, roster: rosterOf(body, world) });
    }

    case 'agenda.set': {
      const sitting = activeSitting(world, command.sittingId);
      // A vote on an item counts as taking it up: replacing the agenda would orphan the vote's itemId.
      const started = sitting.agenda.some((i) => i.status !== 'pending') || sitting.votes.some((v) => v.itemId !== null);
      if (started) throw new DomainError('agenda-started', { sittingId: sitting.id });
      return one(stream, { type: 'agenda.set', agenda: command.agenda });
    }

    case 'sitting.open': {
      const sitting = scheduledSitting(world, command.sittingId);
      for (const other of world.sittings.values()) {
        if (other.status === 'live' && other.room === sitting.room) {
          throw new DomainError('room-busy', { room: sitting.room, liveSittingId: other.id });
        }
      }
      // The roster is fixed at opening, so later changes to the body never alter this sitting.
      const body = world.registry.bodies.get(sitting.bodyId);
      return one(stream, { type: 'sitting.opened', roster: body ? rosterOf(body, world) : sitting.roster });
    }

    case 'attendance.set': {
      const sitting = activeSitting(world, command.sittingId);
      const requested = command.memberIds ?? (command.memberId === undefined ? [] : [command.memberId]);
      for (const id of requested) assertMember(sitting, id);
      const changed = [...new Set(requested)].filter((id) => sitting.present.has(id) !== command.present);
      if (changed.length === 0) return { stream, events: [] };
      const open = openVote(sitting);
      if (open?.ballot === 'secret' && open.tally && !command.present) {
        const present = new Set(sitting.present);
        for (const id of changed) present.delete(id);
        const remaining = presentMembers(sitting.roster, present).length;
        const total = open.tally.for + open.tally.against + open.tally.abstain;
        if (total > remaining) throw new DomainError('tally-exceeds-present', { total, present: remaining });
      }
      return one(stream, { type: 'attendance.changed', memberIds: changed, present: command.present });
    }

    case 'item.start': {
      const sitting = liveSitting(world, command.sittingId);
      // A postponed item is taken up again the same way.
      const item = itemOf(sitting, command.itemId);
      if (item.status === 'done') throw new DomainError('item-done', { itemId: item.id });
      if (item.status === 'current') return { stream, events: [] };
      assertNoOpenVote(sitting);
      const finished = currentItem(sitting)?.id ?? null;
      return one(stream, { type: 'item.started', itemId: item.id, finishedItemId: finished });
    }

    case 'vote.open': {
      const sitting = liveSitting(world, command.sittingId);
      assertNoOpenVote(sitting);
      if (sitting.votes.some((v) => v.id === command.voteId)) throw new DomainError('duplicate-id', { id: command.voteId });
      const itemId = command.itemId === undefined ? (currentItem(sitting)?.id ?? null) : command.itemId;
      const item = itemId === null ? undefined : sitting.agenda.find((i) => i.id === itemId);
      if (itemId !== null && !item) throw new DomainError('not-found', { what: 'item', id: itemId });
      const q = quorum(sitting.roster, sitting.present);
      if (!q.met && !command.force) throw new DomainError('no-quorum', { registered: q.registered, needed: q.needed });
      return one(stream, {
        type: 'vote.opened',
        voteId: command.voteId,
        itemId,
        ...motionOf(command),
        rule: command.rule ?? item?.rule ?? 'majority-of-composition',
        ballot: command.ballot,
        quorum: q,
        forced: !q.met && command.reason ? { reason: command.reason } : null,
      });
    }

    case 'vote.cast': {
      const sitting = liveSitting(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (vote.status !== 'open') throw new DomainError('vote-not-open', { voteId: vote.id });
      if (vote.ballot !== 'roll-call') throw new DomainError('wrong-ballot', { ballot: vote.ballot });
      assertMember(sitting, command.memberId);
      if (!sitting.present.has(command.memberId)) throw new DomainError('not-present', { memberId: command.memberId });
      if (vote.casts[command.memberId] === command.choice) return { stream, events: [] };
      return one(stream, { type: 'vote.cast', voteId: vote.id, memberId: command.memberId, choice: command.choice });
    }

    case 'vote.tally': {
      const sitting = liveSitting(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (vote.status !== 'open') throw new DomainError('vote-not-open', { voteId: vote.id });
      if (vote.ballot !== 'secret') throw new DomainError('wrong-ballot', { ballot: vote.ballot });
      const present = presentMembers(sitting.roster, sitting.present).length;
      const total = command.for + command.against + command.abstain;
      if (total > present) throw new DomainError('tally-exceeds-present', { total, present });
      return one(stream, {
        type: 'vote.tallied',
        voteId: vote.id,
        for: command.for,
        against: command.against,
        abstain: command.abstain,
      });
    }

    case 'vote.close': {
      const sitting = liveSitting(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (vote.status !== 'open') throw new DomainError('vote-not-open', { voteId: vote.id });
      if (vote.ballot === 'secret' && !vote.tally) throw new DomainError('tally-missing', { voteId: vote.id });
      const outcome =
        vote.ballot === 'roll-call'
          ? rollCallOutcome(sitting.roster, sitting.present, vote.rule, vote.casts)
          : secretOutcome(sitting.roster, sitting.present, vote.rule, vote.tally);
      return one(stream, { type: 'vote.closed', voteId: vote.id, outcome });
    }

    case 'vote.correct': {
      // Corrections stay possible after the sitting closes: the minutes can be amended, visibly.
      const sitting = sittingOf(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (vote.status !== 'closed') throw new DomainError('vote-not-closed', { voteId: vote.id });
      if (vote.ballot !== 'roll-call') throw new DomainError('wrong-ballot', { ballot: vote.ballot });
      assertMember(sitting, command.memberId);
      // Not among the choices: a council's mayor who was not registered (outside the composition).
      const from = vote.outcome.choices?.[command.memberId] ?? 'absent';
      const to = command.choice;
      if (from === to) throw new DomainError('no-change', { memberId: command.memberId, choice: to });
      // A choice for a choice keeps who was present; a registration corrected counts the vote again.
      const outcome =
        from !== 'absent' && to !== 'absent'
          ? correctedOutcome(vote.outcome, command.memberId, to)
          : reregisteredOutcome(sitting.roster, vote.rule, vote.outcome, command.memberId, to);
      return one(stream, { type: 'vote.corrected', voteId: vote.id, memberId: command.memberId, from, to, reason: command.reason, outcome });
    }

    case 'sitting.close': {
      const sitting = liveSitting(world, command.sittingId);
      assertNoOpenVote(sitting);
      return one(stream, { type: 'sitting.closed', finishedItemId: currentItem(sitting)?.id ?? null });
    }

    case 'vote.rename': {
      // Like a correction: possible after the close and after the sitting closed, always visible.
      const sitting = sittingOf(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      const to = motionOf(command);
      if (to.stage === vote.motion.stage && to.subject === vote.motion.subject) {
        throw new DomainError('no-change', { voteId: vote.id, subject: to.subject });
      }
      return one(stream, { type: 'vote.renamed', voteId: vote.id, from: vote.motion, to, reason: command.reason });
    }

    case 'agenda.insert': {
      const sitting = activeSitting(world, command.sittingId);
      if (sitting.agenda.some((i) => i.id === command.item.id)) throw new DomainError('duplicate-id', { id: command.item.id });
      const after = command.after === undefined ? (sitting.agenda.at(-1)?.id ?? null) : command.after;
      if (after !== null) itemOf(sitting, after);
      return one(stream, { type: 'agenda.inserted', item: command.item, after });
    }

    case 'agenda.move': {
      const sitting = activeSitting(world, command.sittingId);
      const item = itemOf(sitting, command.itemId);
      if (item.status === 'current' || item.status === 'done') throw new DomainError('item-started', { itemId: item.id });
      if (command.after === item.id) throw new DomainError('invalid', { itemId: item.id, after: command.after });
      if (command.after !== null) itemOf(sitting, command.after);
      const before = sitting.agenda[sitting.agenda.indexOf(item) - 1]?.id ?? null;
      if (before === command.after) return { stream, events: [] };
      return one(stream, { type: 'agenda.moved', itemId: item.id, after: command.after });
    }

    case 'item.postpone': {
      const sitting = liveSitting(world, command.sittingId);
      const item = itemOf(sitting, command.itemId);
      if (item.status === 'done') throw new DomainError('item-done', { itemId: item.id });
      if (item.status === 'postponed') return { stream, events: [] };
      if (item.status === 'current') assertNoOpenVote(sitting);
      return one(stream, { type: 'item.postponed', itemId: item.id });
    }

    case 'sitting.update': {
      const sitting = scheduledSitting(world, command.sittingId);
      const room = command.room ?? sitting.room;
      if (!world.registry.rooms.has(room)) throw new DomainError('not-found', { what: 'room', id: room });
      const details = { title: command.title ?? sitting.title, scheduledAt: command.scheduledAt ?? sitting.scheduledAt, room };
      const same = details.title === sitting.title && details.scheduledAt === sitting.scheduledAt && details.room === sitting.room;
      return same ? { stream, events: [] } : one(stream, { type: 'sitting.updated', ...details });
    }

    case 'sitting.correct': {
      const sitting = recordedSitting(world, command.sittingId);
      const change = changedDetails(SITTING_DETAILS, { title: sitting.title, session: sitting.session ?? null, scheduledAt: sitting.scheduledAt }, command);
      if (Object.keys(change.to).length === 0) throw new DomainError('no-change', { sittingId: sitting.id });
      return one(stream, { type: 'sitting.corrected', ...change, reason: command.reason });
    }

    case 'item.correct': {
      const sitting = recordedSitting(world, command.sittingId);
      const item = itemOf(sitting, command.itemId);
      const change = changedDetails(ITEM_DETAILS, { number: item.number, title: item.title, draftNumber: item.draftNumber, rapporteur: item.rapporteur, documentUrl: item.documentUrl }, command);
      if (Object.keys(change.to).length === 0) throw new DomainError('no-change', { itemId: item.id });
      return one(stream, { type: 'item.corrected', itemId: item.id, ...change, reason: command.reason });
    }

    case 'member.correct': {
      const sitting = recordedSitting(world, command.sittingId);
      const member = sitting.roster.members.find((m) => m.id === command.memberId);
      if (!member) throw new DomainError('not-a-member', { memberId: command.memberId, sittingId: sitting.id });
      if (member.name === command.name) throw new DomainError('no-change', { memberId: member.id });
      return one(stream, { type: 'member.corrected', memberId: member.id, from: member.name, to: command.name, reason: command.reason });
    }

    case 'tally.correct': {
      // Totals only: a secret ballot never gets a member's choice, before or after its close.
      const sitting = sittingOf(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (vote.status !== 'closed') throw new DomainError('vote-not-closed', { voteId: vote.id });
      if (vote.ballot !== 'secret') throw new DomainError('wrong-ballot', { ballot: vote.ballot });
      const to = { for: command.for, against: command.against, abstain: command.abstain };
      const { counts, present } = vote.outcome;
      const total = to.for + to.against + to.abstain;
      if (total > present.length) throw new DomainError('tally-exceeds-present', { total, present: present.length });
      const from = { for: counts.for, against: counts.against, abstain: counts.abstain };
      if (from.for === to.for && from.against === to.against && from.abstain === to.abstain) {
        throw new DomainError('no-change', { voteId: vote.id });
      }
      return one(stream, { type: 'tally.corrected', voteId: vote.id, from, to, reason: command.reason, outcome: correctedTally(vote.outcome, to) });
    }

    case 'vote.move': {
      // Like a rename: open or closed, live or closed sitting; its rule and outcome stay as they are.
      const sitting = recordedSitting(world, command.sittingId);
      const vote = voteOf(sitting, command.voteId);
      if (command.itemId === vote.itemId) throw new DomainError('no-change', { voteId: vote.id });
      if (command.itemId !== null) itemOf(sitting, command.itemId);
      return one(stream, { type: 'vote.moved', voteId: vote.id, from: vote.itemId, to: command.itemId, reason: command.reason });
    }

    case 'sitting.cancel': {
      scheduledSitting(world, command.sittingId);
      return one(stream, { type: 'sitting.cancelled', reason: command.reason });
    }

    case 'overlay.scene':
    case 'overlay.preview':
    case 'overlay.take':
      return one(stream, decideOnAir(command, world, at));

    case 'destination.switch': {
      // Whether the room has that destination is checked outside the domain (the keys' store).
      if (!world.registry.rooms.has(command.room)) throw new DomainError('not-found', { what: 'room', id: command.room });
      return one(stream, { type: 'destination.switched', room: command.room, destinationId: command.destinationId, enabled: command.enabled });
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command [${JSON.stringify(never)}]`);
    }
  }
}
