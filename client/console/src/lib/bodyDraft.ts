// A body as the set-up form edits it (strings for the fields, members with a "left on" date)
// and back to what `body.upsert` takes, with every problem the server's own schema would find
// told in the catalogue's words, by field and member number. Pure.
import type { z } from 'zod';
import { Body, isSitting, type BodyKind, type Faction, type MEMBER_ROLES } from '../../../../protocol/model.ts';
import type { ConsoleMessageKey } from '../../../../protocol/messages/console.ts';
import type { BodyView } from '../../../../protocol/views.ts';
import { nextMemberId } from './setupIds.ts';

export type Role = (typeof MEMBER_ROLES)[number];
export type BodyInput = z.input<typeof Body>;

export interface MemberDraft {
  id: string;
  name: string;
  /** '' for none. */
  faction: string;
  role: Role;
  until: string | null;
  /** Already on the saved roster: it can leave the body, but not vanish from it. */
  saved: boolean;
}

export interface BodyDraft {
  id: string;
  kind: BodyKind;
  name: string;
  seats: number | null;
  convocation: string;
  authorityId: string;
  katottg: string;
  /** '' for none. */
  head: string;
  factions: Faction[];
  members: MemberDraft[];
}

export interface Problem {
  key: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

export function draftOf(body: BodyView): BodyDraft {
  return {
    id: body.id,
    kind: body.kind,
    name: body.name,
    seats: body.seats,
    convocation: body.convocation ?? '',
    authorityId: body.authorityId ?? '',
    katottg: body.katottg ?? '',
    head: body.head ?? '',
    factions: body.factions.map((f) => ({ ...f })),
    members: body.members.map((m) => ({ id: m.id, name: m.name, faction: m.faction ?? '', role: m.role, until: m.until ?? null, saved: true })),
  };
}

export function emptyDraft(kind: BodyKind, id: string): BodyDraft {
  return { id, kind, name: '', seats: null, convocation: '', authorityId: '', katottg: '', head: '', factions: [], members: [] };
}

/** Members of a council are deputies (d01…), of other bodies members (m01…), unless taken from the council. */
export function newMember(draft: BodyDraft): MemberDraft {
  const id = nextMemberId(draft.kind === 'council' ? 'd' : 'm', draft.members.map((m) => m.id));
  return { id, name: '', faction: '', role: draft.kind === 'council' ? 'deputy' : 'member', until: null, saved: false };
}

export function toBodyInput(draft: BodyDraft): BodyInput {
  const text = (v: string) => v.trim() || null;
  return {
    id: draft.id.trim(),
    kind: draft.kind,
    name: draft.name.trim(),
    seats: draft.seats ?? 0,
    head: draft.head || null,
    factions: draft.factions.map((f) => ({ id: f.id, name: f.name.trim() })),
    members: draft.members.map((m) => ({
      id: m.id,
      name: m.name.trim(),
      faction: m.faction || null,
      role: draft.head === m.id ? 'head' : m.role === 'head' ? (draft.kind === 'council' ? 'deputy' : 'member') : m.role,
      ...(m.until ? { until: m.until } : {}),
    })),
    convocation: text(draft.convocation),
    authorityId: text(draft.authorityId),
    katottg: text(draft.katottg),
  };
}

const FIELD_KEYS: Partial<Record<string, ConsoleMessageKey>> = {
  id: 'console.setup.problem.id',
  name: 'console.setup.problem.name',
  seats: 'console.setup.problem.seats',
  authorityId: 'console.setup.problem.authorityId',
  katottg: 'console.setup.problem.katottg',
  head: 'console.setup.problem.head',
};

/** The body ready to send, or what is wrong with it. */
export function checkDraft(draft: BodyDraft): { ok: true; body: BodyInput } | { ok: false; problems: Problem[] } {
  const body = toBodyInput(draft);
  const parsed = Body.safeParse(body);
  if (parsed.success) return { ok: true, body };
  const problems = new Map<string, Problem>();
  for (const issue of parsed.error.issues) {
    const [field, index, sub] = issue.path;
    const n = typeof index === 'number' ? index + 1 : 0;
    let problem: Problem;
    if (field === 'members' && n > 0) {
      problem = { key: sub === 'name' ? 'console.setup.problem.memberName' : 'console.setup.problem.member', params: { n } };
    } else if (field === 'members') {
      const seated = draft.members.filter((m) => isSitting(m) && !(draft.kind === 'council' && m.id === draft.head)).length;
      problem = draft.members.length === 0 ? { key: 'console.setup.problem.noMembers' } : { key: 'console.setup.problem.tooMany', params: { seated, seats: draft.seats ?? 0 } };
    } else if (field === 'factions') {
      problem = { key: 'console.setup.problem.faction', params: { n: Math.max(n, 1) } };
    } else {
      const key = FIELD_KEYS[String(field)];
      problem = key ? { key } : { key: 'console.setup.problem.field', params: { field: String(field) } };
    }
    problems.set(`${problem.key}:${JSON.stringify(problem.params ?? {})}`, problem);
  }
  return { ok: false, problems: [...problems.values()] };
}
