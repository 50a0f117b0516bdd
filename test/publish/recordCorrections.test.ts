// Slips corrected after the sitting closed, sent by a clerk over the real `/clerk` socket: an
// item's title, the sitting's title and session, a member's misspelt name, a secret ballot's
// totals, a vote opened on the wrong item (vote.move), a deputy wrongly left absent in a closed
// vote (vote.correct from absent). Residents following on `/live` get them; the published page shows the corrected values
// with the originals struck through and the reasons; the CSVs, Popolo and the archive carry the
// corrected values; a restart replays the same record.
import { parse } from 'csv-parse/sync';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer, LogEntry } from '../../protocol/answers.ts';
import type { CommandInput } from '../../protocol/commands.ts';
import type { SittingUpdate } from '../../protocol/socket.ts';
import type { SittingView } from '../../protocol/views.ts';
import { DEMO_SITTING, DEPUTIES } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { notificationsFor } from '../../server/publish/notification.ts';
import { popoloValidators } from './popoloSchemas.ts';

const ITEM_TITLE = 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2028 роки';
const SITTING_TITLE = 'Пленарне засідання 68 сесії VIII скликання';
const NAME = 'Коваленко Олена Петрівна';
const REASON = 'Звірено з оригіналом рішення <№ 5> & протоколом';
const I3_TITLE = 'Про внесення змін до програми компенсації коштів за утеплення житла «Енергодім»';
const MOVED_TITLE = `${I3_TITLE} — за основу`;

let t: TestServer;
let clerk: Socket;
let live: Socket;
let original: SittingView;
const updates: SittingUpdate[] = [];

const send = (command: CommandInput) => new Promise<CommandAnswer>((resolve) => clerk.emit('command', command, resolve));
const connected = (s: Socket) => new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
const get = (path: string) => fetch(`${t.url}${path}`);
const csv = async (path: string) => parse<Record<string, string>>(await (await get(path)).text(), { columns: true, bom: true });

/** Over HTTP: not subject to `/clerk`'s per-socket command rate (a burst of 60, then 20 a second). */
const overHttp = async (command: CommandInput) => (await t.command(command)).answer;

async function sendAll(commands: CommandInput[], via: (command: CommandInput) => Promise<CommandAnswer> = send): Promise<number> {
  let seq = 0;
  for (const command of commands) {
    const answer = await via(command);
    if (!answer.ok) throw new Error(`${command.type} refused: ${JSON.stringify(answer.error)}`);
    seq = answer.seq;
  }
  return seq;
}

