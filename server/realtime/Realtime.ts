// The socket.io server on the same HTTP server: `/live` (public, read-only: subscribe and
// unsubscribe only) and `/clerk` (session cookie or bearer token; subscribe and commands).
// Every refused event gets an error ack and changes nothing.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Namespace, type ServerOptions, type Socket } from 'socket.io';
import type { CommandAnswer } from '../../protocol/answers.ts';
import { Command } from '../../protocol/commands.ts';
import { SubscribeRequest as SubscribeSchema } from '../../protocol/subscribeSchema.ts';
import { errorBody, type ErrorCode } from '../../protocol/errors.ts';
import {
  CLERK_NAMESPACE,
  LIVE_NAMESPACE,
  type ClerkClientToServer,
  type ClerkServerToClient,
  type ErrorAnswer,
  type LiveClientToServer,
  type LiveServerToClient,
  type SubscribeAnswer,
  type SubscribeRequest,
} from '../../protocol/socket.ts';
import type { IngestStatus } from '../../protocol/media.ts';
import { ILL_FORMED_MESSAGE, illFormedPath } from '../../protocol/wellFormed.ts';
import type { Principal, UserStore } from '../auth/UserStore.ts';
import { principalFrom } from '../http/auth.ts';
import { originAllowed, type OriginPolicy } from '../http/sameOrigin.ts';
import { zodIssues } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import type { Config } from '../config.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { clientAddress, ConnectionCap } from '../net/clientAddress.ts';
import { EngineGuard, payloadSize, TokenBucket } from './guards.ts';
import { writeFramesDirectly } from './directFrames.ts';
import type { SubscribingSocket } from './EdgeHub.ts';

export interface RealtimeOptions {
  /** Largest accepted event payload (JSON characters). */
  maxPayload: number;
  /** Connections one client address (an IPv6 /64) may hold on /live; bare engine.io connections get a little more. */
  maxLivePerAddress: number;
  /** engine.io connections in all. */
  maxConnections: number;
  /** Unsent bytes one client may have waiting (it does not read) before it is dropped. */
  maxBufferedBytes: number;
  /** Behind a reverse proxy (RADACAST_TRUST_PROXY): a client's address is the first X-Forwarded-For hop. */
  trustProxy: boolean;
  /** Commands per second (and burst) one clerk connection may send. */
  commandRate: number;
  commandBurst: number;
  /** Events per second (and burst) any connection may send before being refused. */
  eventRate: number;
  eventBurst: number;
  /** Refused events after which a connection is dropped: a flooder costs the others nothing. */
  maxRefusals: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  maxPayload: 64 * 1024,
  maxLivePerAddress: 200,
  maxConnections: 20_000,
  maxBufferedBytes: 1024 * 1024,
  trustProxy: false,
  commandRate: 20,
  commandBurst: 60,
  eventRate: 20,
  eventBurst: 100,
  maxRefusals: 200,
};

const KNOWN_LIVE_EVENTS = new Set(['subscribe', 'unsubscribe']);
const KNOWN_CLERK_EVENTS = new Set(['subscribe', 'unsubscribe', 'command']);

type Ack = (answer: unknown) => void;
const isAck = (ack: unknown): ack is Ack => typeof ack === 'function';

/**
 * What the guard keeps per connection, in `socket.data.guard`: its event-rate bucket, the
 * refusals so far, and (on /live) the client address its connection is counted under.
 */
class ConnectionGuard {
  refusals = 0;
  readonly bucket: TokenBucket;
  readonly address: string | null;

  constructor(options: RealtimeOptions, address: string | null) {
    this.bucket = new TokenBucket(options.eventRate, options.eventBurst, Date.now());
    this.address = address;
  }
}

/** A connection's guard (set before any event or disconnect can come; socket.io types `data` as `any`). */
function guardOf(socket: Socket): ConnectionGuard {
  const guard: unknown = socket.data.guard;
  if (!(guard instanceof ConnectionGuard)) throw new Error(`socket ${socket.id} has no guard`);
  return guard;
}

/** Answers with an error ack and counts the refusal; a connection that keeps sending bad events is dropped. */
function refuse(socket: Socket, options: RealtimeOptions, ack: unknown, code: ErrorCode, context?: Record<string, string | number>, issues?: ReturnType<typeof zodIssues>): void {
  if (isAck(ack)) ack({ ok: false, error: errorBody(code, context, issues) } satisfies ErrorAnswer);
  const guard = guardOf(socket);
  guard.refusals += 1;
  if (guard.refusals === options.maxRefusals) socket.disconnect(true);
}

