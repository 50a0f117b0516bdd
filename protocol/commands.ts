// The public command API: one discriminated union on `type`, used by POST /api/commands and,
// later, the clerk's socket. Field names are fixed by the API contract (docs/api.md).
import { z } from 'zod';
import { Agenda, Ballot, Body, Choice, DateTime, Id, Room, Rule, Scene, SittingDraft } from './model.ts';

/** Fields every command may carry: an idempotency key and optimistic concurrency. */
const envelope = {
  commandId: z.string().min(1).max(128).optional(),
  expectedSeq: z.number().int().nonnegative().optional(),
};

const Reason = z.string().trim().min(3).max(1000);
const Count = z.number().int().min(0).max(10000);

export const BodyUpsert = z.object({ type: z.literal('body.upsert'), body: Body, ...envelope });
export const RoomUpsert = z.object({ type: z.literal('room.upsert'), room: Room, ...envelope });
export const SittingCreate = z.object({ type: z.literal('sitting.create'), sitting: SittingDraft, ...envelope });
export const AgendaSet = z.object({ type: z.literal('agenda.set'), sittingId: Id, agenda: Agenda, ...envelope });
export const SittingOpen = z.object({ type: z.literal('sitting.open'), sittingId: Id, ...envelope });
export const AttendanceSet = z
  .object({
    type: z.literal('attendance.set'),
    sittingId: Id,
    memberId: Id.optional(),
    memberIds: z.array(Id).min(1).max(1000).optional(),
    present: z.boolean(),
    ...envelope,
  })
  .refine((c) => (c.memberId === undefined) !== (c.memberIds === undefined), {
    message: 'give either memberId or memberIds',
    path: ['memberId'],
  });
export const ItemStart = z.object({ type: z.literal('item.start'), sittingId: Id, itemId: Id, ...envelope });
export const VoteOpen = z
  .object({
    type: z.literal('vote.open'),
    sittingId: Id,
    voteId: Id,
    itemId: Id.optional(),
    subject: z.string().trim().min(1).max(2000),
    /** Defaults to the agenda item's rule, else majority of the composition. */
    rule: Rule.optional(),
    ballot: Ballot.default('roll-call'),
    force: z.boolean().optional(),
    reason: Reason.optional(),
    ...envelope,
  })
  .refine((c) => !c.force || c.reason !== undefined, {
    message: 'a forced vote needs a reason',
    path: ['reason'],
  });
export const VoteCast = z.object({
  type: z.literal('vote.cast'),
  sittingId: Id,
  voteId: Id,
  memberId: Id,
  choice: Choice,
  ...envelope,
});
export const VoteTally = z.object({
  type: z.literal('vote.tally'),
  sittingId: Id,
  voteId: Id,
  for: Count,
  against: Count,
  abstain: Count,
  ...envelope,
});
export const VoteClose = z.object({ type: z.literal('vote.close'), sittingId: Id, voteId: Id, ...envelope });
export const VoteCorrect = z.object({
  type: z.literal('vote.correct'),
  sittingId: Id,
  voteId: Id,
  memberId: Id,
  choice: Choice,
  reason: Reason,
  ...envelope,
});
export const SittingClose = z.object({ type: z.literal('sitting.close'), sittingId: Id, ...envelope });
/** On-air control of a room: which scene the overlay shows, with its options. */
export const OverlayScene = z.object({
  type: z.literal('overlay.scene'),
  room: Id,
  scene: Scene,
  breakText: z.string().trim().max(300).nullish(),
  breakUntil: DateTime.nullish(),
  resultHoldSeconds: z.number().int().min(1).max(3600).optional(),
  ...envelope,
});

/** Restream (issue 14): a clerk or admin starts or stops one of the room's destinations; logged on the room's stream. */
export const DestinationSwitch = z.object({
  type: z.literal('destination.switch'),
  room: Id,
  destinationId: Id,
  enabled: z.boolean(),
  ...envelope,
});

export const Command = z.discriminatedUnion('type', [
  BodyUpsert,
  RoomUpsert,
  SittingCreate,
  AgendaSet,
  SittingOpen,
  AttendanceSet,
  ItemStart,
  VoteOpen,
  VoteCast,
  VoteTally,
  VoteClose,
  VoteCorrect,
  SittingClose,
  OverlayScene,
  DestinationSwitch,
]);
/** A command as a client writes it (defaults may be left out). */
export type CommandInput = z.input<typeof Command>;
/** A command after validation: defaults filled in, trusted by the domain. */
export type Command = z.output<typeof Command>;
