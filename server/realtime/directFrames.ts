// A room broadcast's last step, made as cheap as a bare `ws` broadcast for residents (issue 18).
// socket.io encodes a broadcast once, as a finished WebSocket frame (socket.io-adapter's
// `wsPreEncodedFrame`), and hands it to each socket's engine.io connection, which queues it,
// flushes the queue, writes the frame with the very call below and then tracks the write with
// a callback, four events and a microtask per socket. At 10,000 residents that bookkeeping (and
// the garbage it leaves) is what made radacast's fan-out slower than a bare `ws` server's.
// Here a connection with nothing queued and no write in flight gets the frame written at once;
// anything else takes socket.io's own path, so the order of what one connection receives never
// changes. A resident who stops reading is still dropped by EngineGuard (its WebSocket's
// buffered bytes grow the same way).

/** What this reads of socket.io's per-connection Client and its engine.io connection. */
interface Client {
  conn: {
    readyState: string;
    writeBuffer: unknown[];
    transport: {
      name: string;
      writable: boolean;
      perMessageDeflate: unknown;
      socket?: { _sender?: { sendFrame(frame: Buffer[], cb?: () => void): void } };
    };
  };
}

type WriteToEngine = (this: Client, encoded: unknown, options: { wsPreEncodedFrame?: Buffer[] }) => void;

/**
 * socket.io's own `Client.prototype.writeToEngine`, found on the first client given the direct
 * write; a bare `Function` (what `Reflect.get` of a method is), called through `Reflect.apply`.
 */
let socketIoWrite: Function | null = null;

/** One function for every client (`this` is the client): nothing allocated per resident. */
const writeDirectly: WriteToEngine = function (encoded, options) {
  const frame = options.wsPreEncodedFrame;
  const { conn } = this;
  const { transport } = conn;
  const sender = transport.socket?._sender;
  if (frame !== undefined && sender !== undefined && conn.readyState === 'open' && transport.name === 'websocket' && transport.writable && !transport.perMessageDeflate && conn.writeBuffer.length === 0) {
    sender.sendFrame(frame);
    return;
  }
  if (socketIoWrite) Reflect.apply(socketIoWrite, this, [encoded, options]);
};

/** Gives a /live socket's connection the direct write (used by room broadcasts only: nothing else carries a finished frame). */
export function writeFramesDirectly(client: object): void {
  if (socketIoWrite === null) {
    const prototype = Reflect.getPrototypeOf(client);
    const own: unknown = prototype === null ? undefined : Reflect.get(prototype, 'writeToEngine');
    if (typeof own !== 'function') return;
    socketIoWrite = own;
  }
  Reflect.set(client, 'writeToEngine', writeDirectly);
}
