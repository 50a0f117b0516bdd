// An edge (RADACAST_ROLE=edge, docs/scaling.md): serves residents — `/live` from what the
// writer keeps in Redis (EdgeHub) with updates through socket.io's Redis adapter, and every
// other GET (pages, the public API, published tables, HLS) passed to the writer, for nginx or a
// CDN in front to cache. It holds nothing that is lost when it dies: a resident reconnects to
// another edge and resumes from its seq. It changes nothing: other methods are refused.
import { mkdirSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from '../protocol/errors.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { EdgeHub } from './realtime/EdgeHub.ts';
import { liveLimits, Realtime } from './realtime/Realtime.ts';
import { connectRedis, liveAdapter } from './realtime/redis.ts';
import { SharedLive, type RedisClient } from './realtime/SharedLive.ts';

/** Headers of one hop only (RFC 9110 §7.6.1): never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export class Edge {
  readonly http: Server;
  readonly realtime: Realtime;
  readonly #redis: RedisClient;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #writer: URL;
  #closed = false;

  private constructor(config: Config, logger: Logger, redis: RedisClient, writerUrl: string) {
    this.#config = config;
    this.#logger = logger;
    this.#redis = redis;
    this.#writer = new URL(writerUrl);
    this.http = createServer((req, res) => this.#serve(req, res));
    this.realtime = new Realtime(this.http, {
      hub: new EdgeHub({ shared: new SharedLive(redis), writerUrl, now: () => new Date() }),
      clerk: null,
      adapter: liveAdapter(redis),
      logger,
      options: liveLimits(config),
    });
  }

  static async open(config: Config, logger: Logger): Promise<Edge> {
    // Its own data folder (it may run on another machine): nothing of the writer's is read from disk.
    mkdirSync(config.dataDir, { recursive: true });
    const { redisUrl, writerUrl } = config;
    if (redisUrl === null || writerUrl === null) throw new Error('an edge needs RADACAST_REDIS_URL and RADACAST_WRITER_URL');
    return new Edge(config, logger, await connectRedis(redisUrl, logger), writerUrl);
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    // socket.io answers its own path before this handler sees it.
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { ok: false, error: errorBody('forbidden', { event: String(req.method) }) });
    if (req.url === '/api/health') return json(res, 200, { status: 'ok', role: 'edge' });
    this.#pass(req, res);
  }

  /** Passes a read to the writer and streams its answer back, headers (caching ones included) as they are. */
  #pass(req: IncomingMessage, res: ServerResponse): void {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const peer = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${peer}` : peer;
    const upstream = request(
      { protocol: this.#writer.protocol, hostname: this.#writer.hostname, port: this.#writer.port, method: req.method, path: req.url, headers },
      (answer) => {
        const back: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      this.#logger.warn({ err, url: req.url }, 'the writer did not answer');
      if (!res.headersSent) json(res, 502, { ok: false, error: errorBody('internal') });
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    upstream.end();
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.#config.port, this.#config.host, () => {
        this.http.off('error', reject);
        const address = this.http.address();
        if (address === null || typeof address === 'string') return reject(new Error('the edge listens on no TCP port'));
        this.#logger.info({ port: address.port, role: 'edge', writer: this.#writer.origin }, 'radacast edge ready');
        resolve(address);
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.realtime.close();
    this.http.closeAllConnections();
    await closed;
    await this.#redis.close();
  }
}
