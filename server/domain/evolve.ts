// evolve(state, event) → state: how each fact changes the record. Pure and total; the only
// place state changes. Unknown combinations cannot happen because `decide` emitted the event.
import type { DomainEvent, RecordedEvent } from './events.ts';
import { REGISTRY_STREAM, sittingIdOf } from './events.ts';
import type { ClosedVote, ItemState, Registry, SittingState, VoteState, World } from './state.ts';

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

function updateVote(sitting: SittingState, voteId: string, change: (vote: VoteState) => VoteState): VoteState[] {
  return sitting.votes.map((v) => (v.id === voteId ? change(v) : v));
}

function asClosed(vote: VoteState): ClosedVote {
  if (vote.status !== 'closed') throw new Error(`vote is not closed [voteId:${vote.id}]`);
  return vote;
}

function evolveSitting(sitting: SittingState | undefined, recorded: RecordedEvent): SittingState {
  const { event, at, actor } = recorded;
  if (event.type === 'sitting.created') {
    return {
      ...event.sitting,
      status: 'scheduled',
      roster: event.roster,
      agenda: event.agenda.map((item) => ({ ...item, status: 'pending', startedAt: null })),
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
    case 'item.started':
      return { ...sitting, agenda: withItemStatus(sitting.agenda, at, event.itemId, event.finishedItemId) };
    case 'vote.opened':
      return {
        ...sitting,
        votes: [
          ...sitting.votes,
          {
            status: 'open',
            id: event.voteId,
            itemId: event.itemId,
            subject: event.subject,
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
          const { casts: _casts, tally: _tally, status: _status, ...definition } = v as Extract<VoteState, { status: 'open' }>;
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
    case 'sitting.closed': {
      if (sitting.status === 'scheduled') throw new Error(`closing a sitting that never opened [stream:${recorded.stream}]`);
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
    return { ...world, onAir: new Map(world.onAir).set(recorded.event.room, recorded.event.onAir) };
  }
  // Restream switches act on the destinations' store (server/media/restream), not on this state.
  if (recorded.event.type === 'destination.switched') return world;
  const id = sittingIdOf(recorded.stream);
  if (id === null) throw new Error(`event on an unknown stream [stream:${recorded.stream}, seq:${recorded.seq}]`);
  const next = evolveSitting(world.sittings.get(id), recorded);
  return { ...world, sittings: new Map(world.sittings).set(id, next) };
}