/** Resolves when `/live` delivered the update that reached `seq`. */
const delivered = (seq: number) =>
  new Promise<void>((resolve) => {
    const check = () => (updates.some((u) => u.seq >= seq) ? resolve() : live.once('update', check));
    check();
  });

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  clerk = io(`${t.url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: await t.login() } });
  live = io(`${t.url}/live`, { transports: ['websocket'], reconnection: false });
  live.on('update', (u: SittingUpdate) => updates.push(u));
  await Promise.all([connected(clerk), connected(live)]);
  await new Promise((resolve) => live.emit('subscribe', { sittingId: DEMO_SITTING }, resolve));
  const present = ['mayor', ...DEPUTIES.slice(0, 30)];
  // The sitting itself, 60-odd commands at machine speed, over HTTP; the corrections under test over /clerk.
  await sendAll([
    { type: 'sitting.open', sittingId: DEMO_SITTING },
    { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: present, present: true },
    { type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i2' },
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v1', stage: 'whole' },
    ...DEPUTIES.slice(0, 25).map((memberId): CommandInput => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice: 'for' })),
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v2', itemId: null, subject: 'Обрання секретаря ради', ballot: 'secret' },
    { type: 'vote.tally', sittingId: DEMO_SITTING, voteId: 'v2', for: 25, against: 3, abstain: 2 },
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v2' },
    // Opened while item 2 was still current, though the hall voted on item 3.
    { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v3', stage: 'basis' },
    ...DEPUTIES.slice(0, 24).map((memberId): CommandInput => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v3', memberId, choice: 'for' })),
    { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v3' },
    { type: 'sitting.close', sittingId: DEMO_SITTING },
  ], overHttp);
  original = await t.sitting(DEMO_SITTING);
  const seq = await sendAll([
    { type: 'item.correct', sittingId: DEMO_SITTING, itemId: 'i2', title: ITEM_TITLE, reason: REASON },
    { type: 'sitting.correct', sittingId: DEMO_SITTING, title: SITTING_TITLE, session: '68 сесія', reason: REASON },
    { type: 'member.correct', sittingId: DEMO_SITTING, memberId: 'd03', name: NAME, reason: REASON },
    { type: 'tally.correct', sittingId: DEMO_SITTING, voteId: 'v2', for: 20, against: 8, abstain: 2, reason: REASON },
    { type: 'vote.move', sittingId: DEMO_SITTING, voteId: 'v3', itemId: 'i3', reason: REASON },
    // d35 was in the hall and voted «за», but was left unregistered.
    { type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd35', choice: 'for', reason: REASON },
  ]);
  await delivered(seq);
});

afterAll(async () => {
  clerk?.close();
  live?.close();
  await t?.close();
});

describe('corrections after the sitting closed', () => {
  it('are refused with a code when they change nothing, lack a reason or ask for a secret choice, and change nothing then', async () => {
    const before = await t.sitting(DEMO_SITTING);
    const refusals = await Promise.all([
      send({ type: 'item.correct', sittingId: DEMO_SITTING, itemId: 'i2', title: ITEM_TITLE, reason: REASON }),
      send({ type: 'member.correct', sittingId: DEMO_SITTING, memberId: 'd03', name: NAME, reason: '  ' }),
      send({ type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v2', memberId: 'd01', choice: 'for', reason: REASON }),
      send({ type: 'tally.correct', sittingId: DEMO_SITTING, voteId: 'v1', for: 20, against: 0, abstain: 0, reason: REASON }),
      send({ type: 'tally.correct', sittingId: DEMO_SITTING, voteId: 'v2', for: 30, against: 2, abstain: 0, reason: REASON }),
      send({ type: 'vote.move', sittingId: DEMO_SITTING, voteId: 'v3', itemId: 'i3', reason: REASON }),
      send({ type: 'vote.move', sittingId: DEMO_SITTING, voteId: 'v3', itemId: 'i99', reason: REASON }),
      send({ type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'for', reason: REASON }),
      send({ type: 'vote.rename', sittingId: DEMO_SITTING, voteId: 'v3', stage: 'basis', reason: REASON }),
      send({ type: 'vote.move', sittingId: DEMO_SITTING, voteId: 'v3', itemId: 'i4', reason: ' ' }),
    ]);
    expect(refusals.map((a) => !a.ok && a.error.code)).toEqual([
      'no-change',
      'invalid',
      'wrong-ballot',
      'wrong-ballot',
      'tally-exceeds-present',
      'no-change',
      'not-found',
      'no-change',
      'no-change',
      'invalid',
    ]);
    expect(refusals[0]).toMatchObject({ error: { messages: { uk: expect.stringContaining('Нічого не змінюється'), en: expect.stringContaining('Nothing changes') } } });
    expect(await t.sitting(DEMO_SITTING)).toEqual(before);
  });

  it('reach residents on /live and keep the originals in the public log', async () => {
    const types = updates.flatMap((u) => u.events.map((e) => e.event.type));
    expect(types).toEqual(expect.arrayContaining(['item.corrected', 'sitting.corrected', 'member.corrected', 'tally.corrected', 'vote.moved', 'vote.corrected']));
    const log = (await (await get(`/api/sittings/${DEMO_SITTING}/log`)).json()) as { events: { actor: string; event: { type: string; from?: unknown } }[] };
    const item = log.events.find((e) => e.event.type === 'item.corrected')!;
    expect(item).toMatchObject({ actor: 'clerk', event: { from: { title: original.agenda.find((i) => i.id === 'i2')!.title }, reason: REASON } });
  });

  it('show on the published page: corrected values, the originals struck through, the reasons', async () => {
    const page = await (await get(`/sittings/${DEMO_SITTING}/votes`)).text();
    const escapedReason = 'Звірено з оригіналом рішення &lt;№ 5&gt; &amp; протоколом';
    expect(page).toContain(`<h1>Поіменні результати голосування: ${SITTING_TITLE}</h1>`);
    expect(page).toContain('<a href="#record-corrections">Запис засідання виправлено (5)</a>');
    expect(page).toContain('<caption id="record-corrections-caption">Виправлення запису засідання</caption>');
    const table = page.slice(page.indexOf('id="record-corrections"'));
    expect(table).toContain(`<th scope="row">Назва засідання</th>\n<td><del>${original.title}</del></td>\n<td><ins>${SITTING_TITLE}</ins></td>\n<td>${escapedReason}</td>`);
    expect(table).toContain('<th scope="row">Сесія</th>');
    expect(table).toContain('<th scope="row">Назва питання (питання 2)</th>');
    expect(table).toContain(`<td><ins>${ITEM_TITLE.replace(/"/g, '&quot;')}</ins></td>`);
    const misspelt = original.roster.find((m) => m.id === 'd03')!.name;
    expect(table).toContain(`<td><del>${misspelt}</del></td>\n<td><ins>${NAME}</ins></td>`);
    // The moved vote: what moved, from item 2 to item 3, under its new title.
    expect(table).toContain(
      `<th scope="row">Питання порядку денного, до якого віднесено голосування (голосування «${MOVED_TITLE}»)</th>\n<td><del>2</del></td>\n<td><ins>3</ins></td>\n<td>${escapedReason}</td>`,
    );
    // The deputy left absent: counted «за» in the matrix, with «Відсутній» struck through, and in the corrections after the close.
    expect(page).toMatch(/<td class="c-for corrected"><span class="vh">[^<]+<\/span><del>Відсутній<\/del> <ins>За<\/ins>/);
    const d35 = original.roster.find((m) => m.id === 'd35')?.name;
    expect(page).toContain(`<td>${d35}</td>\n<td><del>Відсутній</del></td>\n<td><ins>За</ins></td>\n<td>${escapedReason}</td>`);
    // The matrix names the member as corrected; the secret ballot's totals show both.
    expect(page).toContain(`<tr><th scope="row">${NAME}</th>`);
    expect(page).toContain('<td>Підсумки таємного голосування</td>\n<td><del>за 25, проти 3, утрималися 2</del></td>\n<td><ins>за 20, проти 8, утрималися 2</ins></td>');
    const english = await (await get(`/sittings/${DEMO_SITTING}/votes?lang=en`)).text();
    expect(english).toContain('Corrections to the record of the sitting');
    expect(english).toContain('<th scope="row">Item title (item 2)</th>');
  });

  it('carry the corrected values in the CSVs and Popolo, the amendments in Popolo', async () => {
    const motions = await csv(`/api/sittings/${DEMO_SITTING}/motions.csv`);
    expect(motions.map((m) => [m.uid, m.title, m.legislativeSession, m.votingFor, m.votingAgainst, m.absent, m.votingResult])).toEqual([
      [`${DEMO_SITTING}/v1`, `${ITEM_TITLE} — в цілому`, '68 сесія', '26', '0', '11', 'Прийнято'],
      [`${DEMO_SITTING}/v2`, 'Обрання секретаря ради', '68 сесія', '20', '8', '12', 'Не прийнято'],
      [`${DEMO_SITTING}/v3`, MOVED_TITLE, '68 сесія', '24', '0', '12', 'Прийнято'],
    ]);
    const votings = await csv(`/api/sittings/${DEMO_SITTING}/votings.csv`);
    expect(votings.find((v) => v.motionUid === `${DEMO_SITTING}/v1` && v.voterId === 'd35')).toMatchObject({ result: 'За' });
    expect(votings.find((v) => v.voterId === 'd03')).toMatchObject({ voterName: NAME, motionTitle: `${ITEM_TITLE} — в цілому`, result: 'За' });
    expect(votings.some((v) => v.motionUid === `${DEMO_SITTING}/v2`)).toBe(false);
    const popolo = (await (await get(`/api/sittings/${DEMO_SITTING}/votes.json`)).json()) as {
      sitting: { name: string; '+corrections': { target: string; field: string; from: string; to: string }[] };
      vote_events: { '+count_amendments': { from_counts: { value: number }[]; to_counts: { value: number }[]; reason: string }[]; votes: unknown[] }[];
    };
    expect(popolo.sitting.name).toBe(SITTING_TITLE);
    // Still valid Popolo with our "+" properties added.
    const schemas = popoloValidators();
    expect(schemas.event(popolo.sitting), JSON.stringify(schemas.event.errors)).toBe(true);
    for (const e of popolo.vote_events) expect(schemas.vote_event(e), JSON.stringify(schemas.vote_event.errors)).toBe(true);
    expect(popolo.sitting['+corrections'].map((c) => `${c.target}.${c.field}`)).toEqual(['item.title', 'sitting.title', 'sitting.session', 'member.name', 'vote.item']);
    expect(popolo.vote_events[1]).toMatchObject({ votes: [], '+count_amendments': [{ from_counts: [{ value: 25 }, { value: 3 }, { value: 2 }], to_counts: [{ value: 20 }, { value: 8 }, { value: 2 }], reason: REASON }] });
  });

  it('reach the archive: search, the member’s votes and the yearly open data', async () => {
    const search = (await (await get('/api/search?q=2028')).json()) as { items: { kind: string; voteId: string | null; sittingTitle: string }[] };
    expect(search.items.map((i) => [i.kind, i.voteId, i.sittingTitle])).toEqual(
      expect.arrayContaining([
        ['vote', 'v1', SITTING_TITLE],
        ['item', null, SITTING_TITLE],
      ]),
    );
    const member = (await (await get('/api/deputies/d03')).json()) as { votes: { voteId: string; title: string; sittingTitle: string; counts: unknown }[] };
    expect(member.votes.find((v) => v.voteId === 'v1')).toMatchObject({ title: `${ITEM_TITLE} — в цілому`, sittingTitle: SITTING_TITLE });
    expect(member.votes.find((v) => v.voteId === 'v2')).toMatchObject({ counts: expect.objectContaining({ for: 20, against: 8 }) });
    // The yearly file is written again off the command's path: poll until it holds the correction.
    const year = original.scheduledAt.slice(0, 4);
    await expect.poll(async () => (await csv(`/opendata/council/${year}/motions.csv`)).map((m) => m.title), { timeout: 5000 }).toContain(`${ITEM_TITLE} — в цілому`);
  });

  it('are announced to webhooks with what changed, in both languages', async () => {
    const log = (await (await get(`/api/sittings/${DEMO_SITTING}/log`)).json()) as { events: LogEntry[] };
    const notes = notificationsFor(log.events, await t.sitting(DEMO_SITTING), 'https://rada.example.ua');
    const of = (event: string) => notes.find((n) => n.event === event)!.payload;
    expect(of('item.corrected')).toMatchObject({
      vote: null,
      recordCorrections: [{ target: 'item', id: 'i2', field: 'title', to: ITEM_TITLE, reason: REASON }],
      text: { uk: expect.stringContaining(`Назва питання (питання 2): «`), en: expect.stringContaining('Item title (item 2)') },
    });
    expect(of('member.corrected').recordCorrections).toEqual([expect.objectContaining({ field: 'name', to: NAME })]);
    expect(of('tally.corrected')).toMatchObject({
      vote: { id: 'v2', counts: { for: 20, against: 8 }, result: 'rejected' },
      tallyCorrection: { from: { for: 25, against: 3, abstain: 2 }, to: { for: 20, against: 8, abstain: 2 }, reason: REASON },
      text: { uk: expect.stringContaining('за 25, проти 3, утрималися 2 → за 20, проти 8, утрималися 2') },
    });
    // No member of a secret ballot in it: no member id as a value (a chain hash may hold "d01" by chance).
    expect(JSON.stringify(of('tally.corrected'))).not.toMatch(/"d\d{2}"|memberId/);
    expect(of('vote.moved')).toMatchObject({
      vote: { id: 'v3', item: { id: 'i3', number: '3', title: I3_TITLE } },
      recordCorrections: [{ target: 'vote', id: 'v3', field: 'item', from: '2', to: '3', reason: REASON }],
      text: { uk: expect.stringContaining('Питання порядку денного, до якого віднесено голосування'), en: expect.stringContaining('Agenda item the vote belongs to') },
    });
    expect(of('vote.corrected')).toMatchObject({ correction: { memberId: 'd35', from: 'absent', to: 'for', reason: REASON } });
  });

  it('are replayed as they were after a restart', async () => {
    const before = await t.sitting(DEMO_SITTING);
    clerk.close();
    live.close();
    await t.close({ keepData: true });
    t = await startTestServer({ dataDir: t.dataDir, demo: true });
    const after = await t.sitting(DEMO_SITTING);
    expect({ ...after, recording: undefined }).toEqual({ ...before, recording: undefined });
    expect(after.corrections).toHaveLength(5);
    expect(after.votes.find((v) => v.id === 'v3')).toMatchObject({ itemId: 'i3', title: MOVED_TITLE });
    expect(after.votes.find((v) => v.id === 'v1')?.choices?.d35).toBe('for');
  });
});
