// Property test: random clerk sessions over the demo council (most commands are refused, that is
// fine) never break the record's invariants — counts add up to N at every moment (pending
// included), a closed vote changes only by a correction or a rename, refusals change nothing, replay equals the live state — in the pure decider and
// in a real CouncilRecord on a temporary SQLite file, reopened from disk.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command, type CommandInput } from '../../protocol/commands.ts';
import { CHOICES, RULES } from '../../protocol/model.ts';
import { STAGES } from '../../protocol/voteTitle.ts';
import type { SittingView, VoteView } from '../../protocol/views.ts';
import { streamOf } from '../../server/domain/decide.ts';
import { DomainError } from '../../server/domain/errors.ts';
import type { DomainEvent, RecordedEvent } from '../../protocol/events.ts';
import { openDatabase } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { ACTOR, AT, COMMITTEE_SITTING, DEPUTIES, DomainRecord, PLENARY, demoSetup } from '../support/givenWhenThen.ts';

const SITTINGS = [PLENARY, COMMITTEE_SITTING];
const MEMBERS = ['mayor', ...DEPUTIES, 'd99'];
const ITEMS = ['i1', 'i2', 'i3', 'i8', 'c1', 'zz', 'x1'];
const VOTES = ['v1', 'v2', 'v3', 'v4', 'v5'];
/** Stands for the sitting's latest vote, resolved when the command runs, so casts find their vote. */
const LAST = '@last';

// Mostly the plenary, sometimes the committee, rarely a sitting that does not exist.
const sittingId = fc.oneof(
  { arbitrary: fc.constant(PLENARY), weight: 20 },
  { arbitrary: fc.constant(COMMITTEE_SITTING), weight: 6 },
  { arbitrary: fc.constant('ghost'), weight: 1 },
);
const memberId = fc.constantFrom(...MEMBERS);
const voteId = fc.constantFrom(...VOTES);
const votedId = fc.oneof({ arbitrary: fc.constant(LAST), weight: 4 }, { arbitrary: voteId, weight: 1 });
const choice = fc.constantFrom(...CHOICES);
const count = fc.nat({ max: 25 });

