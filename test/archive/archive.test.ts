// The archive across three scripted sittings of the demo council: attendance, choices, voting
// with the faction's majority, a correction and a rename after close, corrections of a closed
// sitting's record and secret totals, a secret ballot; search
// over inflected forms; refused queries; a rebuild equal to the live projection; yearly open
// data equal to the per-sitting files.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import { demoCommands } from '../../server/demo/loadDemo.ts';
import { ArchiveProjector } from '../../server/archive/ArchiveProjector.ts';
import { ARCHIVE_TABLES } from '../../server/archive/schema.ts';
import { openDatabase } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { DEPUTIES } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let ts: TestServer;
const item = (id: string, title: string, draftNumber: string) => ({ id, number: '1', title, draftNumber, rapporteur: 'Департамент фінансів' });
const sitting = (id: string, day: string, agendaItem: ReturnType<typeof item>) => ({
  type: 'sitting.create',
  sitting: { id, bodyId: 'council', title: `Засідання ${day}`, room: 'plenary', scheduledAt: `${day}T10:00:00+02:00`, agenda: [agendaItem] },
});
const present = (sittingId: string, memberIds: string[]) => ({ type: 'attendance.set', sittingId, memberIds, present: true });
/** A roll-call vote on the sitting's item where everyone present votes for, except `others`. */
function rollCall(sittingId: string, voteId: string, memberIds: string[], others: Record<string, string>): object[] {
  return [
    { type: 'vote.open', sittingId, voteId, itemId: 'i1', stage: 'basis' },
    ...memberIds.map((memberId) => ({ type: 'vote.cast', sittingId, voteId, memberId, choice: others[memberId] ?? 'for' })),
    { type: 'vote.close', sittingId, voteId },
  ];
}
const without = (...ids: string[]) => DEPUTIES.filter((d) => !ids.includes(d));

const SCRIPT: object[] = [
  ...demoCommands(),
  sitting('s1', '2026-03-05', item('i1', 'Про бюджет міста на 2027 рік', '101/1')),
  sitting('s2', '2026-04-09', item('i1', 'Про внесення змін до бюджетної програми «Енергодім»', '102/4')),
  sitting('s3', '2026-05-14', item('i1', 'Про звіт про виконання бюджету', '103/2')),
  // s1: all deputies but d03; v1 roll-call; v2 a secret ballot.
  { type: 'sitting.open', sittingId: 's1' },
  present('s1', without('d03')),
  { type: 'item.start', sittingId: 's1', itemId: 'i1' },
  ...rollCall('s1', 'v1', without('d03'), { d04: 'against', d15: 'against', d40: 'abstain' }),
  { type: 'vote.open', sittingId: 's1', voteId: 'v2', itemId: 'i1', stage: 'whole', ballot: 'secret' },
  { type: 'vote.tally', sittingId: 's1', voteId: 'v2', for: 30, against: 5, abstain: 3 },
  { type: 'vote.close', sittingId: 's1', voteId: 'v2' },
  { type: 'sitting.close', sittingId: 's1' },
  // s2: d02 registers only after v3; d15 never.
  { type: 'sitting.open', sittingId: 's2' },
  present('s2', without('d02', 'd15')),
  { type: 'item.start', sittingId: 's2', itemId: 'i1' },
  ...rollCall('s2', 'v3', without('d02', 'd15'), { d01: 'abstain' }),
  present('s2', ['d02']),
  ...rollCall('s2', 'v4', without('d15'), { d04: 'against' }),
  { type: 'sitting.close', sittingId: 's2' },
  // after close: d04's choice corrected, v3's subject renamed
  { type: 'vote.correct', sittingId: 's2', voteId: 'v4', memberId: 'd04', choice: 'for', reason: 'Збій пульта, заява депутата' },
  { type: 'vote.rename', sittingId: 's2', voteId: 'v3', stage: 'whole', reason: 'Помилка секретаря' },
  // after close: corrections of s1's record and of its secret ballot's totals
  { type: 'item.correct', sittingId: 's1', itemId: 'i1', draftNumber: '101/2', reason: 'Описка в номері проєкту' },
  { type: 'sitting.correct', sittingId: 's1', title: 'Засідання 2026-03-05 (позачергове)', reason: 'Описка в назві' },
  { type: 'member.correct', sittingId: 's1', memberId: 'd04', name: 'Депутат Четвертий (виправлено)', reason: 'Описка в імені' },
  { type: 'tally.correct', sittingId: 's1', voteId: 'v2', for: 28, against: 7, abstain: 3, reason: 'Протокол лічильної комісії' },
  // s3 stays live: it counts nowhere in the totals.
  { type: 'sitting.open', sittingId: 's3' },
  present('s3', DEPUTIES),
  { type: 'item.start', sittingId: 's3', itemId: 'i1' },
  ...rollCall('s3', 'v5', DEPUTIES, {}),
];

