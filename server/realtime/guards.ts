// Limits that keep one client from hurting the others: the size of an event's payload, a
// per-connection command rate (token bucket), caps on bare engine.io connections (in total and
// per client address), and a limit on what the server holds for a client that does not read.
import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import type { Logger } from '../logger.ts';
import { clientAddress, ConnectionCap } from '../net/clientAddress.ts';

/** Approximate size of an event payload as it arrived (JSON text length). */
export function payloadSize(payload: unknown): number {
  try {
    return JSON.stringify(payload)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.ratePerSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export interface EngineLimits {
  /** engine.io connections (any namespace, any transport) one client address may hold. */
  maxPerAddress: number;
  /** engine.io connections in all. */
  maxConnections: number;
  /** Bytes waiting to be sent to one client (not read yet) before it is dropped. */
  maxBufferedBytes: number;
  /** Behind a reverse proxy: the client is the first X-Forwarded-For hop. */
  trustProxy: boolean;
  /** How often the send buffers are looked at. */
  checkEveryMs: number;
}

/** What the server holds for an engine.io connection: its unsent packets and the WebSocket's unsent bytes. */
interface EngineConnection {
  /** Dropped (null) once /live has its handshake (Realtime's forgetRequest). */
  request: IncomingMessage | null;
  writeBuffer: { data?: unknown }[];
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
  on(event: 'close', listener: (this: EngineConnection) => void): void;
}

function bufferedBytes(conn: EngineConnection): number {
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer) {
    const data = packet.data;
    bytes += typeof data === 'string' ? data.length : data instanceof Uint8Array ? data.byteLength : 0;
  }
  return bytes;
}

/**
 * Guards the engine.io layer under every namespace: caps connections per client address (an
 * IPv6 /64; behind a trusted proxy the forwarded client) and in total, and drops a client
 * whose unsent output passes a limit — a client that never reads would otherwise make the
 * server keep every snapshot and update it was sent.
 */
export class EngineGuard {
  readonly #limits: EngineLimits;
  readonly #cap: ConnectionCap;
  readonly #logger: Logger;
  /** Every engine.io connection open, with its client address (counted against the caps). */
  readonly #open = new Map<EngineConnection, string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(limits: EngineLimits, logger: Logger) {
    this.#limits = limits;
    this.#cap = new ConnectionCap(limits.maxPerAddress, limits.maxConnections);
    this.#logger = logger;
  }

  #address(req: IncomingMessage): string {
    return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.#limits.trustProxy);
  }

  /** engine.io's `allowRequest` for new sessions: refused at once when a cap is reached. */
  readonly allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const address = this.#address(req);
    if (this.#cap.take(address)) {
      // Counted for real once the connection exists (see watch); this only asked.
      this.#cap.release(address);
      return callback(null, true);
    }
    callback('too many connections', false);
  };

  /** Counts every engine.io connection and checks the send buffers periodically. */
  watch(io: Server): void {
    const open = this.#open;
    const cap = this.#cap;
    // One listener for every connection (`this` is the connection): nothing allocated per resident.
    function closed(this: EngineConnection): void {
      const address = open.get(this);
      if (address === undefined) return;
      open.delete(this);
      cap.release(address);
    }
    io.engine.on('connection', (conn: EngineConnection) => {
      if (!conn.request) return conn.close(true);
      const address = this.#address(conn.request);
      if (!cap.take(address)) return conn.close(true);
      open.set(conn, address);
      conn.on('close', closed);
    });
    this.#timer = setInterval(() => {
      for (const [conn, remote] of this.#open) {
        const bytes = bufferedBytes(conn);
        if (bytes <= this.#limits.maxBufferedBytes) continue;
        this.#logger.warn({ remote, bytes }, 'client does not read what it is sent, dropped');
        // A WebSocket's closing handshake would wait for a client that does not read.
        conn.transport.socket?.terminate?.();
        conn.close(true);
      }
    }, this.#limits.checkEveryMs);
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
