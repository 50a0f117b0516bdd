// What every response and log line must (not) carry: health, security headers, errors without
// stack traces, and logs with request ids but never a password, token or cookie.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const STACK = /\n\s+at |node_modules|\.(js|ts):\d+|SyntaxError|URIError/;

async function send(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  return fetch(`${server!.url}${path}`, {
    ...rest,
    headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

describe('hardening', () => {
  it('GET /api/health answers 200 with JSON once ready', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ ok: true, status: 'ready', startedAt: expect.any(String) });
  });

  it('sends the security headers on API answers and pages', async () => {
    server = await startTestServer();
    for (const path of ['/api/sittings', '/']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      const h = res.headers;
      expect(h.get('content-security-policy')).toContain("default-src 'self'");
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(h.get('x-powered-by')).toBeNull();
      expect(h.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers every kind of error with a code and message, never a stack trace', async () => {
    server = await startTestServer({ demo: true });
    const cookie = await server.login();
    const answers = [
      { expect: [400, 'invalid'], res: await send('/api/commands', { method: 'POST', body: '{"type":', headers: { cookie } }) },
      { expect: [400, 'invalid'], res: await send('/api/sittings/%E0%A4%A') },
      { expect: [400, 'invalid'], res: await send('/api/bodies/%zz') },
      { expect: [413, 'payload-too-large'], res: await send('/api/session', { method: 'POST', json: { username: 'a', password: 'p'.repeat(300_000) } }) },
      { expect: [401, 'unauthorized'], res: await send('/api/users') },
      { expect: [404, 'not-found'], res: await send('/api/no-such-route') },
      { expect: [404, 'not-found'], res: await send(`/api/sittings/${DEMO_SITTING}-x/log`) },
    ];
    for (const { expect: [status, code], res } of answers) {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      const body = JSON.parse(text) as { ok: boolean; error: { code: string; messages: { uk: string; en: string } } };
      expect(body).toMatchObject({ ok: false, error: { code } });
      expect(body.error.messages.uk.length).toBeGreaterThan(0);
      expect(text).not.toMatch(STACK);
    }
  });

  it('logs each request with its id and never a password, token or cookie', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({ demo: true, logLevel: 'info' }, createLogger('info', sink));

    const wrongPassword = 'Wrong-Guess-123!';
    expect((await send('/api/session', { method: 'POST', json: { username: 'admin', password: wrongPassword } })).status).toBe(401);
    // A malformed login body still carries a password the parser never understood.
    const brokenPassword = 'Broken-Json-Password-9';
    expect((await send('/api/session', { method: 'POST', body: `{"username":"admin","password":"${brokenPassword}"` })).status).toBe(400);

    const login = await send('/api/session', { method: 'POST', json: { username: 'admin', password: ADMIN_PASSWORD } });
    const adminCookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const adminSecret = adminCookie.split('=')[1]!;
    const clerkPassword = 'Clerk-Secret-Password-7';
    expect((await send('/api/users', { method: 'POST', headers: { cookie: adminCookie }, json: { username: 'clerk1', password: clerkPassword } })).status).toBe(201);
    const newClerkPassword = 'Clerk-New-Password-8';
    expect((await send('/api/users/clerk1/password', { method: 'PUT', headers: { cookie: adminCookie }, json: { password: newClerkPassword } })).status).toBe(200);
    const clerkLogin = await send('/api/session', { method: 'POST', json: { username: 'clerk1', password: newClerkPassword } });
    const clerkCookie = clerkLogin.headers.get('set-cookie')!.split(';')[0]!;

    const created = await send('/api/tokens', { method: 'POST', headers: { cookie: adminCookie }, json: { name: 'voting-system' } });
    const { token } = (await created.json()) as { token: string };
    const command = await send('/api/commands', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      json: { type: 'sitting.open', sittingId: DEMO_SITTING, commandId: 'evs-1' },
    });
    expect(command.status).toBe(200);
    const requestId = command.headers.get('x-request-id');
    expect((await send('/api/commands', { method: 'POST', headers: { cookie: clerkCookie }, json: { type: 'sitting.close', sittingId: DEMO_SITTING } })).status).toBe(200);
    expect((await send('/api/session', { method: 'DELETE', headers: { cookie: clerkCookie } })).status).toBe(200);
    await server.close();

    const output = lines.join('\n');
    for (const secret of [ADMIN_PASSWORD, wrongPassword, brokenPassword, clerkPassword, newClerkPassword, token, adminSecret, clerkCookie.split('=')[1]!]) {
      expect(output).not.toContain(secret);
    }
    expect(output.toLowerCase()).not.toContain('radacast_session');
    expect(output.toLowerCase()).not.toContain('bearer');

    // The log is there and useful: the failed login, the command with its id and request id.
    const entries = lines.map((line) => JSON.parse(line) as Record<string, any>);
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'login failed', username: 'admin' }));
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'command', command: 'sitting.open', commandId: 'evs-1', ok: true, req: expect.objectContaining({ id: requestId }) }),
    );
    expect(entries.filter((e) => e.msg === 'request completed').length).toBeGreaterThanOrEqual(9);
  });
});
