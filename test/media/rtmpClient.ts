// A raw RTMP client for the tests, built from the server's own encoders: the handshake, the
// command exchange of a publishing encoder, and whatever bytes a test wants to throw at the
// port. It reads the server's answers with the server's chunk decoder.
import { connect, type Socket } from 'node:net';
import { decodeAll, type AmfValue } from '../../server/media/rtmp/amf0.ts';
import { ChunkDecoder } from '../../server/media/rtmp/ChunkDecoder.ts';
import { HANDSHAKE_SIZE } from '../../server/media/rtmp/handshake.ts';
import { command, MSG_COMMAND_AMF0 } from '../../server/media/rtmp/messages.ts';

export interface RawRtmp {
  socket: Socket;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  /** Writes bytes, waiting for the socket to drain; false once the server has gone. */
  send(bytes: Buffer): Promise<boolean>;
  handshake(): Promise<void>;
  /** connect + createStream + publish; resolves with the onStatus code of the publish. */
  publish(app: string, key: string): Promise<string>;
}

export function rawRtmp(port: number, localAddress = '127.0.0.1'): Promise<RawRtmp> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.once('error', reject);
    let gone = false;
    const closed = new Promise<void>((done) => socket.once('close', () => ((gone = true), done())));
    socket.on('error', () => {
      // ECONNRESET when the server drops us mid-write: seen through `closed`.
    });
    let received = Buffer.alloc(0);
    let waiter: (() => void) | null = null;
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      waiter?.();
    });
    const bytes = async (n: number): Promise<Buffer> => {
      while (received.length < n) {
        if (gone) throw new Error('connection closed by the server');
        await Promise.race([new Promise<void>((r) => (waiter = r)), closed]);
      }
      const out = received.subarray(0, n);
      received = received.subarray(n);
      return out;
    };
    const send = (data: Buffer) =>
      new Promise<boolean>((done) => {
        if (gone || socket.destroyed) return done(false);
        if (socket.write(data)) return done(true);
        const onDrain = () => (socket.off('close', onClose), done(true));
        const onClose = () => (socket.off('drain', onDrain), done(false));
        socket.once('drain', onDrain);
        socket.once('close', onClose);
      });
    const decoder = new ChunkDecoder();
    const commands: AmfValue[][] = [];
    const nextCommand = async (): Promise<AmfValue[]> => {
      while (commands.length === 0) {
        for (const m of decoder.push(await bytes(Math.max(1, received.length)))) {
          if (m.typeId === MSG_COMMAND_AMF0) commands.push(decodeAll(m.payload));
        }
      }
      return commands.shift()!;
    };
    socket.once('connect', () => {
      resolve({
        socket,
        closed,
        send,
        async handshake() {
          await send(Buffer.concat([Buffer.from([3]), Buffer.alloc(HANDSHAKE_SIZE)]));
          const s0s1s2 = await bytes(1 + 2 * HANDSHAKE_SIZE);
          await send(s0s1s2.subarray(1, 1 + HANDSHAKE_SIZE));
        },
        async publish(app, key) {
          await send(command(0, ['connect', 1, { app, tcUrl: `rtmp://127.0.0.1/${app}` }]));
          await nextCommand();
          await send(command(0, ['createStream', 2, null]));
          await nextCommand();
          await send(command(1, ['publish', 3, null, key, 'live']));
          const status = await nextCommand();
          return String((status[3] as { code?: string }).code);
        },
      });
    });
  });
}