/**
 * Per-connection guard: every event passes an event-rate bucket and must be one the namespace
 * knows, with well-formed text. The checks are one function per namespace; each socket holds
 * its guard's few numbers and a one-line closure (not `bind`, whose function V8 gives a
 * dictionary of properties: a quarter of a kilobyte per resident).
 */
function guarded(known: Set<string>, options: RealtimeOptions): (socket: Socket) => void {
  const check = (socket: Socket, [event, ...args]: unknown[], next: (err?: Error) => void): void => {
    if (socket.disconnected) return;
    if (!guardOf(socket).bucket.take(Date.now())) return refuse(socket, options, args.at(-1), 'rate-limited');
    // Events no handler knows, e.g. a public client trying to send `command`.
    if (typeof event !== 'string' || !known.has(event)) return refuse(socket, options, args.at(-1), 'forbidden', { event: String(event).slice(0, 64) });
    // Lone surrogates anywhere in the payload (protocol/wellFormed.ts), before any schema runs.
    const path = illFormedPath(args);
    if (path) return refuse(socket, options, args.at(-1), 'invalid', undefined, [{ path: path.slice(1), message: ILL_FORMED_MESSAGE }]);
    next();
  };
  return (socket) => {
    // /live's middleware made it (with the address it counted); /clerk's has none.
    socket.data.guard ??= new ConnectionGuard(options, null);
    socket.use((event, next) => check(socket, event, next));
  };
}

/** Who answers `subscribe`: LiveHub in the process that holds the record, EdgeHub on an edge (from Redis). */
export interface SubscriptionHub {
  attach(namespace: Namespace): void;
  subscribe(socket: SubscribingSocket, request: SubscribeRequest): SubscribeAnswer | Promise<SubscribeAnswer>;
}

/** The clerk's channel: only where the record is (not on an edge). */
interface ClerkDeps {
  /** Ingest state of every room, sent to each console when it connects. */
  ingestStatuses: () => IngestStatus[];
  record: CouncilRecord;
  users: UserStore;
  /** Who may open /clerk from a browser (server/http/sameOrigin.ts). */
  origins: OriginPolicy;
}

interface Deps {
  hub: SubscriptionHub;
  logger: Logger;
  options: RealtimeOptions;
  clerk: ClerkDeps | null;
  /** socket.io's adapter across processes (Redis streams), when there are edges. */
  adapter?: ServerOptions['adapter'];
}

/** `subscribe` and `unsubscribe`, one pair of handlers per namespace that every socket shares (`this` is the socket). */
function subscriptionHandlers(deps: Deps) {
  const { options } = deps;
  function subscribe(this: Socket, request: unknown, ack: unknown): void {
    if (!isAck(ack)) return;
    if (payloadSize(request) > options.maxPayload) return refuse(this, options, ack, 'payload-too-large');
    const parsed = SubscribeSchema.safeParse(request);
    if (!parsed.success) return refuse(this, options, ack, 'invalid', undefined, zodIssues(parsed.error));
    const answered = deps.hub.subscribe(this, parsed.data);
    if (!(answered instanceof Promise)) return ack(answered);
    answered.then(ack, (err: unknown) => {
      // An edge that cannot read Redis or reach the writer: the page retries on its next connect.
      deps.logger.error({ err }, 'subscribe failed');
      ack({ ok: false, error: errorBody('internal') } satisfies ErrorAnswer);
    });
  }
  function unsubscribe(this: Socket, ack: unknown): void {
    for (const joined of [...this.rooms]) if (joined !== this.id) void this.leave(joined);
    if (isAck(ack)) ack({ ok: true });
  }
  return (socket: Socket) => {
    socket.on('subscribe', subscribe);
    socket.on('unsubscribe', unsubscribe);
  };
}

/** Consoles of the same office share an address with its viewers: bare connections get this many more. */
const ENGINE_HEADROOM = 20;

