// Same-site request forgery and WebSocket hijacking (issue 12): a page on a sibling subdomain
// or another port of the host, holding the admin's cookie, can neither change anything over
// HTTP nor open the clerk's socket.
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const openClerk = (url: string, headers: Record<string, string>) =>
  new Promise<{ ok: true } | { ok: false; code: string }>((resolve) => {
    const s = io(`${url}/clerk`, { transports: ['websocket'], reconnection: false, extraHeaders: headers });
    s.once('connect', () => {
      s.close();
      resolve({ ok: true });
    });
    s.once('connect_error', (err: Error & { data?: { code: string } }) => {
      s.close();
      resolve({ ok: false, code: err.data?.code ?? err.message });
    });
  });

describe('requests from other origins', () => {
  it('refuse a state-changing request with a foreign Origin, and a cookie request any form could send', async () => {
    t = await startTestServer({ demo: true, allowedOrigins: ['https://rada.example'] });
    const admin = await t.login();
    const port = new URL(t.url).port;
    const rotate = (headers: Record<string, string>) =>
      fetch(`${t!.url}/api/rooms/plenary/stream-key/rotate`, { method: 'POST', headers: { cookie: admin, ...headers } });

    // The stream-key rotation the attack used: a body-less POST, from another port or a sibling.
    for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, 'http://evil.127.0.0.1.nip.io', 'null']) {
      const res = await rotate({ origin, 'x-requested-with': 'x' });
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross-origin');
    }
    // A form post (no Origin check possible in old browsers): no JSON, no custom header.
    const form = await rotate({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(403);
    const plain = await fetch(`${t.url}/api/commands`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'text/plain' },
      body: JSON.stringify({ type: 'sitting.open', sittingId: 'demo-plenary' }),
    });
    expect(plain.status).toBe(403);
    expect((await t.sitting('demo-plenary')).status).toBe('scheduled');

    // The console itself (same origin, custom header) and a configured origin may.
    expect((await rotate({ origin: t.url, 'x-requested-with': 'radacast' })).status).toBe(200);
    expect((await rotate({ origin: 'https://rada.example', 'x-requested-with': 'radacast' })).status).toBe(200);
    // An integration with a bearer token is no browser: no header needed.
    const made = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify({ name: 'ops', role: 'admin' }),
    });
    const { token, info } = (await made.json()) as { token: string; info: { id: string } };
    expect((await fetch(`${t.url}/api/tokens/${info.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('refuse the /clerk handshake from a foreign Origin', async () => {
    t = await startTestServer({ demo: true });
    const cookie = await t.login();
    const port = Number(new URL(t.url).port);
    expect(await openClerk(t.url, { cookie, origin: `http://127.0.0.1:${port + 1}` })).toEqual({ ok: false, code: 'cross-origin' });
    expect(await openClerk(t.url, { cookie, origin: 'http://sub.localhost' })).toEqual({ ok: false, code: 'cross-origin' });
    expect(await openClerk(t.url, { cookie, origin: t.url })).toEqual({ ok: true });
    expect(await openClerk(t.url, { cookie })).toEqual({ ok: true });
  });

  it('trusts X-Forwarded-Proto/-Host only behind a trusted proxy, and then marks the cookie Secure', async () => {
    t = await startTestServer({ demo: true, trustProxy: true });
    const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rada.example', 'content-type': 'application/json' };
    const login = await fetch(`${t.url}/api/session`, {
      method: 'POST',
      headers: { ...viaProxy, origin: 'https://rada.example' },
      body: JSON.stringify({ username: 'admin', password: 'test-admin-password' }),
    });
    expect(login.status).toBe(200);
    for (const cookie of login.headers.getSetCookie()) expect(cookie).toMatch(/;\s*Secure/i);
    expect((await fetch(`${t.url}/api/session`, { method: 'POST', headers: { ...viaProxy, origin: t.url }, body: '{}' })).status).toBe(403);
    await t.close();

    t = await startTestServer({ demo: true });
    const direct = await fetch(`${t.url}/api/session`, {
      method: 'POST',
      headers: { ...viaProxy, origin: 'https://rada.example' },
      body: JSON.stringify({ username: 'admin', password: 'test-admin-password' }),
    });
    // Without a trusted proxy the forwarded headers mean nothing: the origin is foreign.
    expect(direct.status).toBe(403);
    const plain = await fetch(`${t.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'admin', password: 'test-admin-password' }),
    });
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i);
  });
});
