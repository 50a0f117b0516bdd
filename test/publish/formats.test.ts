// The published formats of a sitting run through the command API: the open-data CSVs parsed
// with a real CSV parser, the Popolo JSON checked against a schema, and the human page — while
// the sitting is live (preliminary) and after its close and a late correction (final).
import { parse } from 'csv-parse/sync';
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClosedVote } from '../../server/domain/state.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { popoloValidators } from './popoloSchemas.ts';
import {
  closeLastVoteAndSitting,
  CORRECTION_REASON,
  DEMO_SITTING,
  LATE_CORRECTION_REASON,
  lateCorrection,
  openingAndFirstVote,
  openLastVote,
  run,
  secretBallot,
  shortVoteThenCorrection,
  TRICKY_SUBJECT,
  voteWithoutMayor,
} from './publishedSitting.ts';

const MOTION_HEADER = [
  'uid', 'date', 'authorityName', 'authorityId', 'convocation', 'legislativeSession', 'num', 'title', 'projectNum',
  'votingFor', 'votingAgainst', 'votingAbstain', 'notVoting', 'absent', 'votingResult', 'textUrl',
  // The two columns regional portals add, after the 16 of the structure.
  'authorityCattutc', 'text',
];
const VOTING_HEADER = ['motionUid', 'voterId', 'voterName', 'motionTitle', 'result'];
const CHOICES_UK = ['За', 'Проти', 'Утримався', 'Не голосував', 'Відсутній'];

interface Fetched {
  status: number;
  type: string;
  bytes: Buffer;
  text: string;
  headers: Headers;
}

interface Snapshot {
  motions: Fetched;
  votings: Fetched;
  json: Fetched;
  page: Fetched;
  pageEn: Fetched;
  headHash: string | null;
}

async function get(url: string): Promise<Fetched> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  // Decoded with the BOM kept, as a CSV parser reading the file would see it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes, text, headers: res.headers };
}

async function snapshot(t: TestServer): Promise<Snapshot> {
  const api = `${t.url}/api/sittings/${DEMO_SITTING}`;
  const [motions, votings, json, page, pageEn] = await Promise.all([
    get(`${api}/motions.csv`),
    get(`${api}/votings.csv`),
    get(`${api}/votes.json`),
    get(`${t.url}/sittings/${DEMO_SITTING}/votes`),
    get(`${t.url}/sittings/${DEMO_SITTING}/votes?lang=en`),
  ]);
  return { motions, votings, json, page, pageEn, headHash: (await t.sitting(DEMO_SITTING)).headHash };
}

