// What one stranger can make the socket server hold: a client that asks for snapshots and never
// reads them is dropped once its unsent output passes the limit; bare engine.io connections
// (no namespace joined) are capped per client address and in total; behind a trusted proxy
// the address is the forwarded client's, and IPv6 clients are grouped by their /64.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Opens an engine.io session over HTTP long-polling, as a browser's first request does. */
async function handshake(url: string, forwardedFor?: string): Promise<{ status: number; sid: string | null }> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  const body = await res.text();
  return { status: res.status, sid: res.status === 200 ? (JSON.parse(body.slice(1)) as { sid: string }).sid : null };
}

describe('socket limits', () => {
  it('drops a /live client that keeps asking for snapshots and never reads them', async () => {
    // 90 snapshots of the demo sitting are about 600 KB.
    t = await startTestServer({ demo: true, liveMaxBufferedBytes: 64 * 1024 });
    const { sid } = await handshake(t.url);
    const post = (packets: string[]) =>
      fetch(`${t!.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: packets.join('\x1e') });
    expect((await post(['40/live,'])).status).toBe(200);
    // Never polls again: everything the server sends waits in its buffer.
    const subscribe = Array.from({ length: 90 }, (_, i) => `42/live,${i}["subscribe",{"sittingId":"${DEMO_SITTING}"}]`);
    for (let i = 0; i < subscribe.length; i += 10) await post(subscribe.slice(i, i + 10));
    const engine = t.server.realtime.io.engine;
    await vi.waitFor(() => expect(engine.clientsCount).toBe(0), { timeout: 5_000 });
    // The session is gone: the client's next request is refused.
    expect((await post(['3'])).status).toBe(400);
    expect(loadConfig({}).liveMaxBufferedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('caps bare engine.io connections per address, counting the forwarded client behind a trusted proxy', async () => {
    t = await startTestServer({ liveMaxPerAddress: 1, trustProxy: true });
    const cap = 1 + 20;
    for (let i = 0; i < cap; i++) expect((await handshake(t.url, '203.0.113.5, 10.0.0.1')).status).toBe(200);
    expect((await handshake(t.url, '203.0.113.5')).status).toBe(403);
    // Another client behind the same proxy still gets in.
    expect((await handshake(t.url, '203.0.113.6, 10.0.0.1')).status).toBe(200);
    // One IPv6 /64 is one client, whatever address in it is used.
    for (let i = 0; i < cap; i++) expect((await handshake(t.url, `2001:db8:5:6::${(i + 1).toString(16)}`)).status).toBe(200);
    expect((await handshake(t.url, '2001:db8:5:6:ffff::1')).status).toBe(403);
    expect((await handshake(t.url, '2001:db8:5:7::1')).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted, and caps connections in total', async () => {
    t = await startTestServer({ liveMaxPerAddress: 1, maxConnections: 25 });
    // Without a trusted proxy a forged header changes nothing: all of these are 127.0.0.1.
    for (let i = 0; i < 21; i++) expect((await handshake(t.url, `198.51.100.${i}`)).status).toBe(200);
    expect((await handshake(t.url, '198.51.100.200')).status).toBe(403);
    await t.close();

    t = await startTestServer({ liveMaxPerAddress: 100, maxConnections: 3 });
    for (let i = 0; i < 3; i++) expect((await handshake(t.url)).status).toBe(200);
    expect((await handshake(t.url)).status).toBe(403);
  });
});
