// Webhooks cannot be aimed into the server's own network (SSRF): loopback, private, link-local
// (cloud metadata) and reserved addresses are refused when a webhook is created and again when
// a delivery connects (after the name is resolved), redirects are never followed, and a host an
// admin lists in RADACAST_WEBHOOK_ALLOW_HOSTS is let through.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { refusedAddress, WebhookTargets } from '../../server/publish/webhookTargets.ts';
import type { DeliveryLog } from '../../server/publish/WebhookStore.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';
import { openingAndFirstVote, run } from './publishedSitting.ts';
import { Receiver } from './Receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer & { cookie: string }> {
  const t = await startTestServer({ demo: true, webhookBackoffMs: 60_000, ...overrides });
  cleanups.push(() => t.close({ keepData: overrides.dataDir !== undefined }));
  return Object.assign(t, { cookie: await t.login() });
}

async function receiver(...args: Parameters<typeof Receiver.start>): Promise<Receiver> {
  const r = await Receiver.start(...args);
  cleanups.push(() => r.close());
  return r;
}

async function post(t: TestServer & { cookie: string }, url: string) {
  const res = await fetch(`${t.url}/api/webhooks`, {
    method: 'POST',
    headers: { cookie: t.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  return { status: res.status, body: (await res.json()) as { webhook?: { id: string }; error?: { code: string; issues?: { path: string[]; message: string }[] } } };
}

async function deliveries(t: TestServer & { cookie: string }, id: string): Promise<DeliveryLog[]> {
  const res = await fetch(`${t.url}/api/webhooks/${id}/deliveries`, { headers: { cookie: t.cookie } });
  return ((await res.json()) as { deliveries: DeliveryLog[] }).deliveries;
}

/** Resolves with the first attempt the dispatcher records. */
const firstAttempt = (t: TestServer) =>
  new Promise<void>((resolve) => t.server.webhooks.once('attempt', () => resolve()));

describe('which addresses a webhook may reach', () => {
  it('classifies metadata, private, loopback, link-local and mapped addresses, and lets public ones through', () => {
    expect(refusedAddress('169.254.169.254')).toBe('link-local');
    expect(refusedAddress('127.0.0.1')).toBe('loopback');
    expect(refusedAddress('10.20.30.40')).toBe('private');
    expect(refusedAddress('172.31.255.1')).toBe('private');
    expect(refusedAddress('192.168.1.10')).toBe('private');
    expect(refusedAddress('100.100.100.200')).toBe('private');
    expect(refusedAddress('0.0.0.0')).toBe('reserved');
    expect(refusedAddress('::1')).toBe('loopback');
    expect(refusedAddress('fe80::1')).toBe('link-local');
    expect(refusedAddress('fd00:ec2::254')).toBe('private');
    expect(refusedAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(refusedAddress('::ffff:a9fe:a9fe')).toBe('link-local');
    expect(refusedAddress('64:ff9b::10.0.0.1')).toBe('private');
    for (const ok of ['8.8.8.8', '91.198.174.192', '2001:4860:4860::8888', '172.32.0.1']) expect(refusedAddress(ok)).toBeNull();
  });

  it('resolves the name before judging it, and hands the connection the address it checked', async () => {
    const targets = new WebhookTargets([]);
    const lookup = (host: string) =>
      new Promise<{ err: Error | null; address: unknown }>((resolve) => targets.lookup(host, {}, (err, address) => resolve({ err, address })));
    const refused = await lookup('localhost');
    expect(refused.err?.name).toBe('TargetRefused');
    expect(refused.err?.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const allowed = await new Promise<unknown>((resolve) =>
      new WebhookTargets(['LOCALHOST']).lookup('localhost', {}, (_err, address) => resolve(address)),
    );
    expect(['127.0.0.1', '::1']).toContain(allowed);
  });
});

describe('creating a webhook', () => {
  it('refuses internal targets, by address or by a name that resolves to one', async () => {
    const t = await server();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:8080/hook',
      'http://localhost:3000/hook',
      'http://[::1]/hook',
      'http://[::ffff:10.0.0.5]/hook',
      'https://192.168.0.10/hook',
      'http://0.0.0.0:9000/',
    ]) {
      const res = await post(t, url);
      expect(res.status, url).toBe(400);
      expect(res.body.error?.code).toBe('invalid');
      expect(res.body.error?.issues?.[0]).toMatchObject({ path: ['url'], message: expect.stringContaining('RADACAST_WEBHOOK_ALLOW_HOSTS') });
    }
    const list = await fetch(`${t.url}/api/webhooks`, { headers: { cookie: t.cookie } });
    expect(((await list.json()) as { webhooks: unknown[] }).webhooks).toEqual([]);
  });

  it('accepts an internal host the admin listed', async () => {
    const t = await server({ webhookAllowHosts: ['127.0.0.1', 'intranet.example'] });
    expect((await post(t, 'http://127.0.0.1:8080/hook')).status).toBe(201);
    expect((await post(t, 'http://169.254.169.254/')).status).toBe(400);
  });
});

describe('delivering', () => {
  it('refuses to connect when the name resolves to an internal address at delivery time', async () => {
    const dataDir = tempDir();
    const hooks = await receiver();
    const local = hooks.url('/hook').replace('127.0.0.1', 'localhost');
    // Allowed when created; the setting is withdrawn before anything is published.
    const before = await server({ dataDir, webhookAllowHosts: ['localhost'] });
    const created = await post(before, local);
    expect(created.status).toBe(201);
    await before.server.close();

    const t = await server({ dataDir });
    const attempted = firstAttempt(t);
    await run(t, openingAndFirstVote());
    await attempted;
    const [delivery] = await deliveries(t, created.body.webhook!.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery!.log[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/^refused: localhost resolves to .*loopback/) });
    expect(hooks.received).toEqual([]);
  });

  it('never follows a redirect, so a receiver cannot bounce a delivery inward', async () => {
    const paths: string[] = [];
    const bouncer = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(302, { location: `http://127.0.0.1:${(bouncer.address() as AddressInfo).port}/inside` }).end();
    });
    await new Promise<void>((resolve) => bouncer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => bouncer.close(() => resolve())));
    const t = await server({ webhookAllowHosts: ['127.0.0.1'] });
    const created = await post(t, `http://127.0.0.1:${(bouncer.address() as AddressInfo).port}/hook`);
    const attempted = firstAttempt(t);
    await run(t, openingAndFirstVote());
    await attempted;
    const [delivery] = await deliveries(t, created.body.webhook!.id);
    expect(delivery!.log[0]).toMatchObject({ statusCode: 302, error: 'HTTP 302' });
    expect(paths).toEqual(['/hook']);
  });
});
