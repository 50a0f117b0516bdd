// The RTMP port is open to anyone: before a stream key is accepted a connection gets only a
// few kilobytes and a few seconds, and connections are capped per address and in total. A raw
// TCP client plays the attacker; the server's memory stays put and it drops the connection.
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAll } from '../../server/media/rtmp/amf0.ts';
import { ChunkDecoder } from '../../server/media/rtmp/ChunkDecoder.ts';
import { encodeChunks, MSG_VIDEO, setChunkSize } from '../../server/media/rtmp/messages.ts';
import { DEFAULT_RTMP_OPTIONS, RtmpServer, type RtmpServerOptions } from '../../server/media/rtmp/RtmpServer.ts';
import type { Authorizer, PublishSink } from '../../server/media/rtmp/RtmpSession.ts';
import { rawRtmp } from './rtmpClient.ts';

const KEY = 'right-key';
const sink: PublishSink = { tag() {}, end() {} };
const authorize: Authorizer = ({ key }) =>
  key === KEY ? { ok: true, sink } : { ok: false, reason: 'bad-key', description: 'Wrong stream key' };

let server: RtmpServer | null = null;
async function listen(options: Partial<RtmpServerOptions> = {}): Promise<number> {
  server = new RtmpServer(authorize, pino({ level: 'silent' }), options);
  return server.listen(0, '127.0.0.1');
}
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A type-0 chunk header announcing a message of `length` bytes on chunk stream `csid`. */
function header(csid: number, length: number, typeId = MSG_VIDEO): Buffer {
  const h = Buffer.alloc(12);
  h[0] = csid;
  h.writeUIntBE(length, 4, 3);
  h[7] = typeId;
  h.writeUInt32LE(1, 8);
  return h;
}

describe('RTMP before a key is accepted', () => {
  it('drops a connection that announces a large message, and one that leaves many messages unfinished', async () => {
    const port = await listen();
    const started = performance.now();
    const large = await rawRtmp(port);
    await large.handshake();
    await large.send(Buffer.concat([setChunkSize(0xffffff), header(4, 0xffffff)]));
    let sent = 0;
    for (let i = 0; i < 64 && (await large.send(Buffer.alloc(256 * 1024))); i++) sent += 256 * 1024;
    await large.closed;
    expect(sent).toBeLessThan(16 * 1024 * 1024);

    const unfinished = await rawRtmp(port);
    await unfinished.handshake();
    // 60 chunk streams, each with most of a 16 KB message: small pieces, a lot of memory in all.
    const parts = [];
    for (let csid = 4; csid < 64; csid++) parts.push(header(csid, 16_000), Buffer.alloc(127));
    await unfinished.send(Buffer.concat(parts));
    await unfinished.closed;
    // Dropped for what they sent, well before the 5 s allowed for publishing.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('holds memory flat while three connections push unfinished 16 MB messages', async () => {
    const port = await listen();
    const before = process.memoryUsage().arrayBuffers;
    const attack = async () => {
      const c = await rawRtmp(port);
      await c.handshake();
      const chunk = Buffer.alloc(1024 * 1024, 1);
      await c.send(setChunkSize(0xffffff));
      for (let csid = 4; csid < 64; csid++) {
        if (!(await c.send(Buffer.concat([header(csid, 0xffffff), chunk])))) break;
      }
      await c.closed;
    };
    await Promise.all([attack(), attack(), attack()]);
    // Today's code held up to 64 × 16 MB per connection; a few MB are the test's own buffers.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('drops a connection that keeps sending small messages without publishing', async () => {
    const port = await listen();
    const c = await rawRtmp(port);
    await c.handshake();
    await c.send(setChunkSize(4096));
    const message = encodeChunks(4, 18, 1, encodeAll(['@setDataFrame', 'x'.repeat(1000)]), 4096);
    let sent = 0;
    while (await c.send(message)) {
      sent += message.length;
      if (sent > 16 * 1024 * 1024) break;
    }
    await c.closed;
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('drops a connection that does not complete the handshake and publish in time (5 s by default)', async () => {
    expect(DEFAULT_RTMP_OPTIONS.setupTimeoutMs).toBeLessThanOrEqual(5_000);
    const port = await listen({ setupTimeoutMs: 300, idleTimeoutMs: 60_000 });
    const silent = await rawRtmp(port);
    const handshaken = await rawRtmp(port);
    await handshaken.handshake();
    const started = performance.now();
    await Promise.all([silent.closed, handshaken.closed]);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('caps connections per address and in total; others still get in', async () => {
    const port = await listen({ maxPerAddress: 2, maxConnections: 3, setupTimeoutMs: 60_000, idleTimeoutMs: 60_000 });
    const a1 = await rawRtmp(port, '127.0.0.1');
    await rawRtmp(port, '127.0.0.1');
    const a3 = await rawRtmp(port, '127.0.0.1');
    await a3.closed;
    const b1 = await rawRtmp(port, '127.0.0.2');
    await b1.handshake();
    const c1 = await rawRtmp(port, '127.0.0.3');
    await c1.closed;
    // A freed place is free again.
    a1.socket.destroy();
    await a1.closed;
    const a4 = await rawRtmp(port, '127.0.0.1');
    await a4.handshake();
    expect(await a4.publish('live', KEY)).toBe('NetStream.Publish.Start');
  });

  it('refuses a wrong key with NetStream.Publish.Rejected, which encoders show as a refused key', async () => {
    const port = await listen();
    const c = await rawRtmp(port);
    await c.handshake();
    expect(await c.publish('live', 'wrong-key')).toBe('NetStream.Publish.Rejected');
    await c.closed;
  });

  it('lets an accepted publisher send large keyframes', async () => {
    const tags: number[] = [];
    server = new RtmpServer(() => ({ ok: true, sink: { tag: (t) => void tags.push(t.data.length), end() {} } }), pino({ level: 'silent' }));
    const port = await server.listen(0, '127.0.0.1');
    const c = await rawRtmp(port);
    await c.handshake();
    expect(await c.publish('live', KEY)).toBe('NetStream.Publish.Start');
    await c.send(Buffer.concat([setChunkSize(4096), encodeChunks(4, MSG_VIDEO, 1, Buffer.alloc(2 * 1024 * 1024, 0x17), 4096)]));
    await expect.poll(() => tags).toEqual([2 * 1024 * 1024]);
  });
});

describe('chunk reassembly', () => {
  it('takes linear time: a 16 MB chunk arriving in 16 KB reads is joined once', () => {
    const decoder = new ChunkDecoder();
    const size = 0xffffff;
    const bytes = Buffer.concat([setChunkSize(0xffffff), header(4, size), Buffer.alloc(size, 1)]);
    const started = performance.now();
    const messages = [];
    for (let at = 0; at < bytes.length; at += 16 * 1024) messages.push(...decoder.push(bytes.subarray(at, at + 16 * 1024)));
    const ms = performance.now() - started;
    expect(messages.map((m) => m.payload.length)).toEqual([4, size]);
    // Joining the held bytes on every read took seconds for this; once is a few ms.
    expect(ms).toBeLessThan(1_000);
  });
});
