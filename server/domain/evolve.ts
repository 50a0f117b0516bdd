// evolve(state, event) → state: how each fact changes the record. Pure and total; the only
// place state changes. Unknown combinations cannot happen because `decide` emitted the event.
import { DEFAULT_ON_AIR } from '../../protocol/model.ts';
import { ITEM_DETAILS, SITTING_DETAILS } from '../../protocol/recordCorrections.ts';
import type { DomainEvent, RecordedEvent } from '../../protocol/events.ts';
import { REGISTRY_STREAM, sittingIdOf } from '../../protocol/events.ts';
import type { ClosedVote, ItemState, RecordCorrection, Registry, SittingState, VoteState, World } from './state.ts';

function evolveRegistry(registry: Registry, event: DomainEvent): Registry {
  switch (event.type) {
    case 'body.upserted':
      return { ...registry, bodies: new Map(registry.bodies).set(event.body.id, event.body) };
    case 'room.upserted':
      return { ...registry, rooms: new Map(registry.rooms).set(event.room.id, event.room) };
    default:
      return registry;
  }
}

function withItemStatus(agenda: ItemState[], at: string, start: string | null, finish: string | null): ItemState[] {
  return agenda.map((item) => {
    if (item.id === start) return { ...item, status: 'current', startedAt: at };
    if (item.id === finish) return { ...item, status: 'done' };
    return item;
  });
}

/** The agenda with `item` placed right after `after` (first when null). */
function placedAfter(agenda: ItemState[], item: ItemState, after: string | null): ItemState[] {
  const rest = agenda.filter((i) => i.id !== item.id);
  const at = after === null ? 0 : rest.findIndex((i) => i.id === after) + 1;
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}

function updateVote(sitting: SittingState, voteId: string, change: (vote: VoteState) => VoteState): VoteState[] {
  return sitting.votes.map((v) => (v.id === voteId ? change(v) : v));
}

function asClosed(vote: VoteState): ClosedVote {
  if (vote.status !== 'closed') throw new Error(`vote is not closed [voteId:${vote.id}]`);
  return vote;
}

/** One correction row per field a `sitting.corrected` or `item.corrected` event changed. */
function detailRows<F extends string>(
  fields: readonly F[],
  from: Partial<Record<F, string | null>>,
  to: Partial<Record<F, string | null>>,
  row: (field: F, values: { from: string | null; to: string | null }) => RecordCorrection,
): RecordCorrection[] {
  return fields.filter((field) => to[field] !== undefined).map((field) => row(field, { from: from[field] ?? null, to: to[field] ?? null }));
}

