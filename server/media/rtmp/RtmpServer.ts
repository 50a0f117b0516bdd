// The RTMP listener: one TCP port for every room. Each connection becomes an RtmpSession;
// which room a publisher feeds is decided by the authorizer from its stream key.
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Logger } from '../../logger.ts';
import { RtmpSession, type Authorizer, type RtmpSessionOptions } from './RtmpSession.ts';

export type RtmpServerEvents = { closed: [] };

// A dropped encoder whose TCP connection never closed holds its room until the idle timeout:
// short, so its reconnect (OBS retries after a few seconds) gets in soon.
const DEFAULT_OPTIONS: RtmpSessionOptions = { setupTimeoutMs: 15_000, idleTimeoutMs: 10_000 };

export class RtmpServer extends EventEmitter<RtmpServerEvents> {
  readonly #server: Server;
  readonly #sessions = new Set<RtmpSession>();
  readonly #logger: Logger;
  #closed = false;

  constructor(authorize: Authorizer, logger: Logger, options: Partial<RtmpSessionOptions> = {}) {
    super();
    this.#logger = logger;
    const sessionOptions = { ...DEFAULT_OPTIONS, ...options };
    this.#server = createServer((socket) => {
      if (this.#closed) return socket.destroy();
      const session = new RtmpSession(socket, authorize, logger, sessionOptions);
      this.#sessions.add(session);
      session.once('closed', () => this.#sessions.delete(session));
    });
  }

  /** Binds the port; rejects with the bind error (e.g. EADDRINUSE). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        const bound = (this.#server.address() as AddressInfo).port;
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
