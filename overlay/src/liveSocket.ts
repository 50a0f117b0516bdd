// The overlay's socket: the part of socket.io-client's `io()` that client/lib/LiveFeed.ts uses
// (`on`, `emit` with an acknowledgement, `connected`, `close`, reconnecting with back-off), over a
// WebSocket only. The overlay's build puts it in place of socket.io-client (vite.config.ts): the
// full client — long-polling, transport upgrades, binary packets, none of which a browser source
// on the broadcast PC needs — would be a third of the page's JavaScript (12.7 kB of 38 gzipped).
// It speaks Engine.IO 4 and Socket.IO 5: JSON packets, and binary ones for the sitting snapshots
// the server's /live channel sends as bytes.

type Listener = (...args: unknown[]) => void;
const isListener = (value: unknown): value is Listener => typeof value === 'function';

export interface LiveSocketOptions {
  /** First wait before reconnecting, doubled on each failed attempt up to the max (socket.io's defaults). */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
}

// Engine.IO packet types (the first character of a frame) and Socket.IO's inside a message.
const ENGINE_OPEN = '0';
const ENGINE_CLOSE = '1';
const ENGINE_PING = '2';
const ENGINE_PONG = '3';
const ENGINE_MESSAGE = '4';
const IO_CONNECT = '0';
const IO_DISCONNECT = '1';
const IO_EVENT = '2';
const IO_ACK = '3';
// An event or acknowledgement whose arguments hold bytes (a sitting's snapshot): its JSON holds
// placeholders, and the bytes follow as that many binary WebSocket frames.
const IO_BINARY_EVENT = '5';
const IO_BINARY_ACK = '6';

type Packet = { type: string; attachments: number; nsp: string; id: number | null; data: unknown };

/** A Socket.IO packet: `<type>[<attachments>-][<namespace>,][<ack id>][<json>]`. */
function parsePacket(text: string): Packet {
  let at = 1;
  let attachments = 0;
  if (text[0] === IO_BINARY_EVENT || text[0] === IO_BINARY_ACK) {
    const dash = text.indexOf('-', at);
    attachments = Number(text.slice(at, dash));
    at = dash + 1;
  }
  let nsp = '/';
  if (text[at] === '/') {
    const comma = text.indexOf(',', at);
    nsp = comma < 0 ? text.slice(at) : text.slice(at, comma);
    at = comma < 0 ? text.length : comma + 1;
  }
  const digits = /^\d*/.exec(text.slice(at))?.[0] ?? '';
  at += digits.length;
  return { type: text[0] ?? '', attachments, nsp, id: digits === '' ? null : Number(digits), data: at < text.length ? JSON.parse(text.slice(at)) : undefined };
}

/** The packet's data with each `{_placeholder: true, num}` replaced by the bytes it stands for. */
function withAttachments(data: unknown, buffers: ArrayBuffer[]): unknown {
  if (Array.isArray(data)) return data.map((item) => withAttachments(item, buffers));
  if (data === null || typeof data !== 'object') return data;
  if ('_placeholder' in data && data._placeholder === true && 'num' in data && typeof data.num === 'number') return buffers[data.num];
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, withAttachments(value, buffers)]));
}

class LiveSocket {
  connected = false;
  readonly #endpoint: string;
  readonly #nsp: string;
  readonly #options: Required<LiveSocketOptions>;
  readonly #listeners = new Map<string, Listener[]>();
  readonly #acks = new Map<number, Listener>();
  /** Emits made while disconnected, sent on the next connect (as socket.io-client does). */
  #queued: string[] = [];
  #nextAck = 0;
  #ws: WebSocket | null = null;
  #attempts = 0;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #heartbeatMs = 0;
  /** A binary packet waiting for its attachments, and those received so far. */
  #binary: { packet: Packet; buffers: ArrayBuffer[] } | null = null;