function setUpLive(nsp: Namespace<LiveClientToServer, LiveServerToClient>, deps: Deps): void {
  const counter = new ConnectionCap(deps.options.maxLivePerAddress);
  function release(this: Socket): void {
    const { address } = guardOf(this);
    if (address !== null) counter.release(address);
  }
  nsp.use((socket, next) => {
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], deps.options.trustProxy);
    if (!counter.take(address)) return next(Object.assign(new Error('too many connections'), { data: errorBody('rate-limited') }));
    socket.data.guard = new ConnectionGuard(deps.options, address);
    socket.on('disconnect', release);
    next();
  });
  const guard = guarded(KNOWN_LIVE_EVENTS, deps.options);
  const handle = subscriptionHandlers(deps);
  nsp.on('connection', (socket) => {
    guard(socket);
    handle(socket);
    travelLight(socket);
  });
}

/** Kept for the handshake's request headers and query once /live has read them (see travelLight). */
const NOTHING = Object.freeze({});

/**
 * What an idle resident's connection keeps, trimmed to what radacast reads after the handshake
 * (issue 18: memory per subscriber):
 * - engine.io keeps the connection's first HTTP request (the object, its raw headers, its query)
 *   for the connection's whole life; socket.io's own advice is to let it go
 *   ("rawSocket.request = null"; see also unpinUpgradeRequests). Kept when the connection
 *   carries a cookie or an Authorization header: the same connection may open /clerk later (the
 *   console multiplexes), whose handshake authenticates by them and checks the origin.
 * - socket.io's `handshake` copies the headers (a browser sends a kilobyte of them), the query,
 *   the URL and the time as text; /live has taken the address it needs in its middleware.
 * - socket.io joins every socket to a room named by its id, for `to(socket.id)`, which radacast
 *   never uses: a Set per resident.
 * And its connection is written room broadcasts directly (directFrames.ts).
 */
function travelLight(socket: Socket): void {
  const { headers } = socket.conn.request;
  // engine.io types the request as always present; socket.io reads it as optional (`request?.headers`).
  if (headers.cookie === undefined && headers.authorization === undefined) Reflect.set(socket.conn, 'request', null);
  Object.assign(socket.handshake, { headers: NOTHING, query: NOTHING, url: '', time: '' });
  void socket.leave(socket.id);
  writeFramesDirectly(socket.client);
}

function setUpClerk(nsp: Namespace<ClerkClientToServer, ClerkServerToClient>, deps: Deps, clerk: ClerkDeps): void {
  const identify = (socket: Socket): Principal | null => {
    const token: unknown = socket.handshake.auth.token;
    const headers = {
      cookie: socket.handshake.headers.cookie,
      authorization: typeof token === 'string' ? `Bearer ${token}` : socket.handshake.headers.authorization,
    };
    return principalFrom(clerk.users, headers, new Date());
  };
  nsp.use((socket, next) => {
    // Cross-site WebSocket hijacking: another site's page would ride on the clerk's cookie. A
    // connection whose request was dropped (travelLight) carried no cookie to ride on.
    const request: IncomingMessage | null = socket.request;
    if (request !== null && !originAllowed(request, clerk.origins)) {
      return next(Object.assign(new Error('cross-origin'), { data: errorBody('cross-origin') }));
    }
    const principal = identify(socket);
    if (!principal) return next(Object.assign(new Error('unauthorized'), { data: errorBody('unauthorized') }));
    socket.data.principal = principal;
    next();
  });
  // A logout, a removed account or a revoked token ends its sockets at once, not at their next command.
  clerk.users.on('accessChanged', () => {
    for (const socket of nsp.sockets.values()) {
      const principal = identify(socket);
      if (principal) socket.data.principal = principal;
      else socket.disconnect(true);
    }
  });
  const guard = guarded(KNOWN_CLERK_EVENTS, deps.options);
  const handle = subscriptionHandlers(deps);
  const { options } = deps;
  nsp.on('connection', (socket) => {
    guard(socket);
    for (const status of clerk.ingestStatuses()) socket.emit('ingest', status);
    handle(socket);
    const bucket = new TokenBucket(options.commandRate, options.commandBurst, Date.now());
    socket.on('command', (payload: unknown, ack: unknown) => {
      if (!isAck(ack)) return;
      if (!bucket.take(Date.now())) return refuse(socket, options, ack, 'rate-limited');
      if (payloadSize(payload) > options.maxPayload) return refuse(socket, options, ack, 'payload-too-large');
      // The session may have ended (logout, password change) since the handshake.
      const principal = identify(socket);
      if (!principal) {
        refuse(socket, options, ack, 'unauthorized');
        socket.disconnect(true);
        return;
      }
      const parsed = Command.safeParse(payload);
      if (!parsed.success) return refuse(socket, options, ack, 'invalid', undefined, zodIssues(parsed.error));
      let answer: CommandAnswer;
      try {
        answer = clerk.record.execute(parsed.data, { actor: principal.name, at: new Date().toISOString() });
      } catch (err) {
        // A fault of the server (e.g. the disk): the transaction rolled back, nothing changed.
        deps.logger.error({ err, command: parsed.data.type }, 'command failed');
        return ack({ ok: false, error: errorBody('internal') } satisfies ErrorAnswer);
      }
      deps.logger.info(
        { command: parsed.data.type, commandId: parsed.data.commandId, ok: answer.ok, via: 'socket', actor: principal.name },
        'command',
      );
      ack(answer);
    });
  });
}

