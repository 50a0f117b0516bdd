// Issue 12, "clients that never read", over the transport browsers end up on: WebSocket. Clients
// join /live over a raw WebSocket, ask for snapshots and never read a byte (their TCP sockets
// are paused, so what the server sends piles up in its kernel buffers, then in the server's own
// send buffer). Each is dropped once its unsent output passes the limit, and the server's
// memory stays bounded while they try.
import { once } from 'node:events';
import type { Socket as NetSocket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { castAll, closeVote, openVote } from '../support/givenWhenThen.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const LIMIT = 64 * 1024;
const CLIENTS = 8;

/** A /live client on a WebSocket (no long-polling first) that stops reading once it has joined. */
async function neverReadingClient(url: string): Promise<{ ws: WebSocket; subscribe: (n: number) => void }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  await once(ws, 'open');
  ws.send('40/live,');
  // Waits for the namespace's answer, then reads nothing more.
  await new Promise<void>((resolve) => ws.on('message', (data: Buffer) => data.toString().startsWith('40/live') && resolve()));
  (ws as unknown as { _socket: NetSocket })._socket.pause();
  let id = 0;
  const subscribe = (n: number) => {
    for (let i = 0; i < n; i++) ws.send(`42/live,${id++}["subscribe",{"sittingId":"${DEMO_SITTING}"}]`);
  };
  return { ws, subscribe };
}

describe('a /live WebSocket client that never reads', () => {
  it('is disconnected once its buffered output passes the limit, and server memory stays bounded', { timeout: 60_000 }, async () => {
    t = await startTestServer({ demo: true, liveMaxBufferedBytes: LIMIT });
    // A sitting with a few roll-call votes behind it (a snapshot of ≈ 15 kB), so the flood passes
    // the kernel's socket buffers in seconds.
    const votes = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
    for (const command of [
      ...liveVoteCommands({ present: DEPUTIES, voteId: 'v0' }),
      closeVote('v0', DEMO_SITTING),
      ...votes.flatMap((v) => [openVote(v, {}, DEMO_SITTING), ...castAll(v, DEPUTIES, 'for', DEMO_SITTING), closeVote(v, DEMO_SITTING)]),
    ]) {
      expect((await t.command(command)).answer).toMatchObject({ ok: true });
    }
    const engine = t.server.realtime.io.engine;
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => neverReadingClient(t!.url)));
    expect(engine.clientsCount).toBe(CLIENTS);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;

    // Within the event rate (a burst of 100, then 20 a second): each asks for snapshots of the
    // sitting until the server lets it go.
    for (const c of clients) c.subscribe(100);
    const pump = setInterval(() => {
      for (const c of clients) if (c.ws.readyState === WebSocket.OPEN) c.subscribe(4);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 200);
    try {
      // Sooner than engine.io's own heartbeat would notice (a ping every 25 s, 20 s to answer).
      await vi.waitFor(() => expect(engine.clientsCount).toBe(0), { timeout: 25_000, interval: 100 });
    } finally {
      clearInterval(pump);
    }

    // The clients see the server close their connections once they read again.
    for (const c of clients) {
      const closed = c.ws.readyState === WebSocket.CLOSED ? Promise.resolve() : once(c.ws, 'close');
      (c.ws as unknown as { _socket: NetSocket })._socket.resume();
      await closed;
    }
    // What this process held for them (server and clients together) stayed far below
    // what the snapshots asked for would take if kept (the unbounded case grew by hundreds of MB).
    expect(rssPeak - rssBefore).toBeLessThan(96 * 1024 * 1024);
  });
});
