// The public command API: one discriminated union on `type`, used by POST /api/commands and,
// later, the clerk's socket. Field names are fixed by the API contract (docs/api.md).
import { z } from 'zod';
import { Agenda, AgendaItem, Ballot, Body, Choice, CHOICES, DateTime, Id, Member, Room, Rule, Scene, SittingDraft } from './model.ts';
import { ITEM_DETAILS } from './recordCorrections.ts';
import { Stage } from './voteTitle.ts';

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
/**
 * What a vote is about besides its item: a `stage` from the usual formulas and/or free text in
 * `subject` (an amendment's number for `amendment`). A `subject` alone is the formula as
 * before stages existed.
 */
const motion = {
  stage: Stage.optional(),
  subject: z.string().trim().max(2000).optional(),
};
type MotionInput = { stage?: Stage | undefined; subject?: string | undefined };
const motionGiven = (c: MotionInput): boolean => c.stage !== undefined || (c.subject ?? '') !== '';
const amendmentNumbered = (c: MotionInput): boolean => c.stage !== 'amendment' || (c.subject ?? '') !== '';
const MOTION_GIVEN = { message: 'give a stage or a subject', path: ['subject'] };
const AMENDMENT_NUMBERED = { message: 'an amendment needs its number in subject', path: ['subject'] };

export const VoteOpen = z
  .object({
    type: z.literal('vote.open'),
    sittingId: Id,
    voteId: Id,
    /** Left out: the current item; null: on no item (a procedural vote). */
    itemId: Id.nullable().optional(),
    ...motion,
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
  })
  .refine(motionGiven, MOTION_GIVEN)
  .refine(amendmentNumbered, AMENDMENT_NUMBERED);
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
/**
 * A member's line in a closed roll-call vote as it should have been: another choice, or their
 * registration (`absent` → a choice: registered after all; a choice → `absent`: not registered).
 */
export const VoteCorrect = z.object({
  type: z.literal('vote.correct'),
  sittingId: Id,
  voteId: Id,
  memberId: Id,
  choice: z.enum([...CHOICES, 'absent']),
  reason: Reason,
  ...envelope,
});
export const SittingClose = z.object({ type: z.literal('sitting.close'), sittingId: Id, ...envelope });
/** A vote's subject corrected (open or closed), with a reason; it stays visible as an amendment. */
export const VoteRename = z
  .object({ type: z.literal('vote.rename'), sittingId: Id, voteId: Id, ...motion, reason: Reason, ...envelope })
  .refine(motionGiven, MOTION_GIVEN)
  .refine(amendmentNumbered, AMENDMENT_NUMBERED);
/** An item added during the sitting: after `after` (null: first; left out: last). */
export const AgendaInsert = z.object({
  type: z.literal('agenda.insert'),
  sittingId: Id,
  item: AgendaItem,
  after: Id.nullable().optional(),
  ...envelope,
});
/** An item not yet started put after `after` (null: first). */
export const AgendaMove = z.object({ type: z.literal('agenda.move'), sittingId: Id, itemId: Id, after: Id.nullable(), ...envelope });
/** An item set aside (pending or current); `item.start` takes it up again. */
export const ItemPostpone = z.object({ type: z.literal('item.postpone'), sittingId: Id, itemId: Id, ...envelope });
/** Title, date or room of a sitting that has not opened yet. */
export const SittingUpdate = z
  .object({
    type: z.literal('sitting.update'),
    sittingId: Id,
    title: SittingDraft.shape.title.optional(),
    scheduledAt: DateTime.optional(),
    room: Id.optional(),
    ...envelope,
  })
  .refine((c) => c.title !== undefined || c.scheduledAt !== undefined || c.room !== undefined, {
    message: 'give title, scheduledAt or room',
    path: ['title'],
  });
// — corrections: slips that reached the record, corrected visibly with a reason —
/** An agenda item's details as recorded; any of them, once the item is on the record. */
const ItemDetailsFields = AgendaItem.pick({ number: true, title: true, draftNumber: true, rapporteur: true, documentUrl: true }).partial();
/** The item's number, title, draft number, rapporteur or document as they should have been. */
export const ItemCorrect = z
  .object({ type: z.literal('item.correct'), sittingId: Id, itemId: Id, ...ItemDetailsFields.shape, reason: Reason, ...envelope })
  .refine((c) => ITEM_DETAILS.some((k) => c[k] !== undefined), {
    message: 'give number, title, draftNumber, rapporteur or documentUrl',
    path: ['title'],
  });
/** A sitting's title, session or date after it opened (before that, `sitting.update`). */
export const SittingCorrect = z
  .object({
    type: z.literal('sitting.correct'),
    sittingId: Id,
    title: SittingDraft.shape.title.optional(),
    session: SittingDraft.shape.session.optional(),
    scheduledAt: DateTime.optional(),
    reason: Reason,
    ...envelope,
  })
  .refine((c) => c.title !== undefined || c.session !== undefined || c.scheduledAt !== undefined, {
    message: 'give title, session or scheduledAt',
    path: ['title'],
  });
/** A member's name as this sitting's record shows it (its roster is fixed at opening). */
export const MemberCorrect = z.object({
  type: z.literal('member.correct'),
  sittingId: Id,
  memberId: Id,
  name: Member.shape.name,
  reason: Reason,
  ...envelope,
});
/** A closed secret ballot's totals as the counting commission gave them; never a member's choice. */
export const TallyCorrect = z.object({
  type: z.literal('tally.correct'),
  sittingId: Id,
  voteId: Id,
  for: Count,
  against: Count,
  abstain: Count,
  reason: Reason,
  ...envelope,
});

/** A vote (open or closed) put on the agenda item it was really taken on (null: on no item). */
export const VoteMove = z.object({ type: z.literal('vote.move'), sittingId: Id, voteId: Id, itemId: Id.nullable(), reason: Reason, ...envelope });

/** A scheduled sitting that will not be held. */
export const SittingCancel = z.object({ type: z.literal('sitting.cancel'), sittingId: Id, reason: Reason, ...envelope });
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
/** Cues a scene on the room's preview bus; nothing on air changes until `overlay.take`. */
export const OverlayPreview = z.object({
  type: z.literal('overlay.preview'),
  room: Id,
  scene: Scene,
  breakText: z.string().trim().max(300).nullish(),
  breakUntil: DateTime.nullish(),
  ...envelope,
});
/** Puts the cued scene on air; what was on air becomes the preview (a second take goes back). */
export const OverlayTake = z.object({ type: z.literal('overlay.take'), room: Id, ...envelope });

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
  VoteRename,
  AgendaInsert,
  AgendaMove,
  ItemPostpone,
  SittingUpdate,
  SittingCancel,
  ItemCorrect,
  SittingCorrect,
  MemberCorrect,
  TallyCorrect,
  VoteMove,
  OverlayScene,
  OverlayPreview,
  OverlayTake,
  DestinationSwitch,
]);
/** A command as a client writes it (defaults may be left out). */
export type CommandInput = z.input<typeof Command>;
/** A command after validation: defaults filled in, trusted by the domain. */
export type Command = z.output<typeof Command>;
