// The RTMP listener: one TCP port for every room. Each connection becomes an RtmpSession;
// which room a publisher feeds is decided by the authorizer from its stream key. The port is
// open to anyone, so connections are capped per address and in total before any key is seen.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { boundAddress } from '../../net/boundAddress.ts';
import type { Logger } from '../../logger.ts';
import { addressGroup, ConnectionCap } from '../../net/clientAddress.ts';
import { RtmpSession, type Authorizer, type RtmpSessionOptions } from './RtmpSession.ts';

export type RtmpServerEvents = { closed: [] };

export interface RtmpServerOptions extends RtmpSessionOptions {
  /** Connections one address (an IPv6 /64) may hold, publishing or not. */
  maxPerAddress: number;
  /** Connections the port holds in all. */
  maxConnections: number;
}

// A dropped encoder whose TCP connection never closed holds its room until the idle timeout:
// short, so its reconnect (OBS retries after a few seconds) gets in soon. An encoder completes
// the handshake and publishes within a second; a connection that does not is dropped soon.
export const DEFAULT_RTMP_OPTIONS: RtmpServerOptions = {
  setupTimeoutMs: 5_000,
  setupByteBudget: 256 * 1024,
  idleTimeoutMs: 10_000,
  maxPerAddress: 8,
  maxConnections: 64,
};

export class RtmpServer extends EventEmitter<RtmpServerEvents> {
  readonly #server: Server;
  readonly #sessions = new Set<RtmpSession>();
  readonly #logger: Logger;
  #closed = false;

  constructor(authorize: Authorizer, logger: Logger, options: Partial<RtmpServerOptions> = {}) {
    super();
    this.#logger = logger;
    const sessionOptions = { ...DEFAULT_RTMP_OPTIONS, ...options };
    const cap = new ConnectionCap(sessionOptions.maxPerAddress, sessionOptions.maxConnections);
    this.#server = createServer((socket) => {
      if (this.#closed) return socket.destroy();
      const address = addressGroup(socket.remoteAddress ?? '?');
      if (!cap.take(address)) {
        this.#logger.warn({ remote: address, open: cap.open }, 'RTMP connection refused: too many connections');
        return socket.destroy();
      }
      const session = new RtmpSession(socket, authorize, logger, sessionOptions);
      this.#sessions.add(session);
      session.once('closed', () => {
        this.#sessions.delete(session);
        cap.release(address);
      });
    });
  }

  /** Binds the port; rejects with the bind error (e.g. EADDRINUSE). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        const bound = boundAddress(this.#server).port;
        this.#logger.info({ port: bound }, 'RTMP ingest listening');
        resolve(bound);
      });
    });
  }

  get port(): number | null {
    const address = this.#server.address();
    return address && typeof address === 'object' ? address.port : null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const session of this.#sessions) session.close();
    await stopped;
    this.emit('closed');
  }
}