function evolveSitting(sitting: SittingState | undefined, recorded: RecordedEvent): SittingState {
  const { event, at, actor } = recorded;
  if (event.type === 'sitting.created') {
    return {
      ...event.sitting,
      status: 'scheduled',
      roster: event.roster,
      agenda: event.agenda.map((item) => ({ ...item, status: 'pending', startedAt: null })),
      agendaHistory: [],
      present: new Set(),
      votes: [],
    };
  }
  if (!sitting) throw new Error(`event for a sitting that does not exist [stream:${recorded.stream}, seq:${recorded.seq}]`);
  switch (event.type) {
    case 'agenda.set':
      return { ...sitting, agenda: event.agenda.map((item) => ({ ...item, status: 'pending', startedAt: null })) };
    case 'sitting.opened':
      return { ...sitting, status: 'live', openedAt: at, roster: event.roster };
    case 'attendance.changed': {
      const present = new Set(sitting.present);
      for (const id of event.memberIds) {
        if (event.present) present.add(id);
        else present.delete(id);
      }
      // A member who leaves during an open roll-call vote no longer has a choice in it.
      const votes = event.present
        ? sitting.votes
        : sitting.votes.map((v) => {
            if (v.status !== 'open') return v;
            const casts = { ...v.casts };
            for (const id of event.memberIds) delete casts[id];
            return { ...v, casts };
          });
      return { ...sitting, present, votes };
    }
    case 'item.started': {
      const resumed = sitting.agenda.some((i) => i.id === event.itemId && i.status === 'postponed');
      return {
        ...sitting,
        agenda: withItemStatus(sitting.agenda, at, event.itemId, event.finishedItemId),
        agendaHistory: resumed ? [...sitting.agendaHistory, { at, kind: 'resumed', itemId: event.itemId }] : sitting.agendaHistory,
      };
    }
    case 'agenda.inserted':
      return {
        ...sitting,
        agenda: placedAfter(sitting.agenda, { ...event.item, status: 'pending', startedAt: null }, event.after),
        agendaHistory: [...sitting.agendaHistory, { at, kind: 'inserted', itemId: event.item.id, after: event.after }],
      };
    case 'agenda.moved': {
      const item = sitting.agenda.find((i) => i.id === event.itemId);
      if (!item) throw new Error(`moving an item that does not exist [stream:${recorded.stream}, seq:${recorded.seq}]`);
      return {
        ...sitting,
        agenda: placedAfter(sitting.agenda, item, event.after),
        agendaHistory: [...sitting.agendaHistory, { at, kind: 'moved', itemId: event.itemId, after: event.after }],
      };
    }
    case 'item.postponed':
      return {
        ...sitting,
        agenda: sitting.agenda.map((i) => (i.id === event.itemId ? { ...i, status: 'postponed' } : i)),
        agendaHistory: [...sitting.agendaHistory, { at, kind: 'postponed', itemId: event.itemId }],
      };
    case 'sitting.updated':
      return { ...sitting, title: event.title, scheduledAt: event.scheduledAt, room: event.room };
    case 'sitting.cancelled':
      if (sitting.status !== 'scheduled') throw new Error(`cancelling a sitting that is not scheduled [stream:${recorded.stream}]`);
      return { ...sitting, status: 'cancelled', cancelledAt: at, cancelReason: event.reason };
    case 'vote.opened':
      return {
        ...sitting,
        votes: [
          ...sitting.votes,
          {
            status: 'open',
            id: event.voteId,
            itemId: event.itemId,
            motion: { stage: event.stage ?? null, subject: event.subject },
            renames: [],
            rule: event.rule,
            ballot: event.ballot,
            openedAt: at,
            quorum: event.quorum,
            forced: event.forced,
            casts: {},
            tally: null,
          },
        ],
      };
    case 'vote.cast':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) =>
          v.status === 'open' ? { ...v, casts: { ...v.casts, [event.memberId]: event.choice } } : v,
        ),
      };
    case 'vote.tallied':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) =>
          v.status === 'open' ? { ...v, tally: { for: event.for, against: event.against, abstain: event.abstain } } : v,
        ),
      };
    case 'vote.closed':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) => {
          if (v.status !== 'open') return v;
          const { casts: _casts, tally: _tally, status: _status, ...definition } = v;
          return { ...definition, status: 'closed', closedAt: at, outcome: event.outcome, corrections: [] };
        }),
      };
    case 'vote.corrected':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) => {
          const closed = asClosed(v);
          const correction = { memberId: event.memberId, from: event.from, to: event.to, reason: event.reason, at, actor };
          return { ...closed, outcome: event.outcome, corrections: [...closed.corrections, correction] };
        }),
      };
    case 'vote.renamed':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) => ({
          ...v,
          motion: event.to,
          renames: [...v.renames, { from: event.from, to: event.to, reason: event.reason, at, actor }],
        })),
      };
    case 'sitting.corrected':
      return {
        ...sitting,
        ...event.to,
        corrections: [
          ...(sitting.corrections ?? []),
          ...detailRows(SITTING_DETAILS, event.from, event.to, (field, values) => ({ target: 'sitting', id: null, field, ...values, reason: event.reason, at, actor })),
        ],
      };
    case 'item.corrected':
      return {
        ...sitting,
        agenda: sitting.agenda.map((i) => (i.id === event.itemId ? { ...i, ...event.to } : i)),
        // The votes on the item get its new title: new objects, so no view of the old one is reused.
        votes: sitting.votes.map((v) => (v.itemId === event.itemId ? { ...v } : v)),
        corrections: [
          ...(sitting.corrections ?? []),
          ...detailRows(ITEM_DETAILS, event.from, event.to, (field, values) => ({ target: 'item', id: event.itemId, field, ...values, reason: event.reason, at, actor })),
        ],
      };
    case 'member.corrected':
      return {
        ...sitting,
        roster: { ...sitting.roster, members: sitting.roster.members.map((m) => (m.id === event.memberId ? { ...m, name: event.to } : m)) },
        corrections: [
          ...(sitting.corrections ?? []),
          { target: 'member', id: event.memberId, field: 'name', from: event.from, to: event.to, reason: event.reason, at, actor },
        ],
      };
    case 'tally.corrected':
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) => {
          const closed = asClosed(v);
          const correction = { from: event.from, to: event.to, reason: event.reason, at, actor };
          return { ...closed, outcome: event.outcome, tallyCorrections: [...(closed.tallyCorrections ?? []), correction] };
        }),
      };
    case 'vote.moved': {
      // The record keeps the items' numbers as they were when the vote moved.
      const number = (itemId: string | null) => (itemId === null ? null : (sitting.agenda.find((i) => i.id === itemId)?.number ?? itemId));
      return {
        ...sitting,
        votes: updateVote(sitting, event.voteId, (v) => ({ ...v, itemId: event.to })),
        corrections: [
          ...(sitting.corrections ?? []),
          { target: 'vote', id: event.voteId, field: 'item', from: number(event.from), to: number(event.to), reason: event.reason, at, actor },
        ],
      };
    }
    case 'sitting.closed': {
      if (sitting.status !== 'live') throw new Error(`closing a sitting that never opened [stream:${recorded.stream}]`);
      const agenda = withItemStatus(sitting.agenda, at, null, event.finishedItemId);
      return { ...sitting, status: 'closed', closedAt: at, agenda };
    }
    case 'body.upserted':
    case 'room.upserted':
    case 'onair.changed':
    case 'destination.switched':
      return sitting;
    default: {
      const never: never = event;
      throw new Error(`unknown event [${JSON.stringify(never)}]`);
    }
  }
}

/** Folds one recorded event into the world; only the collection it touches is copied. */
export function evolve(world: World, recorded: RecordedEvent): World {
  if (recorded.stream === REGISTRY_STREAM) {
    return { ...world, registry: evolveRegistry(world.registry, recorded.event) };
  }
  if (recorded.event.type === 'onair.changed') {
    // Events from before the preview bus carry no `preview`: nothing was cued then.
    return { ...world, onAir: new Map(world.onAir).set(recorded.event.room, { ...DEFAULT_ON_AIR, ...recorded.event.onAir }) };
  }
  // Restream switches act on the destinations' store (server/media/restream), not on this state.
  if (recorded.event.type === 'destination.switched') return world;
  const id = sittingIdOf(recorded.stream);
  if (id === null) throw new Error(`event on an unknown stream [stream:${recorded.stream}, seq:${recorded.seq}]`);
  const next = evolveSitting(world.sittings.get(id), recorded);
  return { ...world, sittings: new Map(world.sittings).set(id, next) };
}
