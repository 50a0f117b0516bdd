// The shapes of the council's world as they cross a boundary: bodies with rosters, rooms,
// agenda items, choices and rules. Accepts the demo fixture exactly as it is (null for empty
// fields, date-times with an offset).
import { z } from 'zod';
import { ID_MAX_LENGTH, ID_PATTERN } from './ids.ts';
import { SCENES } from './onAirState.ts';

/** Identifiers in URLs and logs: short, ASCII, no separators that need escaping. */
export const Id = z.string().min(1).max(ID_MAX_LENGTH).regex(ID_PATTERN, 'letters, digits, "_", "." or "-"');

const Text = (max: number) => z.string().trim().min(1).max(max);
const OptionalText = (max: number) => z.string().trim().max(max).nullish();

export const DateTime = z.iso.datetime({ offset: true });

export const BODY_KINDS = ['council', 'committee', 'executive'] as const;
export const BodyKind = z.enum(BODY_KINDS);
export type BodyKind = z.infer<typeof BodyKind>;

export const MEMBER_ROLES = ['head', 'deputy', 'chair', 'member', 'secretary'] as const;
export const Member = z.object({
  id: Id,
  name: Text(200),
  faction: Id.nullish().transform((f) => f ?? null),
  role: z.enum(MEMBER_ROLES).default('member'),
  /**
   * The day the member left the body (mandate ended): kept on the roster so the body's history
   * stays readable, but not in the composition of sittings created or opened from then on.
   * Past sittings keep the names from their own roster snapshot either way.
   */
  until: z.iso.date().nullish(),
});
export type Member = z.output<typeof Member>;

/** Still a member: counted in new sittings' composition. */
export const isSitting = (m: Pick<Member, 'until'>): boolean => !m.until;

export const Faction = z.object({ id: Id, name: Text(200) });
export type Faction = z.infer<typeof Faction>;

export const Body = z
  .object({
    id: Id,
    kind: BodyKind,
    name: Text(300),
    seats: z.number().int().min(1).max(1000),
    head: Id.nullish().transform((h) => h ?? null),
    factions: z.array(Faction).max(100).nullish().transform((f) => f ?? []),
    members: z.array(Member).min(1).max(1000),
    /** Скликання, e.g. "VIII": the open-data `convocation` of every motion of this body. */
    convocation: OptionalText(50).transform((v) => v || null),
    /** The council's ЄДРПОУ code: the open-data `authorityId`. */
    authorityId: z.string().regex(/^\d{8}$/, '8 digits (ЄДРПОУ)').nullish().transform((v) => v ?? null),
    /** КАТОТТГ code of the hromada: the open-data `authorityCattutc`. */
    katottg: z.string().regex(/^UA\d{17}$/, 'UA and 17 digits (КАТОТТГ)').nullish().transform((v) => v ?? null),
  })
  .superRefine((body, ctx) => {
    const ids = new Set<string>();
    body.members.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `duplicate member id "${m.id}"` });
      ids.add(m.id);
    });
    const factions = new Set(body.factions.map((f) => f.id));
    if (factions.size !== body.factions.length) ctx.addIssue({ code: 'custom', path: ['factions'], message: 'duplicate faction id' });
    // A committee may list no factions of its own: its members' factions are the council's.
    body.members.forEach((m, i) => {
      if (factions.size > 0 && m.faction !== null && !factions.has(m.faction)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'faction'], message: `unknown faction "${m.faction}"` });
      }
    });
    if (body.head !== null && !ids.has(body.head)) {
      ctx.addIssue({ code: 'custom', path: ['head'], message: `head "${body.head}" is not a member` });
    }
    const head = body.members.find((m) => m.id === body.head);
    if (head && !isSitting(head)) ctx.addIssue({ code: 'custom', path: ['head'], message: `head "${head.id}" has left the body` });
    const seated = body.members.filter((m) => isSitting(m) && !(body.kind === 'council' && m.id === body.head)).length;
    if (seated > body.seats) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: `${seated} members for ${body.seats} seats` });
    }
  });
export type Body = z.output<typeof Body>;

export const Room = z.object({ id: Id, name: Text(200) });
export type Room = z.infer<typeof Room>;

export const RULES = ['majority-of-composition', 'two-thirds-of-composition', 'majority-of-present'] as const;
export const Rule = z.enum(RULES);
export type Rule = z.infer<typeof Rule>;

export const BALLOTS = ['roll-call', 'secret'] as const;
export const Ballot = z.enum(BALLOTS);
export type Ballot = z.infer<typeof Ballot>;

/** What a present member can be recorded as; `absent` is derived from attendance, never cast. */
export const CHOICES = ['for', 'against', 'abstain', 'not-voting'] as const;
export const Choice = z.enum(CHOICES);
export type Choice = z.infer<typeof Choice>;
export type MemberChoice = Choice | 'absent';

export const AgendaItem = z.object({
  id: Id,
  number: z.union([z.string().trim().min(1).max(20), z.number().int().nonnegative().transform(String)]),
  title: Text(2000),
  draftNumber: OptionalText(100).transform((v) => v || null),
  rapporteur: OptionalText(300).transform((v) => v || null),
  rule: Rule.nullish().transform((r) => r ?? 'majority-of-composition'),
  /** The draft decision's document: the open-data `textUrl`. */
  documentUrl: z.url({ protocol: /^https?$/ }).max(2000).nullish().transform((v) => v ?? null),
});
export type AgendaItem = z.output<typeof AgendaItem>;

export const Agenda = z
  .array(AgendaItem)
  .max(500)
  .superRefine((items, ctx) => {
    const ids = new Set<string>();
    items.forEach((item, i) => {
      if (ids.has(item.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate item id "${item.id}"` });
      ids.add(item.id);
    });
  });

export const SittingDraft = z.object({
  id: Id,
  bodyId: Id,
  title: Text(500),
  room: Id,
  scheduledAt: DateTime,
  /** Сесія, e.g. "45 сесія": the open-data `legislativeSession`. */
  session: OptionalText(100).transform((v) => v || null),
  agenda: Agenda.nullish().transform((a) => a ?? []),
});
export type SittingDraft = z.output<typeof SittingDraft>;

export { SCENES, DEFAULT_ON_AIR, type OnAir, type OnAirCue } from './onAirState.ts';
export const Scene = z.enum(SCENES);
export type Scene = z.infer<typeof Scene>;
