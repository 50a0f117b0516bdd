// A secret ballot leaves no per-member choice anywhere: not in the public view, not in the log,
// and not in the bytes of the database file (or its write-ahead log) on disk.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../protocol/answers.ts';
import type { CommandInput } from '../../protocol/commands.ts';
import { CHOICES } from '../../protocol/model.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

const MEMBERS = ['mayor', ...DEPUTIES];
const PRESENT = ['mayor', ...DEPUTIES.slice(0, 30)];

/** The bytes of the database file and, while it exists, its write-ahead log. */
function databaseBytes(dataDir: string): Buffer {
  const files = ['radacast.db', 'radacast.db-wal'].map((f) => join(dataDir, f)).filter(existsSync);
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

/** The JSON object starting at `start` (ids and choices hold no braces, and strings here hold none either). */
function objectAt(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < Math.min(text.length, start + 16_384); i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start, start + 16_384);
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/**
 * Every trace of a per-member choice for `voteId` in raw bytes, in the forms the record writes
 * them: a cast event ({"voteId":…,"memberId":…,"choice":…}) and a choices map in the outcome
 * of a closed or corrected vote.
 */
function choiceTraces(bytes: Buffer, voteId: string): string[] {
  const text = bytes.toString('latin1');
  const casts = occurrences(text, `"voteId":"${voteId}","memberId":"`).map((i) => text.slice(i, i + 80));
  const outcomes = occurrences(text, `"voteId":"${voteId}",`)
    .map((i) => text.indexOf('"outcome":{', i))
    .filter((i) => i !== -1)
    .map((i) => objectAt(text, i + '"outcome":'.length))
    .filter((outcome) => outcome.includes('"choices"'));
  return [...casts, ...outcomes];
}

/** A member's id next to a choice, as a choices map would hold it, anywhere in the bytes. */
function memberChoicePairs(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  return MEMBERS.flatMap((m) => CHOICES.map((c) => `"${m}":"${c}"`)).filter((pair) => text.includes(pair));
}

async function run(server: TestServer, commands: CommandInput[]): Promise<void> {
  for (const command of commands) {
    const { answer } = await server.command(command);
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  }
}

describe('secret ballot', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    if (server && !server.server.closed) await server.close();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
    server = undefined;
  });

  it('the search finds the choices of a roll-call vote in the file (control)', async () => {
    server = await startTestServer({ demo: true });
    await run(server, [
      ...liveVoteCommands({ present: PRESENT, voteId: 'open-vote' }),
      { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'open-vote', memberId: 'd01', choice: 'for' },
      { type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'open-vote', memberId: 'd02', choice: 'against' },
      { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'open-vote' },
    ]);
    await server.close({ keepData: true });
    const bytes = databaseBytes(server.dataDir);
    const traces = choiceTraces(bytes, 'open-vote');
    expect(traces.some((t) => t.startsWith('"voteId":"open-vote","memberId":"d01"'))).toBe(true);
    expect(traces.some((t) => t.includes('"choices"') && t.includes('"d02":"against"'))).toBe(true);
    expect(memberChoicePairs(bytes)).toEqual(expect.arrayContaining(['"d01":"for"', '"d02":"against"', '"d03":"not-voting"']));
  });

  it('stores, shows and publishes totals only', async () => {
    server = await startTestServer({ demo: true });
    await run(server, liveVoteCommands({ present: PRESENT, voteId: 'elect-secretary', ballot: 'secret' }));

    // A per-member choice entered by mistake is refused and leaves nothing behind.
    const cast = await server.command({
      type: 'vote.cast',
      sittingId: DEMO_SITTING,
      voteId: 'elect-secretary',
      memberId: 'd01',
      choice: 'for',
      commandId: 'mistaken-cast',
    });
    expect(cast.status).toBe(409);
    expect(cast.answer).toMatchObject({ ok: false, error: { code: 'wrong-ballot' } });

    await run(server, [
      { type: 'vote.tally', sittingId: DEMO_SITTING, voteId: 'elect-secretary', for: 20, against: 7, abstain: 2 },
      { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'elect-secretary' },
    ]);
    const correct = await server.command({
      type: 'vote.correct',
      sittingId: DEMO_SITTING,
      voteId: 'elect-secretary',
      memberId: 'd01',
      choice: 'against',
      reason: 'помилка секретаря',
    });
    expect(correct.answer).toMatchObject({ ok: false, error: { code: 'wrong-ballot' } });

    const view = await server.sitting(DEMO_SITTING);
    const vote = view.votes.find((v) => v.id === 'elect-secretary');
    expect(vote).toMatchObject({
      ballot: 'secret',
      status: 'closed',
      composition: 43,
      required: 22,
      counts: { for: 20, against: 7, abstain: 2, notVoting: 2, absent: 12 },
      result: 'rejected',
    });
    expect(vote).not.toHaveProperty('choices');
    expect(vote).not.toHaveProperty('corrections');

    const log = (await (await fetch(`${server.url}/api/sittings/${DEMO_SITTING}/log`)).json()) as { events: LogEntry[] };
    expect(log.events.map((e) => e.event.type)).not.toContain('vote.cast');

    // On disk while the server runs (the write-ahead log holds the recent pages)…
    const live = databaseBytes(server.dataDir);
    expect(live.includes('elect-secretary')).toBe(true);
    expect(choiceTraces(live, 'elect-secretary')).toEqual([]);
    expect(memberChoicePairs(live)).toEqual([]);
    expect(live.includes('mistaken-cast')).toBe(false);

    // …and after it closed and checkpointed.
    await server.close({ keepData: true });
    const closed = databaseBytes(server.dataDir);
    expect(closed.includes('elect-secretary')).toBe(true);
    expect(choiceTraces(closed, 'elect-secretary')).toEqual([]);
    expect(memberChoicePairs(closed)).toEqual([]);
    expect(closed.toString('latin1')).not.toContain('"vote.cast"');
  });
});