interface Deputy {
  id: string;
  faction: string | null;
  attendance: { sittings: number; attended: number; rate: number | null };
  votes: Record<'total' | 'for' | 'against' | 'abstain' | 'notVoting' | 'absent', number>;
  withFactionMajority: number | null;
}

beforeAll(async () => {
  ts = await startTestServer();
  for (const command of SCRIPT) {
    const { status, answer } = await ts.command(command as CommandInput);
    if (status !== 200) throw new Error(`${JSON.stringify(command).slice(0, 120)} refused: ${JSON.stringify(answer)}`);
  }
});
afterAll(() => ts?.close());

const get = async (path: string) => fetch(`${ts.url}${path}`);
const json = async <T>(path: string): Promise<T> => (await (await get(path)).json()) as T;

describe('deputies across sittings', () => {
  it('counts attendance, choices and voting with the faction as computed by hand', async () => {
    const deputies = await json<Deputy[]>('/api/deputies?body=council');
    const of = (id: string) => deputies.find((d) => d.id === id)!;
    expect(deputies).toHaveLength(43);
    expect(of('d01')).toMatchObject({
      faction: 'ridne-misto',
      attendance: { sittings: 2, attended: 2, rate: 1 },
      votes: { total: 3, for: 2, against: 0, abstain: 1, notVoting: 0, absent: 0 },
      withFactionMajority: 0.6667,
    });
    // registered in s2 after v3: attended, but absent from v3
    expect(of('d02')).toMatchObject({ attendance: { sittings: 2, attended: 2 }, votes: { total: 3, for: 2, absent: 1 }, withFactionMajority: 1 });
    expect(of('d03')).toMatchObject({ attendance: { sittings: 2, attended: 1, rate: 0.5 }, votes: { for: 2, absent: 1 }, withFactionMajority: 1 });
    // the correction after close counts: v4 is "for", not "against"
    expect(of('d04')).toMatchObject({ votes: { total: 3, for: 2, against: 1 }, withFactionMajority: 0.6667 });
    expect(of('d15')).toMatchObject({ attendance: { sittings: 2, attended: 1 }, votes: { against: 1, absent: 2 }, withFactionMajority: 0 });
    expect(of('d40')).toMatchObject({ faction: null, votes: { abstain: 1, for: 2 }, withFactionMajority: null });
    expect(of('mayor').attendance).toEqual({ sittings: 2, attended: 0, rate: 0 });
  });

  it("lists a member's votes newest first: the secret ballot without a choice, the rename and the correction applied", async () => {
    const page = await json<{ votes: { voteId: string; title: string; choice: string | null; ballot: string }[]; sittings: { sittingId: string; attended: boolean }[] }>(
      '/api/deputies/d04',
    );
    expect(page.votes.map((v) => [v.voteId, v.choice])).toEqual([
      ['v5', 'for'],
      ['v4', 'for'],
      ['v3', 'for'],
      ['v2', null],
      ['v1', 'against'],
    ]);
    expect(page.votes.find((v) => v.voteId === 'v3')!.title).toBe('Про внесення змін до бюджетної програми «Енергодім» — в цілому');
    expect(page.sittings.map((s) => s.sittingId)).toEqual(['s3', 's2', 's1']);
    const filtered = await json<{ votes: { voteId: string }[] }>('/api/deputies/d04?from=2026-04-01&to=2026-04-30&q=цілому');
    expect(filtered.votes.map((v) => v.voteId)).toEqual(['v3']);
  });

  it('follows corrections of the record after close: the draft number, the sitting title, the secret totals', async () => {
    const found = await json<{ items: { kind: string; voteId: string | null; sittingTitle: string; draftNumber: string }[] }>('/api/search?q=101%2F2');
    // Each keeps its place in the list (votes when they closed, the item when its sitting was created).
    expect(found.items.map((i) => [i.kind, i.voteId, i.sittingTitle, i.draftNumber])).toEqual([
      ['vote', 'v2', 'Засідання 2026-03-05 (позачергове)', '101/2'],
      ['vote', 'v1', 'Засідання 2026-03-05 (позачергове)', '101/2'],
      ['item', null, 'Засідання 2026-03-05 (позачергове)', '101/2'],
    ]);
    expect((await json<{ items: unknown[] }>('/api/search?q=101%2F1')).items).toEqual([]);
    const page = await json<{ votes: { voteId: string; counts: { for: number; against: number } }[]; sittings: { sittingId: string; title: string }[] }>('/api/deputies/d01');
    expect(page.votes.find((v) => v.voteId === 'v2')!.counts).toMatchObject({ for: 28, against: 7 });
    expect(page.sittings.find((x) => x.sittingId === 's1')!.title).toBe('Засідання 2026-03-05 (позачергове)');
  });

  it('pages through a member\'s votes with a cursor', async () => {
    const db = openDatabase(ts.dataDir);
    try {
      const { ArchiveQueries } = await import('../../server/archive/ArchiveQueries.ts');
      const q = new ArchiveQueries(db);
      const first = q.memberVotes('d01', { limit: 2 });
      const second = q.memberVotes('d01', { limit: 2, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((v) => v.voteId)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1'].slice(0, 4));
    } finally {
      db.close();
    }
  });

  it('renders the pages without JavaScript, with links to the recording and the table', async () => {
    const list = await (await get('/deputies?sort=attendance')).text();
    expect(list).toContain('href="/deputies/d01"');
    expect(list).toContain('зареєстрований у будь-який момент');
    const member = await (await get('/deputies/d04')).text();
    expect(member).toContain('таємне голосування');
    expect(member).toContain('href="/sittings/s2/votes#vote-v4"');
    const english = await (await get('/deputies/d04?lang=en')).text();
    expect(english).toContain('secret ballot');
  });
});

describe('search', () => {
  it('finds inflected forms by their stem', async () => {
    const titles = async (q: string) =>
      (await json<{ items: { kind: string; sittingId: string; title: string }[] }>(`/api/search?q=${encodeURIComponent(q)}`)).items
        .filter((i) => i.kind === 'item')
        .map((i) => i.sittingId);
    expect(await titles('бюджет')).toEqual(['s3', 's2', 's1']);
    expect(await titles('бюджетної')).toEqual(['s2']);
    expect(await titles('БЮДЖЕТУ')).toEqual(['s3', 's2', 's1']);
    expect(await titles('102/4')).toEqual(['s2']);
    expect(await titles('фінансів')).toEqual(['s3', 's2', 's1']);
    const votes = await json<{ items: { kind: string; voteId: string; result: string }[] }>('/api/search?q=цілому');
    expect(votes.items.map((v) => v.voteId)).toEqual(['v3', 'v2']);
  });

  it('answers the empty and a 10 kB query with a clear refusal', async () => {
    for (const q of ['', '   ', 'a'.repeat(10_000)]) {
      const res = await get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; issues: { message: string }[] } };
      expect(body.error.code).toBe('invalid');
      expect(body.error.issues[0]!.message).toMatch(q.length > 100 ? /задовгий.*too long/ : /Введіть слова.*Enter words/);
    }
    const page = await get(`/search?q=${'a'.repeat(10_000)}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Запит задовгий');
  });
});

describe('projections', () => {
  it('rebuilt from the log equal the live ones', async () => {
    const dump = (db: ReturnType<typeof openDatabase>) =>
      Object.fromEntries(ARCHIVE_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all().map((r) => JSON.stringify(r)).sort()]));
    const live = openDatabase(ts.dataDir);
    const before = dump(live);
    live.close();
    await ts.close({ keepData: true });
    const db = openDatabase(ts.dataDir);
    try {
      const projector = new ArchiveProjector(db);
      db.exec('DELETE FROM archive_meta');
      new CouncilRecord(db, { projector });
      expect(projector.stale()).toBe(false);
      expect(dump(db)).toEqual(before);
      // four roll-call votes × the 42 deputies of the composition (the mayor chairs)
      expect(before.archive_choices!.length).toBe(42 * 4);
    } finally {
      db.close();
    }
    ts = await startTestServer({ dataDir: ts.dataDir });
  });
});

describe('open data by year', () => {
  it('lists the files and a catalogue, and the files match the per-sitting CSVs', async () => {
    const catalogue = await json<{ datasets: { title: string; publisher: string; modified: string; format: string; downloadURL: string }[] }>(
      '/opendata/catalog.json',
    );
    expect(catalogue.datasets.map((d) => new URL(d.downloadURL).pathname)).toEqual([
      '/opendata/council/2026/motions.csv',
      '/opendata/council/2026/votings.csv',
    ]);
    expect(catalogue.datasets[0]).toMatchObject({ format: 'CSV', publisher: expect.stringContaining('рада') });
    const index = await (await get('/opendata/')).text();
    expect(index).toContain('href="/opendata/council/2026/votings.csv"');
    for (const file of ['motions', 'votings']) {
      const res = await get(`/opendata/council/2026/${file}.csv`);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const etag = res.headers.get('etag')!;
      expect(res.headers.get('last-modified')).toBeTruthy();
      const yearly = parse<Record<string, string>>(await res.text(), { bom: true, columns: true });
      const perSitting = [];
      for (const s of ['s1', 's2']) {
        perSitting.push(...parse<Record<string, string>>(await (await get(`/api/sittings/${s}/${file}.csv`)).text(), { bom: true, columns: true }));
      }
      expect(yearly).toEqual(perSitting);
      expect(yearly.length).toBe(file === 'motions' ? 4 : 42 * 3);
      const again = await fetch(`${ts.url}/opendata/council/2026/${file}.csv`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
  });
});