/** A conditional GET as curl or wget send it (fetch would add `Cache-Control: no-cache`). */
function conditionalGet(url: string, etag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { 'if-none-match': etag } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const csvRows = (f: Fetched): string[][] => parse(f.text, { bom: true, skip_empty_lines: true });
function csvRecords(f: Fetched): Record<string, string>[] {
  return parse<Record<string, string>>(f.text, { bom: true, columns: true, skip_empty_lines: true });
}

const Option = z.enum(['yes', 'no', 'abstain', 'not voting', 'absent']);
const IsoDateTime = z.iso.datetime({ offset: true });
const PopoloVoteEvent = z.object({
  id: z.string().min(1),
  identifier: z.string().min(1),
  organization_id: z.string().min(1),
  legislative_session_id: z.string().min(1),
  motion: z.object({
    id: z.string().min(1),
    organization_id: z.string().min(1),
    legislative_session_id: z.string().min(1),
    text: z.string().min(1),
    requirement: z.string().min(1),
    result: z.enum(['pass', 'fail']),
    date: IsoDateTime,
  }),
  start_date: IsoDateTime,
  end_date: IsoDateTime,
  result: z.enum(['pass', 'fail']),
  counts: z.array(z.object({ option: Option, value: z.number().int().nonnegative() })).length(5),
  votes: z.array(
    z.object({
      vote_event_id: z.string().min(1),
      voter_id: z.string().min(1),
      voter: z.object({ id: z.string().min(1), name: z.string().min(1) }),
      option: Option,
      party_id: z.string().nullable(),
    }),
  ),
  '+amendments': z.array(
    z.object({
      voter_id: z.string(),
      voter_name: z.string(),
      from_option: Option,
      to_option: Option,
      reason: z.string().min(1),
      date: IsoDateTime,
    }),
  ),
});
const PopoloDocument = z.object({
  sitting: z.object({ id: z.string(), name: z.string().min(1), start_date: IsoDateTime, end_date: IsoDateTime.nullable() }),
  publication: z.enum(['preliminary', 'final']),
  record: z.object({ seq: z.number().int().positive(), head_hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  vote_events: z.array(PopoloVoteEvent),
});
type PopoloDocument = z.infer<typeof PopoloDocument>;

let t: TestServer;
let live: Snapshot;
let final: Snapshot;
let closedVotes: ClosedVote[];

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  await run(t, [...openingAndFirstVote(), ...shortVoteThenCorrection(), ...secretBallot(), ...voteWithoutMayor(), ...openLastVote()]);
  live = await snapshot(t);
  await run(t, [...closeLastVoteAndSitting(), ...lateCorrection()]);
  final = await snapshot(t);
  const state = t.server.record.sittingState(DEMO_SITTING)!;
  closedVotes = state.votes.filter((v): v is ClosedVote => v.status === 'closed');
});

afterAll(async () => {
  await t?.close();
});

describe('motions.csv (open data)', () => {
  it('is UTF-8 with a BOM, with exactly the field names of the open-data structure', () => {
    for (const s of [live, final]) {
      expect(s.motions.status).toBe(200);
      expect(s.motions.type).toBe('text/csv; charset=utf-8');
      expect([...s.motions.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csvRows(s.motions)[0]).toEqual(MOTION_HEADER);
    }
    expect(final.motions.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('has one row per closed vote, the open one left out until it closes', () => {
    expect(csvRecords(live.motions).map((r) => r.uid)).toEqual(['v1', 'v2', 'v3', 'v4'].map((v) => `${DEMO_SITTING}/${v}`));
    expect(csvRecords(final.motions).map((r) => r.uid)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5'].map((v) => `${DEMO_SITTING}/${v}`));
  });

  it("carries the domain's counts and results, corrected values included", () => {
    const rows = csvRecords(final.motions);
    expect(closedVotes).toHaveLength(5);
    closedVotes.forEach((vote, i) => {
      const row = rows[i]!;
      const { counts } = vote.outcome;
      expect([row.votingFor, row.votingAgainst, row.votingAbstain, row.notVoting, row.absent].map(Number)).toEqual([
        counts.for,
        counts.against,
        counts.abstain,
        counts.notVoting,
        counts.absent,
      ]);
      expect(row.votingResult).toBe(vote.outcome.result === 'adopted' ? 'Прийнято' : 'Не прийнято');
      // The council's local time with its offset (Kyiv in December: +02:00), to the second.
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+02:00$/);
      expect(Date.parse(row.date!)).toBe(Math.floor(Date.parse(vote.closedAt) / 1000) * 1000);
    });
    // v2 fell one short at the close; the correction adopted it, and the CSV has the corrected figures.
    expect(csvRecords(live.motions)[1]).toMatchObject({ votingFor: '22', votingAgainst: '8', votingResult: 'Прийнято' });
    // v1: d31's "не голосував" corrected to "за" after the sitting closed.
    expect(csvRecords(live.motions)[0]).toMatchObject({ votingFor: '26', notVoting: '8' });
    expect(rows[0]).toMatchObject({ votingFor: '27', notVoting: '7', absent: '4' });
    expect(rows[3]).toMatchObject({ votingFor: '10', votingAgainst: '28', absent: '4', votingResult: 'Не прийнято' });
  });

  it('fills every column of the structure, column by column, from the body, the sitting and the item', () => {
    const rows = csvRecords(final.motions);
    const item7 = "Про другу чергу безбар'єрного маршруту проєкту «Рух без бар'єрів»";
    expect(rows[1]).toEqual({
      uid: `${DEMO_SITTING}/v2`,
      date: rows[1]!.date,
      authorityName: 'Житомирська міська рада (демонстраційний склад)',
      authorityId: '13576954',
      convocation: 'VIII',
      legislativeSession: '67 сесія',
      num: '7',
      // The item and the stage: the motion a reader understands alone.
      title: `${item7} — ${TRICKY_SUBJECT}`,
      projectNum: '283/6',
      votingFor: '22',
      votingAgainst: '8',
      votingAbstain: '1',
      notVoting: '8',
      absent: '4',
      votingResult: 'Прийнято',
      textUrl: 'https://rada.example.ua/proekty-rishen/283-6.pdf',
      authorityCattutc: 'UA18040470010025566',
      text: TRICKY_SUBJECT,
    });
    expect(rows[2]).toMatchObject({ num: '8', projectNum: '283/7', votingFor: '30', votingAgainst: '5', votingAbstain: '2' });
    // A subject that repeats the item's title adds no stage.
    expect(rows[0]!.title).toBe('Про затвердження порядку денного пленарного засідання');
    expect(rows[0]!.textUrl).toBe('');
  });
});

describe('votings.csv (open data)', () => {
  it('has exactly the field names, a BOM, and one row per member of the composition per roll-call vote', () => {
    expect([...final.votings.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvRows(final.votings)[0]).toEqual(VOTING_HEADER);
    const rows = csvRecords(final.votings);
    const perVote = new Map<string, number>();
    for (const r of rows) perVote.set(r.motionUid!, (perVote.get(r.motionUid!) ?? 0) + 1);
    // The mayor takes part in v1 and v2 (43), not in v4 and v5 after leaving (42).
    expect(Object.fromEntries(perVote)).toEqual({
      [`${DEMO_SITTING}/v1`]: 43,
      [`${DEMO_SITTING}/v2`]: 43,
      [`${DEMO_SITTING}/v4`]: 42,
      [`${DEMO_SITTING}/v5`]: 42,
    });
    for (const vote of closedVotes.filter((v) => v.ballot === 'roll-call')) {
      const ids = rows.filter((r) => r.motionUid === `${DEMO_SITTING}/${vote.id}`).map((r) => r.voterId);
      expect(new Set(ids)).toEqual(new Set(Object.keys(vote.outcome.choices!)));
    }
  });

  it('uses the Ukrainian choice names and adds up to the motions counts', () => {
    const rows = csvRecords(final.votings);
    const motions = csvRecords(final.motions);
    for (const r of rows) expect(CHOICES_UK).toContain(r.result);
    for (const m of motions.filter((m) => rows.some((r) => r.motionUid === m.uid))) {
      const of = (choice: string) => rows.filter((r) => r.motionUid === m.uid && r.result === choice).length;
      expect([of('За'), of('Проти'), of('Утримався'), of('Не голосував'), of('Відсутній')]).toEqual(
        [m.votingFor, m.votingAgainst, m.votingAbstain, m.notVoting, m.absent].map(Number),
      );
      expect(rows.find((r) => r.motionUid === m.uid)!.motionTitle).toBe(m.title);
    }
  });

  it('carries corrected choices, and the names of the members', () => {
    const rows = csvRecords(final.votings);
    const row = (vote: string, member: string) => rows.find((r) => r.motionUid === `${DEMO_SITTING}/${vote}` && r.voterId === member);
    expect(row('v2', 'd22')).toMatchObject({ result: 'За' });
    expect(row('v1', 'd31')).toMatchObject({ result: 'За' });
    expect(row('v1', 'd40')).toMatchObject({ result: 'Відсутній' });
    expect(row('v1', 'mayor')).toMatchObject({ voterName: 'Головченко Михайло Петрович', result: 'За' });
    expect(row('v4', 'mayor')).toBeUndefined();
    const before = csvRecords(live.votings).find((r) => r.motionUid === `${DEMO_SITTING}/v1` && r.voterId === 'd31');
    expect(before).toMatchObject({ result: 'Не голосував' });
  });
});

describe('votes.json (Popolo)', () => {
  const doc = (s: Snapshot): PopoloDocument => PopoloDocument.parse(JSON.parse(s.json.text));

  it('validates against the Popolo schema and carries the head hash of the record', () => {
    expect(final.json.type).toBe('application/json; charset=utf-8');
    expect(doc(live).publication).toBe('preliminary');
    expect(doc(final).publication).toBe('final');
    expect(doc(final).record.head_hash).toBe(final.headHash);
    expect(doc(live).record.head_hash).toBe(live.headHash);
    expect(doc(live).vote_events.map((e) => e.id)).toEqual(['v1', 'v2', 'v3', 'v4'].map((v) => `${DEMO_SITTING}/${v}`));
  });

  it("validates against Popolo's official schemas: the sitting as an Event, each vote event with its motion, counts and votes", () => {
    const popolo = popoloValidators();
    for (const s of [live, final]) {
      const raw = JSON.parse(s.json.text) as { sitting: unknown; vote_events: unknown[] };
      expect(popolo.event(raw.sitting), JSON.stringify(popolo.event.errors)).toBe(true);
      for (const e of raw.vote_events) expect(popolo.vote_event(e), JSON.stringify(popolo.vote_event.errors)).toBe(true);
    }
    // What the schemas refuse: Event dates with milliseconds, a count without a value.
    expect(popolo.event({ name: 'x', start_date: '2026-12-10T08:42:17.123Z' })).toBe(false);
    expect(popolo.count({ option: 'yes' })).toBe(false);
    // The sitting is dated when it was held, in the council's time, not when it was scheduled.
    const { sitting } = doc(final);
    const view = t.server.record.sitting(DEMO_SITTING)!;
    expect(Date.parse(sitting.start_date)).toBe(Math.floor(Date.parse(view.openedAt!) / 1000) * 1000);
    expect(sitting.start_date).toMatch(/\+02:00$/);
    // Our own properties are flagged as Popolo suggests: a leading "+".
    const event = JSON.parse(final.json.text).vote_events[1] as Record<string, unknown>;
    const standard = ['id', 'identifier', 'organization_id', 'legislative_session_id', 'motion', 'start_date', 'end_date', 'result', 'counts', 'votes'];
    expect(Object.keys(event).filter((k) => !standard.includes(k)).every((k) => k.startsWith('+'))).toBe(true);
    expect(event.motion).toMatchObject({ text: expect.stringContaining(' — '), '+subject': TRICKY_SUBJECT, '+draft_number': '283/6' });
  });

  it('has counts that agree with the individual votes and with the domain', () => {
    const events = doc(final).vote_events;
    events.forEach((event, i) => {
      const vote = closedVotes[i]!;
      const counts = Object.fromEntries(event.counts.map((c) => [c.option, c.value]));
      const { counts: domain } = vote.outcome;
      expect(counts).toEqual({ yes: domain.for, no: domain.against, abstain: domain.abstain, 'not voting': domain.notVoting, absent: domain.absent });
      expect(event.result).toBe(vote.outcome.result === 'adopted' ? 'pass' : 'fail');
      if (vote.ballot === 'roll-call') {
        for (const option of Option.options) {
          expect(event.votes.filter((v) => v.option === option).length, `${event.id} ${option}`).toBe(counts[option]);
        }
        expect(event.votes).toHaveLength(vote.outcome.composition);
      }
    });
  });

  it('shows each correction as an amendment with reason and time, the original option kept', () => {
    const events = doc(final).vote_events;
    expect(events[1]!['+amendments']).toEqual([
      { voter_id: 'd22', voter_name: expect.any(String), from_option: 'no', to_option: 'yes', reason: CORRECTION_REASON, date: expect.any(String) },
    ]);
    expect(events[0]!['+amendments']).toMatchObject([{ voter_id: 'd31', from_option: 'not voting', to_option: 'yes', reason: LATE_CORRECTION_REASON }]);
    // The late amendment is dated after the sitting closed.
    expect(Date.parse(events[0]!['+amendments'][0]!.date)).toBeGreaterThanOrEqual(Math.floor(Date.parse(closedVotes.at(-1)!.closedAt) / 1000) * 1000);
    expect(events[1]!.votes.find((v) => v.voter_id === 'd22')!.option).toBe('yes');
    expect(doc(live).vote_events[0]!['+amendments']).toEqual([]);
  });
});

describe('polling the files', () => {
  it('answers 304 to a harvester that already has the current version, and 200 once it changed', async () => {
    for (const file of ['motions.csv', 'votings.csv', 'votes.json']) {
      const url = `${t.url}/api/sittings/${DEMO_SITTING}/${file}`;
      const etag = (await fetch(url)).headers.get('etag')!;
      expect(await conditionalGet(url, etag), file).toBe(304);
    }
    expect(live.json.headers.get('etag')).not.toBe(final.json.headers.get('etag'));
    expect(await conditionalGet(`${t.url}/api/sittings/${DEMO_SITTING}/votes.json`, live.json.headers.get('etag')!)).toBe(200);
  });

  it('lets nginx or a CDN keep each file and the table page a few seconds while the sitting is live, a minute once it closed', async () => {
    for (const f of [live.motions, live.votings, live.json, live.page, live.pageEn]) expect(f.headers.get('cache-control')).toBe('public, max-age=5');
    for (const f of [final.motions, final.votings, final.json, final.page, final.pageEn]) expect(f.headers.get('cache-control')).toBe('public, max-age=60');
    // The page in each language and each file has its own version; the spreadsheets and the minutes revalidate too.
    expect(final.page.headers.get('etag')).not.toBe(final.pageEn.headers.get('etag'));
    for (const file of ['motions.xlsx', 'minutes.docx']) {
      const url = `${t.url}/api/sittings/${DEMO_SITTING}/${file}`;
      const res = await fetch(url);
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=60');
      expect(await conditionalGet(url, res.headers.get('etag')!), file).toBe(304);
    }
  });
});

describe('secret ballots', () => {
  it('publish totals only, in every format', () => {
    const uid = `${DEMO_SITTING}/v3`;
    expect(csvRecords(final.votings).filter((r) => r.motionUid === uid)).toEqual([]);
    const event = PopoloDocument.parse(JSON.parse(final.json.text)).vote_events.find((e) => e.id === uid)!;
    expect(event.votes).toEqual([]);
    expect(event.counts.find((c) => c.option === 'yes')!.value).toBe(30);
    expect(csvRecords(final.motions).find((r) => r.uid === uid)).toMatchObject({ votingFor: '30', votingAgainst: '5', votingAbstain: '2' });
    // On the page: a row of totals, and no column in any per-member matrix.
    const matrices = final.page.text.split('<table class="matrix">').slice(1).join('');
    expect(matrices).not.toContain('href="#vote-v3"');
    expect(final.page.text).toContain('id="vote-v3"');
    expect(final.page.text).toContain('Таємне голосування: оприлюднюються лише підсумки.');
  });
});

describe('the page /sittings/:id/votes', () => {
  it('is complete HTML without JavaScript, in Ukrainian, printable on A4 landscape', () => {
    const html = final.page.text;
    expect(final.page.status).toBe(200);
    expect(final.page.type).toBe('text/html; charset=utf-8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<html lang="uk">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/@page \{ size: A4 landscape;/);
    expect(html).toContain('@media print');
  });

  it('marks the table preliminary while the sitting is live and final after it closes', () => {
    expect(live.page.text).toContain('data-status="preliminary"');
    expect(live.page.text).toContain('Попередні результати');
    expect(live.page.text).not.toContain('id="vote-v5"');
    expect(final.page.text).toContain('data-status="final"');
    expect(final.page.text).toContain('Остаточні результати');
    expect(final.page.text).toContain('id="vote-v5"');
  });

  it('has real table headers and captions: a members × votes matrix grouped by faction', () => {
    const html = final.page.text;
    expect(html).toContain('<caption id="summary-caption">Підсумки голосувань</caption>');
    expect(html).toContain('Поіменне голосування (голосування 1–4 з 4)');
    const matrix = html.slice(html.indexOf('<table class="matrix">'), html.indexOf('</table>', html.indexOf('<table class="matrix">')));
    expect(matrix.match(/<th scope="col"/g)).toHaveLength(1 + 4);
    expect(matrix.match(/<th scope="row">/g)).toHaveLength(43 + 1); // every member, and the result row
    const groups = [...matrix.matchAll(/<th scope="rowgroup"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(groups).toEqual(['Голова', 'Рідне місто', 'Громада разом', 'Європейський вибір', 'Зелене місто', 'Позафракційні']);
    // Per vote: rule, required number, counts and result.
    const v2 = html.slice(html.indexOf('<tr id="vote-v2">'), html.indexOf('</tr>', html.indexOf('<tr id="vote-v2">')));
    expect(v2).toContain('Більшість від загального складу');
    expect(v2).toMatch(/<td class="num">43<\/td>\s*<td class="num">22<\/td>\s*<td class="num">22<\/td>\s*<td class="num">8<\/td>/);
    expect(v2).toContain('Прийнято');
  });

  it('escapes every text it shows', () => {
    const html = final.page.text;
    expect(html).not.toContain('<b>&</b>');
    expect(html).toContain('Про «Рух без бар&#39;єрів», &quot;друга черга&quot; &lt;b&gt;&amp;&lt;/b&gt;');
    expect(html).toContain('&lt;вручну&gt;');
  });

  it('shows corrections as amendments with reason and time, the original choice still visible', () => {
    const html = final.page.text;
    const corrections = html.slice(html.indexOf('<table class="corrections">'));
    expect(corrections).toContain('<td><del>Проти</del></td>');
    expect(corrections).toContain('<td><ins>За</ins></td>');
    expect(corrections).toContain(CORRECTION_REASON.replace('<', '&lt;').replace('>', '&gt;'));
    expect(corrections).toContain(LATE_CORRECTION_REASON);
    expect(corrections).toMatch(/<time datetime="[^"]+">/);
    // In the matrix, the corrected cell keeps the original struck through beside the correction.
    expect(html).toMatch(/<del>Не голосував<\/del> <ins>За<\/ins>/);
    expect(live.page.text).not.toContain('<del>Не голосував</del>');
  });

  it("shows the record's head hash", () => {
    expect(final.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect(final.page.text).toContain(`<code>${final.headHash}</code>`);
    expect(live.page.text).toContain(`<code>${live.headHash}</code>`);
  });

  it('switches to English with ?lang=en', () => {
    const html = final.pageEn.text;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Roll-call vote results');
    expect(html).toContain('Final results');
    expect(html).toContain('Not adopted');
    expect(html).toContain('<del>Did not vote</del> <ins>For</ins>');
    expect(final.page.text).toContain('href="/sittings/demo-plenary/votes?lang=en"');
  });

  it('answers a bad language or an unknown sitting with a clear page, and unknown files with 404', async () => {
    const bad = await get(`${t.url}/sittings/${DEMO_SITTING}/votes?lang=fr`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Неправильні дані в запиті.');
    const missing = await get(`${t.url}/sittings/nope/votes?lang=en`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Not found: &quot;nope&quot;.');
    const csv = await get(`${t.url}/api/sittings/nope/motions.csv`);
    expect(csv.status).toBe(404);
    expect(JSON.parse(csv.text)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
