// The console's outbox, apart from any socket: order, one command at a time, holding while
// offline, resending after a lost answer with the same commandId (so a server that dedupes by
// commandId applies each once), waiting out a rate limit.
import { describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../protocol/answers.ts';
import type { CommandInput } from '../../protocol/commands.ts';
import { errorBody } from '../../protocol/errors.ts';
import { CommandQueue, type Answer, type OutgoingCommand, type StoredCommand } from '../../client/console/src/lib/CommandQueue.ts';

const cast = (memberId: string, choice: 'for' | 'against' = 'for'): CommandInput => ({
  type: 'vote.cast',
  sittingId: 's1',
  voteId: 'v1',
  memberId,
  choice,
});

/** A stand-in for the server's idempotent command path: same commandId → first answer. */
class FakeServer {
  readonly applied: string[] = [];
  readonly #answers = new Map<string, Answer>();
  seq = 0;
  apply(command: OutgoingCommand): Answer {
    const earlier = this.#answers.get(command.commandId);
    if (earlier) return earlier;
    this.seq += 1;
    this.applied.push(command.commandId);
    const answer: CommandAnswer = { ok: true, seq: this.seq, events: [] };
    this.#answers.set(command.commandId, answer);
    return answer;
  }
}

/** A stand-in for the device's storage (IndexedDB in the console): what is kept, in order. */
class FakeDevice {
  readonly kept = new Map<string, StoredCommand>();
  readonly persist = {
    save: (entry: StoredCommand) => void this.kept.set(entry.command.commandId, entry),
    remove: (commandId: string) => void this.kept.delete(commandId),
  };
}

function setup(device?: FakeDevice) {
  const server = new FakeServer();
  const sent: OutgoingCommand[] = [];
  const timers: (() => void)[] = [];
  let ids = 0;
  /** What the transport does with the next sends: answer, or apply but lose the answer. */
  const script: ('answer' | 'lose-answer' | 'rate-limited' | 'refuse' | 'unauthorized')[] = [];
  let unauthorized = 0;
  const pendingSends: (() => void)[] = [];
  let manual = false;
  const queue = new CommandQueue({
    newId: () => `c${++ids}`,
    later: (retry) => timers.push(retry),
    onUnauthorized: () => (unauthorized += 1),
    ...(device ? { persist: device.persist } : {}),
    send: (command) => {
      sent.push(command);
      return new Promise<Answer>((resolve, reject) => {
        const run = () => {
          const step = script.shift() ?? 'answer';
          if (step === 'rate-limited') return resolve({ ok: false, error: errorBody('rate-limited') });
          if (step === 'refuse') return resolve({ ok: false, error: errorBody('vote-not-open', { voteId: 'v1' }) });
          if (step === 'unauthorized') return resolve({ ok: false, error: errorBody('unauthorized') });
          const answer = server.apply(command);
          if (step === 'lose-answer') return reject(new Error('link lost'));
          resolve(answer);
        };
        if (manual) pendingSends.push(run);
        else queueMicrotask(run);
      });
    },
  });
  return {
    queue,
    server,
    sent,
    timers,
    script,
    pendingSends,
    manualAnswers: () => (manual = true),
    unauthorized: () => unauthorized,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CommandQueue', () => {
  it('sends in order, one command at a time, each with its own commandId', async () => {
    const { queue, sent, pendingSends, manualAnswers } = setup();
    manualAnswers();
    queue.setOnline(true);
    const answers = [queue.submit(cast('d01'), 'a'), queue.submit(cast('d02'), 'b'), queue.submit(cast('d03'), 'c')];
    expect(sent.map((c) => c.commandId)).toEqual(['c1']);
    expect(queue.entries.map((e) => e.state)).toEqual(['sending', 'waiting', 'waiting']);
    for (let i = 0; i < 3; i += 1) {
      pendingSends.shift()!();
      await settle();
    }
    expect(sent.map((c) => [c.commandId, 'memberId' in c ? c.memberId : null])).toEqual([
      ['c1', 'd01'],
      ['c2', 'd02'],
      ['c3', 'd03'],
    ]);
    expect((await Promise.all(answers)).map((a) => a.ok && a.seq)).toEqual([1, 2, 3]);
    expect(queue.entries).toEqual([]);
  });

  it('holds everything while offline and sends it in order once online', async () => {
    const { queue, sent, server } = setup();
    const answers = ['d01', 'd02', 'd01'].map((m, i) => queue.submit(cast(m, i === 2 ? 'against' : 'for'), `cast:${m}`));
    await settle();
    expect(sent).toEqual([]);
    expect(queue.entries.map((e) => [e.origin, e.state])).toEqual([
      ['cast:d01', 'waiting'],
      ['cast:d02', 'waiting'],
      ['cast:d01', 'waiting'],
    ]);
    queue.setOnline(true);
    await Promise.all(answers);
    expect(server.applied).toEqual(['c1', 'c2', 'c3']);
    expect(sent.map((c) => (c.type === 'vote.cast' ? `${c.memberId}:${c.choice}` : ''))).toEqual(['d01:for', 'd02:for', 'd01:against']);
  });

  it('keeps a command whose answer was lost first, and resends it with the same commandId: applied once', async () => {
    const { queue, sent, server, script } = setup();
    queue.setOnline(true);
    script.push('answer', 'lose-answer');
    const answers = ['d01', 'd02', 'd03'].map((m) => queue.submit(cast(m), m));
    await settle();
    // The second command reached the server but its answer did not come back: the link is down.
    expect(queue.online).toBe(false);
    expect(queue.entries.map((e) => [e.command.commandId, e.state])).toEqual([
      ['c2', 'waiting'],
      ['c3', 'waiting'],
    ]);
    queue.setOnline(true);
    const results = await Promise.all(answers);
    expect(sent.map((c) => c.commandId)).toEqual(['c1', 'c2', 'c2', 'c3']);
    expect(server.applied).toEqual(['c1', 'c2', 'c3']);
    expect(results.map((a) => a.ok && a.seq)).toEqual([1, 2, 3]);
  });

  it('waits after a rate-limited answer and sends the same command again', async () => {
    const { queue, sent, server, script, timers } = setup();
    queue.setOnline(true);
    script.push('rate-limited');
    const answer = queue.submit(cast('d01'), 'x');
    const next = queue.submit(cast('d02'), 'y');
    await settle();
    expect(sent.map((c) => c.commandId)).toEqual(['c1']);
    expect(timers).toHaveLength(1);
    expect(queue.entries.map((e) => e.state)).toEqual(['waiting', 'waiting']);
    timers.shift()!();
    await Promise.all([answer, next]);
    expect(sent.map((c) => c.commandId)).toEqual(['c1', 'c1', 'c2']);
    expect(server.applied).toEqual(['c1', 'c2']);
    await expect(answer).resolves.toMatchObject({ ok: true });
  });

  it('answers a refusal to its caller and goes on with the next command', async () => {
    const { queue, script, server } = setup();
    queue.setOnline(true);
    script.push('refuse');
    const refused = queue.submit(cast('d01'), 'cast:d01');
    const next = queue.submit(cast('d02'), 'cast:d02');
    await expect(refused).resolves.toMatchObject({ ok: false, error: { code: 'vote-not-open' } });
    await expect(next).resolves.toMatchObject({ ok: true });
    expect(server.applied).toEqual(['c2']);
  });

  it('keeps a commandId the caller already gave', async () => {
    const { queue, sent } = setup();
    queue.setOnline(true);
    await queue.submit({ ...cast('d01'), commandId: 'evs-7' }, 'x');
    expect(sent[0]?.commandId).toBe('evs-7');
  });

  it('keeps every waiting command on the device until it is answered', async () => {
    const device = new FakeDevice();
    const { queue } = setup(device);
    queue.restore([]);
    const answers = [queue.submit(cast('d01'), 'a'), queue.submit(cast('d02'), 'b')];
    expect([...device.kept.values()].map((e) => [e.command.commandId, e.origin])).toEqual([
      ['c1', 'a'],
      ['c2', 'b'],
    ]);
    queue.setOnline(true);
    await Promise.all(answers);
    expect(device.kept.size).toBe(0);
  });

  it('after a reload sends the commands kept on the device first, with their commandIds, then the new ones', async () => {
    const device = new FakeDevice();
    const before = setup(device);
    before.queue.restore([]);
    void before.queue.submit(cast('d01'), 'cast:d01');
    void before.queue.submit(cast('d02', 'against'), 'cast:d02');
    // The page is gone (reload, killed browser) before it was ever online.
    const after = setup(device);
    after.queue.setOnline(true);
    const fresh = after.queue.submit({ ...cast('d03'), commandId: 'new-1' }, 'cast:d03');
    await settle();
    expect(after.sent).toEqual([]);
    after.queue.restore([...device.kept.values()]);
    await fresh;
    expect(after.sent.map((c) => [c.commandId, c.type === 'vote.cast' ? `${c.memberId}:${c.choice}` : ''])).toEqual([
      ['c1', 'd01:for'],
      ['c2', 'd02:against'],
      ['new-1', 'd03:for'],
    ]);
    expect(after.server.applied).toEqual(['c1', 'c2', 'new-1']);
    expect(device.kept.size).toBe(0);
  });

  it('on unauthorized keeps the command first and resends it, the same commandId, once back online after a login', async () => {
    const device = new FakeDevice();
    const { queue, sent, server, script, unauthorized } = setup(device);
    queue.restore([]);
    queue.setOnline(true);
    script.push('unauthorized');
    const first = queue.submit(cast('d01'), 'a');
    const second = queue.submit(cast('d02'), 'b');
    await settle();
    expect(unauthorized()).toBe(1);
    expect(queue.online).toBe(false);
    expect(queue.entries.map((e) => [e.command.commandId, e.state])).toEqual([
      ['c1', 'waiting'],
      ['c2', 'waiting'],
    ]);
    expect(device.kept.size).toBe(2);
    queue.setOnline(true);
    await expect(first).resolves.toMatchObject({ ok: true, seq: 1 });
    await expect(second).resolves.toMatchObject({ ok: true, seq: 2 });
    expect(sent.map((c) => c.commandId)).toEqual(['c1', 'c1', 'c2']);
    expect(server.applied).toEqual(['c1', 'c2']);
  });
});
