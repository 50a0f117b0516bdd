// GET /api/rooms/:room/overlay.json against a real server: the room's on-air picture as flat
// fields that follow the clerk's commands at once, never cached by a poller, with clear
// refusals for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { itemStart, onAir, registerPresent, run, sittingOpen, voteCast, voteCasts, voteClose, voteOpen } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ demo: true, timeZone: 'Europe/Kyiv' });
});
afterAll(async () => {
  await t.close();
});

async function fields(query = ''): Promise<Record<string, unknown>> {
  const res = await fetch(`${t.url}/api/rooms/plenary/overlay.json${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

describe('GET /api/rooms/:room/overlay.json', () => {
  it('names the room and its sitting, with nothing on air before the sitting opens', async () => {
    expect(await fields()).toMatchObject({
      room: 'plenary',
      roomName: 'Сесійна зала',
      sittingId: DEMO_SITTING,
      council: 'Житомирська міська рада (демонстраційний склад)',
      live: false,
      mode: 'auto',
      scene: 'none',
      title: '',
      for: '',
    });
  });

  it('follows the clerk: agenda caption, live counter, result, then the fixed scenes', async () => {
    await run(t, [sittingOpen(), registerPresent(), itemStart('i8')]);
    expect(await fields()).toMatchObject({ live: true, liveText: 'НАЖИВО', scene: 'agenda', itemNumber: '8', itemText: 'Питання 8' });

    await run(t, [voteOpen('v8', 'i8', 'Про подолання вето міського голови'), ...voteCasts('v8', 20, 3, 1)]);
    const open = await fields();
    // A subject that only repeats the start of the item's title adds no stage to the title.
    const title = 'Про подолання вето міського голови щодо рішення про тарифи на перевезення в міському електротранспорті';
    expect(open).toMatchObject({ scene: 'vote', subject: title, for: 20, against: 3, abstain: 1, required: 29, composition: 43, voteStatus: 'open' });
    expect(open.elapsed).toMatch(/^\d+:\d\d$/);

    // Each cast is visible on the very next poll.
    await run(t, [voteCast('v8', 'd30', 'for')]);
    expect((await fields()).for).toBe(21);

    await run(t, [voteClose('v8')]);
    expect(await fields('?lang=en')).toMatchObject({ scene: 'result', result: 'rejected', resultText: 'NOT ADOPTED', requiredText: '"For" needed: 29 of 43' });

    await run(t, [onAir('attendance')]);
    expect(await fields()).toMatchObject({
      mode: 'attendance',
      scene: 'attendance',
      present: 33,
      seats: 42,
      headPresent: true,
      registrationText: 'Зареєстровано 33 з 42 депутатів + міський голова',
      quorum: 22,
      quorumMet: true,
      quorumText: 'КВОРУМ Є',
    });

    const until = new Date(Date.now() + 2 * 3600_000);
    const resume = until.toLocaleTimeString('uk-UA', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    await run(t, [onAir('break', { breakText: 'Перерва на обід', breakUntil: until.toISOString() })]);
    expect(await fields()).toMatchObject({ scene: 'break', breakText: 'Перерва на обід', breakUntil: resume });
    // A poller pinned to one scene sees it whatever the clerk shows.
    expect(await fields('?scene=result')).toMatchObject({ mode: 'result', scene: 'result', voteId: 'v8' });
  });

  it('refuses a break ending in the past, with both times in the message, changing nothing', async () => {
    const before = t.server.record.onAir('plenary');
    const { status, answer } = await t.command(onAir('break', { breakUntil: '2026-12-01T09:30:00+02:00' }));
    expect(status).toBe(409);
    expect(answer).toMatchObject({ ok: false, error: { code: 'break-in-past', context: { room: 'plenary', breakUntil: '09:30' } } });
    expect(!answer.ok && answer.error.message).toMatch(/^Час кінця перерви \(09:30\) уже минув — зараз \d\d:\d\d\. Вкажіть пізніший час\.$/);
    expect(t.server.record.onAir('plenary')).toEqual(before);
  });

  it('refuses an unknown room, a malformed room and an unknown language, changing nothing', async () => {
    const before = t.server.record.onAir('plenary');
    const unknown = await fetch(`${t.url}/api/rooms/attic/overlay.json`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not-found', messages: { uk: 'Не знайдено «attic».' } } });
    const malformed = await fetch(`${t.url}/api/rooms/${encodeURIComponent('a b')}/overlay.json`);
    expect(malformed.status).toBe(400);
    const lang = await fetch(`${t.url}/api/rooms/plenary/overlay.json?lang=fr`);
    expect(lang.status).toBe(400);
    expect(await lang.json()).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((await fetch(`${t.url}/api/rooms/plenary/overlay.json?scene=fireworks`)).status).toBe(400);
    expect(t.server.record.onAir('plenary')).toEqual(before);
  });
});
