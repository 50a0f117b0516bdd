// Webhook notifications, end to end against real receivers on 127.0.0.1: a signed JSON summary
// with working links on each publication, per-webhook event filters, retries with exponential
// backoff shown in the delivery log, giving up after the last attempt, admin-only management,
// commands never held up by a slow receiver, and deliveries resumed after a restart.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClosedVote } from '../../server/domain/state.ts';
import type { NotificationPayload } from '../../server/publish/notification.ts';
import { verifySignature } from '../../server/publish/signature.ts';
import type { WebhookDispatcher } from '../../server/publish/WebhookDispatcher.ts';
import type { DeliveryLog, DeliveryStatus } from '../../server/publish/WebhookStore.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';
import {
  closeLastVoteAndSitting,
  CORRECTION_REASON,
  DEMO_SITTING,
  openingAndFirstVote,
  openLastVote,
  run,
  secretBallot,
  shortVoteThenCorrection,
} from './publishedSitting.ts';
import { Receiver, type Received } from './Receiver.ts';

const SECRET = 'a-long-shared-secret-for-tests';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer & { cookie: string }> {
  // The receivers listen on 127.0.0.1, an internal address webhooks may only reach when listed.
  const t = await startTestServer({ demo: true, webhookAllowHosts: ['127.0.0.1'], ...overrides });
  cleanups.push(() => t.close());
  return Object.assign(t, { cookie: await t.login() });
}

async function receiver(...args: Parameters<typeof Receiver.start>): Promise<Receiver> {
  const r = await Receiver.start(...args);
  cleanups.push(() => r.close());
  return r;
}