  constructor(uri: string, options: LiveSocketOptions) {
    const url = new URL(uri, location.href);
    this.#nsp = url.pathname === '' ? '/' : url.pathname;
    this.#endpoint = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/socket.io/?EIO=4&transport=websocket`;
    this.#options = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, ...options };
    this.#open();
  }

  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args.at(-1);
    let id = '';
    if (isListener(last)) {
      args.pop();
      id = String(this.#nextAck++);
      this.#acks.set(Number(id), last);
    }
    const frame = `${ENGINE_MESSAGE}${IO_EVENT}${this.#prefix()}${id}${JSON.stringify([event, ...args])}`;
    if (this.connected && this.#ws) this.#ws.send(frame);
    else this.#queued.push(frame);
    return this;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#drop('io client disconnect');
  }

  #prefix(): string {
    return this.#nsp === '/' ? '' : `${this.#nsp},`;
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(...args);
  }

  #open(): void {
    const ws = new WebSocket(this.#endpoint);
    this.#ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') this.#frame(e.data);
      else if (e.data instanceof ArrayBuffer) this.#attachment(e.data);
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#drop('transport close');
      this.#reconnect();
    };
  }

  #frame(frame: string): void {
    const kind = frame[0];
    if (kind === ENGINE_OPEN) {
      const open: { pingInterval: number; pingTimeout: number } = JSON.parse(frame.slice(1));
      this.#heartbeatMs = open.pingInterval + open.pingTimeout;
      this.#alive();
      this.#ws?.send(`${ENGINE_MESSAGE}${IO_CONNECT}${this.#prefix()}`);
    } else if (kind === ENGINE_PING) {
      this.#alive();
      this.#ws?.send(ENGINE_PONG);
    } else if (kind === ENGINE_CLOSE) {
      this.#ws?.close();
    } else if (kind === ENGINE_MESSAGE) {
      this.#packet(parsePacket(frame.slice(1)));
    }
  }

  #attachment(bytes: ArrayBuffer): void {
    const binary = this.#binary;
    if (!binary) return;
    binary.buffers.push(bytes);
    if (binary.buffers.length < binary.packet.attachments) return;
    this.#binary = null;
    const { packet, buffers } = binary;
    this.#packet({ ...packet, type: packet.type === IO_BINARY_EVENT ? IO_EVENT : IO_ACK, attachments: 0, data: withAttachments(packet.data, buffers) });
  }

  #packet(packet: Packet): void {
    if (packet.nsp !== this.#nsp) return;
    if (packet.attachments > 0) {
      this.#binary = { packet, buffers: [] };
      return;
    }
    if (packet.type === IO_CONNECT) {
      this.connected = true;
      this.#attempts = 0;
      this.#fire('connect');
      const queued = this.#queued;
      this.#queued = [];
      for (const frame of queued) this.#ws?.send(frame);
    } else if (packet.type === IO_EVENT && Array.isArray(packet.data)) {
      const [event, ...args]: unknown[] = packet.data;
      if (typeof event === 'string') this.#fire(event, ...args);
    } else if (packet.type === IO_ACK && packet.id !== null && Array.isArray(packet.data)) {
      const ack = this.#acks.get(packet.id);
      this.#acks.delete(packet.id);
      ack?.(...packet.data);
    } else if (packet.type === IO_DISCONNECT) {
      // The server let this socket go on purpose: like socket.io-client, no reconnecting.
      this.#closed = true;
      this.#drop('io server disconnect');
    } else {
      console.warn(`radacast overlay: unexpected socket packet of type ${packet.type}`);
    }
  }

  /** A server that stops pinging is gone even if no close ever arrives. */
  #alive(): void {
    clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => this.#ws?.close(), this.#heartbeatMs);
  }

  #drop(reason: string): void {
    clearTimeout(this.#heartbeat);
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close();
    this.#acks.clear();
    this.#binary = null;
    if (!this.connected) return;
    this.connected = false;
    this.#fire('disconnect', reason);
  }

  /** socket.io-client's back-off: doubling from the first delay, ±50 % jitter, capped. */
  #reconnect(): void {
    if (this.#closed) return;
    const { reconnectionDelay, reconnectionDelayMax } = this.#options;
    const base = Math.min(reconnectionDelay * 2 ** this.#attempts++, reconnectionDelayMax);
    const delay = Math.min(base + (Math.random() - 0.5) * base, reconnectionDelayMax);
    this.#retry = setTimeout(() => this.#open(), delay);
  }
}

export const io = (uri: string, options: LiveSocketOptions = {}): LiveSocket => new LiveSocket(uri, options);