const command: fc.Arbitrary<CommandInput> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant('sitting.open' as const), sittingId }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('sitting.close' as const), sittingId }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('attendance.set' as const), sittingId, memberId, present: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant('attendance.set' as const), sittingId, memberIds: fc.subarray(MEMBERS, { minLength: 1 }), present: fc.boolean() }),
  },
  // A block of the first k deputies present: reaches the quorum edge (22 of 42) often.
  {
    weight: 4,
    arbitrary: fc.record({ type: fc.constant('attendance.set' as const), sittingId, memberIds: fc.integer({ min: 18, max: 42 }).map((k) => DEPUTIES.slice(0, k)), present: fc.constant(true) }),
  },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('item.start' as const), sittingId, itemId: fc.constantFrom(...ITEMS) }) },
  {
    weight: 8,
    arbitrary: fc
      .record({
        type: fc.constant('vote.open' as const),
        sittingId,
        voteId,
        subject: fc.constant('Голосування'),
        itemId: fc.option(fc.constantFrom(...ITEMS), { freq: 3 }),
        rule: fc.option(fc.constantFrom(...RULES), { freq: 2 }),
        ballot: fc.constantFrom('roll-call' as const, 'roll-call' as const, 'secret' as const),
        force: fc.boolean(),
      })
      .map(({ itemId, rule, force, ...c }): CommandInput => ({
        ...c,
        ...(itemId === null ? {} : { itemId }),
        ...(rule === null ? {} : { rule }),
        ...(force ? { force, reason: 'Реєстрацію підтверджено поіменно' } : {}),
      })),
  },
  { weight: 40, arbitrary: fc.record({ type: fc.constant('vote.cast' as const), sittingId, voteId: votedId, memberId, choice }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('vote.tally' as const), sittingId, voteId: votedId, for: count, against: count, abstain: count }) },
  { weight: 8, arbitrary: fc.record({ type: fc.constant('vote.close' as const), sittingId, voteId: votedId }) },
  {
    weight: 8,
    arbitrary: fc.record({ type: fc.constant('vote.correct' as const), sittingId, voteId: votedId, memberId, choice, reason: fc.constant('Заява депутата') }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('vote.rename' as const),
      sittingId,
      voteId: votedId,
      stage: fc.constantFrom(...STAGES),
      subject: fc.constantFrom('3', 'уточнено'),
      reason: fc.constant('Помилка в назві'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('item.postpone' as const), sittingId, itemId: fc.constantFrom(...ITEMS) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('agenda.move' as const),
      sittingId,
      itemId: fc.constantFrom(...ITEMS),
      after: fc.option(fc.constantFrom(...ITEMS), { freq: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('agenda.insert' as const),
      sittingId,
      item: fc.constant({ id: 'x1', number: '2-1', title: 'Додаткове питання' }),
      after: fc.option(fc.constantFrom(...ITEMS), { freq: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('sitting.update' as const), sittingId, title: fc.constant('Перенесене засідання') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('sitting.cancel' as const), sittingId, reason: fc.constant('Немає кворуму') }) },
);
// Most sessions start with both sittings open and a quorum registered, so that votes get held
// and closed; the rest start cold, where ordering mistakes are refused.
const warmUp: CommandInput[] = [
  { type: 'sitting.open', sittingId: PLENARY },
  { type: 'attendance.set', sittingId: PLENARY, memberIds: DEPUTIES.slice(0, 30), present: true },
  { type: 'sitting.open', sittingId: COMMITTEE_SITTING },
];
const session = fc
  .tuple(fc.nat(3).map((n) => n > 0), fc.array(command, { minLength: 1, maxLength: 100, size: 'max' }))
  .map(([warm, commands]) => (warm ? [...warmUp, ...commands] : commands));

type Step = { ok: true; events: DomainEvent[] } | { ok: false; code: string };

const sum = (v: VoteView): number =>
  v.counts.for + v.counts.against + v.counts.abstain + v.counts.notVoting + v.counts.absent + v.counts.pending;

/** (a) Counts add up to the composition; result and choices agree with the counts. */
function checkVotes(views: Record<string, SittingView>): void {
  for (const sitting of Object.values(views)) {
    for (const vote of sitting.votes) {
      expect(sum(vote), `counts of ${sitting.id}/${vote.id}`).toBe(vote.composition);
      expect(Object.values(vote.counts).every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
      if (vote.status === 'open') expect(vote.result).toBeNull();
      else expect(vote.result).toBe(vote.counts.for >= vote.required ? 'adopted' : 'rejected');
      if (vote.status === 'closed') expect(vote.counts.pending).toBe(0);
      if (vote.ballot === 'secret') {
        expect(vote).not.toHaveProperty('choices');
        continue;
      }
      const choices = Object.values(vote.choices ?? {});
      const of = (c: string) => choices.filter((x) => x === c).length;
      // The demo bodies have no vacant seats, so every seat has a choice.
      expect(choices).toHaveLength(vote.composition);
      expect(vote.counts).toEqual({
        for: of('for'),
        against: of('against'),
        abstain: of('abstain'),
        notVoting: of('not-voting'),
        absent: of('absent'),
        pending: of('pending'),
      });
    }
  }
}

/** (b) A vote closed before a step is unchanged after it, unless the step corrected or renamed it. */
function checkClosedVotes(before: Record<string, SittingView>, after: Record<string, SittingView>, added: RecordedEvent[]): void {
  for (const [id, sitting] of Object.entries(before)) {
    for (const vote of sitting.votes.filter((v) => v.status === 'closed')) {
      const now = after[id]?.votes.find((v) => v.id === vote.id);
      const touched = (type: string) => added.some((r) => r.stream === `sitting/${id}` && r.event.type === type && 'voteId' in r.event && r.event.voteId === vote.id);
      if (touched('vote.renamed')) {
        const { subject: _s, stage: _st, title: _t, renames, ...rest } = now!;
        const { subject: _s0, stage: _st0, title: _t0, renames: renames0, ...rest0 } = vote;
        expect(rest).toEqual(rest0);
        expect(renames).toEqual([...(renames0 ?? []), expect.objectContaining({ at: AT, reason: 'Помилка в назві' })]);
        continue;
      }
      if (!touched('vote.corrected')) {
        expect(now, `closed vote ${id}/${vote.id}`).toEqual(vote);
        continue;
      }
      // A registration corrected (to or from absent) may change the composition and the threshold too.
      const { counts: _c, result: _r, choices: _ch, corrections, composition: _n, required: _q, ...fixed } = now!;
      const { counts: _c0, result: _r0, choices: _ch0, corrections: before0, composition: _n0, required: _q0, ...fixed0 } = vote;
      expect(fixed).toEqual(fixed0);
      expect(corrections).toEqual([...(before0 ?? []), expect.objectContaining({ at: AT })]);
    }
  }
}

/** Runs one command through the pure record, checking (a), (b) and (d). */
function step(record: DomainRecord, input: CommandInput): Step {
  const world = record.world;
  const logLength = record.log.length;
  const before = record.views();
  let result: Step;
  try {
    result = { ok: true, events: record.run(input) };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    result = { ok: false, code: err.code };
  }
  const after = record.views();
  if (!result.ok) {
    // (d) A refusal adds no event and changes nothing.
    expect(record.world).toBe(world);
    expect(record.log).toHaveLength(logLength);
    expect(after).toEqual(before);
  } else {
    expect(record.log).toHaveLength(logLength + result.events.length);
    checkClosedVotes(before, after, record.log.slice(logLength));
  }
  checkVotes(after);
  return result;
}

/** Replaces LAST by the id of the sitting's latest vote (or "v1" when it has none). */
function resolve(record: DomainRecord, input: CommandInput): CommandInput {
  if (!('voteId' in input) || input.voteId !== LAST) return input;
  const votes = record.world.sittings.get(input.sittingId)?.votes ?? [];
  return { ...input, voteId: votes.at(-1)?.id ?? 'v1' };
}

/** Runs a session through the pure record; returns the commands as they ran, and each outcome. */
function pureSession(session: CommandInput[]): { record: DomainRecord; commands: CommandInput[]; steps: Step[] } {
  const record = new DomainRecord().given(...demoSetup());
  const commands: CommandInput[] = [];
  const steps = session.map((input) => {
    const command = resolve(record, input);
    commands.push(command);
    return step(record, command);
  });
  // (c) Replaying every accepted event from the initial world gives the live state.
  expect(record.replayed().views()).toEqual(record.views());
  return { record, commands, steps };
}

describe('invariants under random clerk sessions', () => {
  it('hold in the pure decider', () => {
    // What the sessions reached, so a generator that only produces refusals cannot pass.
    const reached = new Set<string>();
    fc.assert(
      fc.property(session, (generated) => {
        for (const s of pureSession(generated).steps) {
          if (s.ok) for (const e of s.events) reached.add(e.type);
          else reached.add(s.code);
        }
      }),
      { numRuns: 200 },
    );
    for (const type of [
      'sitting.opened',
      'attendance.changed',
      'item.started',
      'vote.opened',
      'vote.cast',
      'vote.tallied',
      'vote.closed',
      'vote.corrected',
      'vote.renamed',
      'item.postponed',
      'agenda.moved',
      'agenda.inserted',
      'sitting.closed',
    ]) {
      expect(reached, `some session reached ${type}`).toContain(type);
    }
    for (const code of ['no-quorum', 'not-present', 'vote-open', 'tally-exceeds-present', 'invalid']) {
      expect(reached, `some session was refused ${code}`).toContain(code);
    }
  });

  it('hold in a CouncilRecord on SQLite, and the reopened database replays to the same views', () => {
    const ctx = { actor: ACTOR, at: AT };
    fc.assert(
      fc.property(session, (generated) => {
        const { record: pure, commands, steps } = pureSession(generated);
        const dir = mkdtempSync(join(tmpdir(), 'radacast-invariants-'));
        const dbs = [openDatabase(dir)];
        try {
          const store = new CouncilRecord(dbs[0]!);
          for (const input of demoSetup()) expect(store.execute(Command.parse(input), ctx).ok).toBe(true);
          commands.forEach((input, i) => {
            const command = Command.parse(input);
            const stream = streamOf(command);
            const head = store.head(stream);
            const answer = store.execute(command, ctx);
            const expected = steps[i]!;
            if (expected.ok) {
              expect(answer.ok && answer.events.map((e) => e.event)).toEqual(expected.events);
            } else {
              // (d) The same refusal, and nothing appended to the durable log.
              expect(answer.ok ? 'accepted' : answer.error.code).toBe(expected.code);
              expect(store.head(stream)).toEqual(head);
            }
          });
          const live = Object.fromEntries(SITTINGS.map((id) => [id, store.sitting(id)!]));
          for (const id of SITTINGS) expect({ ...live[id], headHash: null }).toEqual(pure.sitting(id));
          dbs[0]!.close();

          // (c) for the store: a fresh CouncilRecord replays the file to the same views.
          dbs.push(openDatabase(dir));
          const reopened = new CouncilRecord(dbs[1]!);
          for (const id of SITTINGS) expect(reopened.sitting(id)).toEqual(live[id]);
          expect(reopened.log(`sitting/${PLENARY}`)).toHaveLength(live[PLENARY]!.seq);
        } finally {
          for (const db of dbs) if (db.open) db.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