async function api<T = Record<string, unknown>>(
  t: TestServer,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { 'x-requested-with': 'test', ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function createWebhook(t: TestServer & { cookie: string }, body: Record<string, unknown>): Promise<{ id: string; secret?: string }> {
  const res = await api<{ webhook: { id: string }; secret?: string }>(t, 'POST', '/api/webhooks', t.cookie, body);
  expect(res.status).toBe(201);
  return { id: res.body.webhook.id, ...(res.body.secret ? { secret: res.body.secret } : {}) };
}

async function deliveries(t: TestServer & { cookie: string }, webhookId: string): Promise<DeliveryLog[]> {
  const res = await api<{ deliveries: DeliveryLog[] }>(t, 'GET', `/api/webhooks/${webhookId}/deliveries`, t.cookie);
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

/** Resolves when the dispatcher has recorded an attempt that leaves a delivery in `status`. */
function settled(dispatcher: WebhookDispatcher, status: DeliveryStatus, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const on = (_id: string, _log: unknown, s: DeliveryStatus) => {
      if (s === status && ++seen === count) {
        dispatcher.off('attempt', on);
        resolve();
      }
    };
    dispatcher.on('attempt', on);
  });
}

const payloadOf = (r: Received): NotificationPayload => JSON.parse(r.body) as NotificationPayload;
const header = (r: Received, name: string): string => String(r.headers[name.toLowerCase()]);

/** The check a receiver makes, written out independently of the server's code. */
function signatureValid(r: Received, secret: string): boolean {
  const timestamp = header(r, 'X-Radacast-Timestamp');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  return header(r, 'X-Radacast-Signature') === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

describe('webhook notifications', () => {
  it('POST a signed summary with working links at each publication, to the events each webhook asked for', async () => {
    const t = await server({ webhookBackoffMs: 20 });
    const hooks = await receiver();
    await createWebhook(t, { url: hooks.url('/all'), secret: SECRET });
    const finalOnly = await createWebhook(t, { url: hooks.url('/final'), events: ['sitting.closed'] });
    expect(finalOnly.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    // A vote closes: published at once, preliminary.
    await run(t, openingAndFirstVote());
    const [first] = await hooks.waitFor('/all', 1);
    expect(signatureValid(first!, SECRET)).toBe(true);
    expect(verifySignature(SECRET, header(first!, 'X-Radacast-Signature'), header(first!, 'X-Radacast-Timestamp'), first!.body)).toBe(true);
    expect(verifySignature(SECRET, header(first!, 'X-Radacast-Signature'), header(first!, 'X-Radacast-Timestamp'), first!.body.replace('27', '28'))).toBe(false);
    expect(verifySignature('another-secret-entirely', header(first!, 'X-Radacast-Signature'), header(first!, 'X-Radacast-Timestamp'), first!.body)).toBe(false);
    expect(header(first!, 'content-type')).toBe('application/json; charset=utf-8');
    expect(header(first!, 'X-Radacast-Event')).toBe('vote.closed');
    expect(header(first!, 'X-Radacast-Delivery')).toMatch(/^[0-9a-f-]{36}$/);

    const closed = payloadOf(first!);
    const domain = t.server.record.sittingState(DEMO_SITTING)!.votes[0] as ClosedVote;
    const view = await t.sitting(DEMO_SITTING);
    expect(closed).toMatchObject({
      event: 'vote.closed',
      sitting: { id: DEMO_SITTING, publication: 'preliminary', status: 'live', publishedVotes: 1 },
      record: { seq: view.seq, headHash: view.headHash },
      vote: { id: 'v1', uid: `${DEMO_SITTING}/v1`, counts: domain.outcome.counts, result: 'adopted', required: 22, composition: 43 },
      correction: null,
    });
    expect(closed.text.uk).toBe(
      'Голосування «Про затвердження порядку денного»: Прийнято. За 26, проти 3, утрималися 2, не голосували 8, відсутні 4.',
    );
    expect(closed.text.en).toContain('Adopted');
    // Absolute links to this server that answer with the published vote.
    expect(closed.links.vote).toBe(`${t.url}/sittings/${DEMO_SITTING}/votes#vote-v1`);
    const popolo = (await (await fetch(closed.links.votesJson)).json()) as { vote_events: { id: string }[] };
    expect(popolo.vote_events.map((e) => e.id)).toEqual([`${DEMO_SITTING}/v1`]);
    for (const link of [closed.links.page, closed.links.pageEn, closed.links.motionsCsv, closed.links.votingsCsv, closed.links.log]) {
      expect((await fetch(link)).status, link).toBe(200);
    }

    // A correction after the close is published as such; a secret ballot carries totals only.
    await run(t, [...shortVoteThenCorrection(), ...secretBallot()]);
    const all = await hooks.waitFor('/all', 4);
    const byEvent = (event: string, voteId: string) => all.map(payloadOf).find((p) => p.event === event && p.vote?.id === voteId)!;
    expect(byEvent('vote.closed', 'v2').vote).toMatchObject({ result: 'rejected', counts: { for: 21 } });
    expect(byEvent('vote.corrected', 'v2')).toMatchObject({
      vote: { result: 'adopted', counts: { for: 22, against: 8 } },
      correction: { memberId: 'd22', from: 'against', to: 'for', reason: CORRECTION_REASON },
    });
    expect(byEvent('vote.corrected', 'v2').text.uk).toContain('Проти → За');
    const secret = all.find((r) => payloadOf(r).vote?.id === 'v3')!;
    expect(payloadOf(secret).vote).toMatchObject({ ballot: 'secret', counts: { for: 30, against: 5, abstain: 2 } });
    expect(secret.body).not.toMatch(/"d\d\d"|choices|mayor/);
    expect(hooks.on('/final')).toEqual([]);

    // The sitting closes: the table is final, and the webhook that asked only for this gets it.
    await run(t, [...openLastVote(), ...closeLastVoteAndSitting()]);
    const [final] = await hooks.waitFor('/final', 1);
    expect(signatureValid(final!, finalOnly.secret!)).toBe(true);
    expect(payloadOf(final!)).toMatchObject({
      event: 'sitting.closed',
      sitting: { publication: 'final', status: 'closed', publishedVotes: 4 },
      vote: null,
    });
    expect(payloadOf(final!).text.uk).toBe('Засідання «Пленарне засідання 67 сесії VIII скликання» закрито. Оприлюднено остаточні поіменні результати (голосувань: 4).');
    const everything = await hooks.waitFor('/all', 6);
    expect(everything.map((r) => payloadOf(r).event).sort()).toEqual([
      'sitting.closed',
      'vote.closed',
      'vote.closed',
      'vote.closed',
      'vote.closed',
      'vote.corrected',
    ]);
    expect(hooks.on('/final')).toHaveLength(1);
  });

  it('retries a receiver that answers 500 with exponential backoff; the log shows every attempt', async () => {
    const t = await server({ webhookBackoffMs: 50, webhookMaxAttempts: 4 });
    const hooks = await receiver((req, n) => (req.path === '/flaky' ? (n < 2 ? 500 : 200) : 503));
    const flaky = await createWebhook(t, { url: hooks.url('/flaky'), secret: SECRET, events: ['vote.closed'] });
    const down = await createWebhook(t, { url: hooks.url('/down'), secret: SECRET, events: ['vote.closed'] });
    const delivered = settled(t.server.webhooks, 'delivered');
    const failed = settled(t.server.webhooks, 'failed');

    await run(t, openingAndFirstVote());
    const attempts = await hooks.waitFor('/flaky', 3);
    await delivered;
    // The same delivery each time, re-signed; waits of about 50 ms, then 100 ms.
    expect(new Set(attempts.map((r) => header(r, 'X-Radacast-Delivery'))).size).toBe(1);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    for (const r of attempts) expect(signatureValid(r, SECRET)).toBe(true);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(45);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(95);

    const [log] = await deliveries(t, flaky.id);
    expect(log).toMatchObject({ event: 'vote.closed', sittingId: DEMO_SITTING, status: 'delivered', attempts: 3, nextAttemptAt: null });
    expect(log!.log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 200, null],
    ]);
    expect((log!.payload as NotificationPayload).vote?.id).toBe('v1');

    // A receiver that never recovers: four attempts, then the delivery is marked failed.
    await failed;
    expect(hooks.on('/down')).toHaveLength(4);
    const [gaveUp] = await deliveries(t, down.id);
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
    expect(gaveUp!.log.map((a) => a.statusCode)).toEqual([503, 503, 503, 503]);
  });

  it('is managed by admins only, refuses bad input, and forgets a removed webhook', async () => {
    const t = await server();
    const hooks = await receiver();
    expect((await api(t, 'GET', '/api/webhooks', null)).status).toBe(401);
    expect((await api(t, 'POST', '/api/users', t.cookie, { username: 'clerk1', password: 'clerk-password-1', role: 'clerk' })).status).toBe(201);
    const clerk = await t.login('clerk1', 'clerk-password-1');
    expect((await api(t, 'GET', '/api/webhooks', clerk)).status).toBe(403);
    expect((await api(t, 'POST', '/api/webhooks', clerk, { url: hooks.url('/x') })).status).toBe(403);

    const bad = await api<{ error: { code: string; message: string; issues: { path: string[] }[] } }>(t, 'POST', '/api/webhooks', t.cookie, {
      url: 'ftp://example.org/hook',
      secret: 'short',
      events: ['vote.opened'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid', message: 'Неправильні дані в запиті.' });
    expect(bad.body.error.issues.map((i) => i.path[0]).sort()).toEqual(['events', 'secret', 'url']);
    expect((await api<{ webhooks: unknown[] }>(t, 'GET', '/api/webhooks', t.cookie)).body.webhooks).toEqual([]);

    const hook = await createWebhook(t, { url: hooks.url('/x'), secret: SECRET });
    const listed = await api<{ webhooks: Record<string, unknown>[] }>(t, 'GET', '/api/webhooks', t.cookie);
    expect(listed.body.webhooks).toEqual([
      {
        id: hook.id,
        url: hooks.url('/x'),
        // By default every publication event, the corrections of the record included.
        events: ['vote.closed', 'vote.corrected', 'sitting.closed', 'tally.corrected', 'sitting.corrected', 'item.corrected', 'member.corrected', 'vote.moved'],
        createdBy: 'admin',
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect((await api(t, 'DELETE', `/api/webhooks/${hook.id}`, t.cookie)).status).toBe(200);
    expect((await api(t, 'DELETE', `/api/webhooks/${hook.id}`, t.cookie)).status).toBe(404);
    expect((await api(t, 'GET', `/api/webhooks/${hook.id}/deliveries`, t.cookie)).status).toBe(404);
    expect((await api(t, 'GET', `/api/webhooks/nope/deliveries?limit=0`, t.cookie)).status).toBe(400);
  });

  it('never holds up a command; a delivery cut off by a shutdown is resumed after the restart', async () => {
    const dataDir = tempDir();
    // The first attempt is held unanswered; the resumed one waits for the test to release it.
    let release!: (status: number) => void;
    const gate = new Promise<number>((resolve) => (release = resolve));
    const hooks = await receiver((_req, n) => (n === 0 ? 'hold' : gate));
    const first = await startTestServer({ demo: true, dataDir, webhookAllowHosts: ['127.0.0.1'] });
    cleanups.push(() => first.close());
    const t1 = Object.assign(first, { cookie: await first.login() });
    const hook = await createWebhook(t1, { url: hooks.url('/slow'), secret: SECRET, events: ['vote.closed'] });

    await run(t1, openingAndFirstVote());
    const [held] = await hooks.waitFor('/slow', 1);
    // The receiver holds the request unanswered, and the clerk goes on working.
    const next = await t1.command({ type: 'item.start', sittingId: DEMO_SITTING, itemId: 'i2' });
    expect(next.answer).toMatchObject({ ok: true });
    expect((await deliveries(t1, hook.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    await first.close({ keepData: true });

    const second = await startTestServer({ demo: true, dataDir, webhookAllowHosts: ['127.0.0.1'] });
    cleanups.push(() => second.close());
    const t2 = Object.assign(second, { cookie: await second.login() });
    const [, resumed] = await hooks.waitFor('/slow', 2);
    expect(header(resumed!, 'X-Radacast-Delivery')).toBe(header(held!, 'X-Radacast-Delivery'));
    expect(resumed!.body).toBe(held!.body);
    expect(signatureValid(resumed!, SECRET)).toBe(true);
    const delivered = settled(t2.server.webhooks, 'delivered');
    release(200);
    await delivered;
    const [done] = await deliveries(t2, hook.id);
    expect(done).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(done!.log.map((a) => a.statusCode)).toEqual([200]);
  });
});