/**
 * engine.io 6.6 pins each WebSocket upgrade's request for the life of the TCP connection: the
 * stand-in response it builds for engine middlewares (radacast installs none) listens for the
 * socket's `close` only to re-emit it, and that listener holds the response and so the request.
 * It is the first `close` listener the upgrade adds (ws adds its own after it): removed, the
 * request goes once forgetRequest lets go of it too.
 */
function unpinUpgradeRequests(engine: Server['engine']): void {
  const handleUpgrade = engine.handleUpgrade.bind(engine);
  engine.handleUpgrade = (req, socket, head) => {
    const before = socket.listenerCount('close');
    handleUpgrade(req, socket, head);
    const [pin] = socket.listeners('close').slice(before);
    // Node types listeners as bare `Function`s; removeListener takes the same function back.
    if (pin) Reflect.apply(socket.removeListener, socket, ['close', pin]);
  };
}

export class Realtime {
  readonly io: Server;
  readonly #engineGuard: EngineGuard;
  #closed = false;

  constructor(http: HttpServer, deps: Omit<Deps, 'options'> & { options?: Partial<RealtimeOptions> }) {
    const options = { ...DEFAULT_REALTIME_OPTIONS, ...deps.options };
    this.#engineGuard = new EngineGuard(
      {
        maxPerAddress: options.maxLivePerAddress + ENGINE_HEADROOM,
        maxConnections: options.maxConnections,
        maxBufferedBytes: options.maxBufferedBytes,
        trustProxy: options.trustProxy,
        checkEveryMs: 1000,
      },
      deps.logger,
    );
    this.io = new Server(http, {
      allowRequest: this.#engineGuard.allowRequest,
      serveClient: false,
      // A hard cap at the transport; events above `maxPayload` but below this get an error ack.
      maxHttpBufferSize: Math.max(options.maxPayload * 4, 256 * 1024),
      cors: { origin: false },
      ...(deps.adapter ? { adapter: deps.adapter } : {}),
    });
    unpinUpgradeRequests(this.io.engine);
    const all = { ...deps, options };
    const live = this.io.of(LIVE_NAMESPACE);
    this.#engineGuard.watch(this.io);
    setUpLive(live, all);
    deps.hub.attach(live);
    if (deps.clerk) {
      const clerk = this.io.of(CLERK_NAMESPACE);
      setUpClerk(clerk, all, deps.clerk);
      deps.hub.attach(clerk);
    }
  }

  /** Connected /live sockets. */
  get liveSubscribers(): number {
    return this.io.of(LIVE_NAMESPACE).sockets.size;
  }

  /** Tells every console that a room's ingest state changed. */
  ingestChanged(status: IngestStatus): void {
    if (!this.#closed) this.io.of(CLERK_NAMESPACE).emit('ingest', status);
  }

  /** Disconnects every socket; the HTTP server itself is closed by its owner. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#engineGuard.close();
    this.io.disconnectSockets(true);
    this.io.engine.close();
  }
}

/** The socket server's limits for strangers, the same on a lone process, a writer and an edge. */
export function liveLimits(config: Pick<Config, 'liveMaxPerAddress' | 'maxConnections' | 'liveMaxBufferedBytes' | 'trustProxy'>): Partial<RealtimeOptions> {
  return {
    maxLivePerAddress: config.liveMaxPerAddress,
    maxConnections: config.maxConnections,
    maxBufferedBytes: config.liveMaxBufferedBytes,
    trustProxy: config.trustProxy,
  };
}
