// The whole server as one long-lived object: opens the database and the record, bootstraps the
// admin account, serves HTTP, and closes everything (idempotently) on shutdown.
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { UserStore } from './auth/UserStore.ts';
import { serverSecret } from './auth/serverSecret.ts';
import type { SittingView } from '../protocol/views.ts';
import type { Config } from './config.ts';
import { loadDemo } from './demo/loadDemo.ts';
import { createApp } from './http/createApp.ts';
import { boundAddress } from './net/boundAddress.ts';
import { present } from '../protocol/present.ts';
import type { Logger } from './logger.ts';
import { openDatabase, type Db } from './store/database.ts';
import { CouncilRecord } from './store/CouncilRecord.ts';
import { verifyInBackground, type BackgroundVerification } from './store/verifyInBackground.ts';
import { ArchiveProjector } from './archive/ArchiveProjector.ts';
import { ArchiveQueries } from './archive/ArchiveQueries.ts';
import { LiveHub } from './realtime/LiveHub.ts';
import { connectRedis, liveAdapter } from './realtime/redis.ts';
import { SharedLive, type RedisClient } from './realtime/SharedLive.ts';
import { liveLimits, Realtime } from './realtime/Realtime.ts';
import { WebhookDispatcher } from './publish/WebhookDispatcher.ts';
import { WebhookStore } from './publish/WebhookStore.ts';
import { WebhookTargets } from './publish/webhookTargets.ts';
import { MediaService } from './media/MediaService.ts';
import { BackupSchedule } from './ops/BackupSchedule.ts';
import { Metrics } from './ops/metrics.ts';
import { AuditTrail } from './ops/AuditTrail.ts';
import { serveMetricsLocally } from './ops/metricsRoutes.ts';
import { removePidFile, writePidFile } from './ops/pidFile.ts';
import { RestreamService } from './media/restream/RestreamService.ts';
import { pushDestinations } from './media/restream/clerkPush.ts';
import { WebRtcService } from './media/webrtc/WebRtcService.ts';
import { InterpreterDesk } from './media/webrtc/interpreter.ts';
import { RoomLinks } from './media/webrtc/interpreterLinks.ts';

export const PAGES_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export class Radacast {
  readonly record: CouncilRecord;
  readonly users: UserStore;
  readonly http: Server;
  readonly realtime: Realtime;
  /** Sends signed notifications to webhooks when votes and sittings are published. */
  readonly webhooks: WebhookDispatcher;
  /** RTMP/SRT ingest, HLS, recordings; emits `status` for the clerk channel. */
  readonly media: MediaService;
  /** Restream destinations: relays the RTMP ingest to YouTube, Facebook, Telegram… */
  readonly restream: RestreamService;
  /** WHIP ingest and WHEP preview through mediasoup; unavailable without its worker (issue 17). */
  readonly webrtc: WebRtcService;
  /** The rooms' sign-language interpreters (issue 17). */
  readonly interpreter: InterpreterDesk;
  readonly #hub: LiveHub;
  readonly #backups: BackupSchedule | null;
  readonly metrics: Metrics;
  #metricsServer: Server | null = null;
  readonly #db: Db;
  readonly #config: Config;
  readonly #logger: Logger;
  #closed = false;
  #verification: BackgroundVerification | null = null;
  /** Settles when the background verification after a start from a checkpoint has ended (at once when none runs). */
  verified: Promise<void> = Promise.resolve();

  /** A writer's Redis client (socket.io's adapter and what the edges read); null in a lone process. */
  readonly #redis: RedisClient | null;

  private constructor(config: Config, logger: Logger, db: Db, redis: RedisClient | null) {
    this.#redis = redis;
    this.#config = config;
    this.#logger = logger;
    this.#db = db;
    const secret = serverSecret(config.dataDir);
    const opening = performance.now();
    this.record = new CouncilRecord(db, { projector: new ArchiveProjector(db), checkpointKey: secret });
    this.#logStart(performance.now() - opening);
    this.record.on('checkpointFailed', (err) => logger.warn({ err }, 'a start-up checkpoint could not be written'));
    this.users = new UserStore(db, config.sessionTtlMs);
    this.record.on('listenerError', (err) => logger.error({ err }, 'a listener of the record failed'));
    const webhookStore = new WebhookStore(db);
    const webhookTargets = new WebhookTargets(config.webhookAllowHosts);
    this.media = new MediaService({ db, record: this.record, config: config.media, dataDir: config.dataDir, bindHost: config.host, logger });
    this.webrtc = new WebRtcService({ config: config.webrtc, media: this.media, dataDir: config.dataDir, logger });
    this.interpreter = new InterpreterDesk({
      webrtc: this.webrtc,
      ffmpegPath: config.media.ffmpegPath,
      mediaDir: resolve(config.media.mediaDir ?? join(config.dataDir, 'media')),
      dataDir: config.dataDir,
      logger,
    });
    const roomLinks = new RoomLinks(db);
    // Interpreters and broadcasters with a room's link may have TURN credentials for that room.
    this.webrtc.grantIceServers((room, bearer) => roomLinks.check(bearer, room, ['interpreter', 'preview'], new Date()).ok);
    this.metrics = new Metrics({
      dataDir: config.dataDir,
      liveSubscribers: () => this.realtime.liveSubscribers,
      ingest: () => [...this.record.registry.rooms.keys()].flatMap((room) => this.media.status(room) ?? []),
      destinations: () => this.restream.all(),
    });
    this.record.on('executed', (type, outcome, seconds) => this.metrics.command(type, outcome, seconds));
    this.restream = new RestreamService({
      db,
      record: this.record,
      media: this.media,
      config: config.restream,
      ffmpegPath: config.media.ffmpegPath,
      dataDir: config.dataDir,
      logger,
    });
    const app = createApp({
      metrics: this.metrics,
      audit: new AuditTrail(db),
      db,
      record: this.record,
      sittingView: (id) => this.sittingView(id),
      users: this.users,
      logger,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      allowedOrigins: config.allowedOrigins,
      secret,
      pagesDir: PAGES_DIR,
      startedAt: new Date(),
      webhooks: webhookStore,
      webhookTargets,
      timeZone: config.timeZone,
      embedOrigins: config.embedOrigins,
      media: this.media,
      restream: this.restream,
      webrtc: this.webrtc,
      interpreter: { links: roomLinks, desk: this.interpreter },
      archive: new ArchiveQueries(db),
    });
    this.http = createServer(app);
    this.webhooks = new WebhookDispatcher({
      record: this.record,
      store: webhookStore,
      logger,
      publicUrl: () => this.publicUrl,
      backoffMs: config.webhookBackoffMs,
      maxAttempts: config.webhookMaxAttempts,
      targets: webhookTargets,
    });
    this.#hub = new LiveHub({
      record: this.record,
      view: (id) => this.sittingView(id),
      now: () => new Date(),
      interpreter: (room) => this.interpreter.onAir(room),
      observe: (bytes, lag) => this.metrics.liveUpdate(bytes, lag),
      ...(redis ? { shared: { live: new SharedLive(redis), failed: (err: unknown) => logger.warn({ err }, 'could not write the live state to Redis') } } : {}),
    });
    this.realtime = new Realtime(this.http, {
      hub: this.#hub,
      clerk: {
        ingestStatuses: () => [...this.record.registry.rooms.keys()].flatMap((room) => this.media.status(room) ?? []),
        record: this.record,
        users: this.users,
        origins: { allowed: config.allowedOrigins, trustProxy: config.trustProxy },
      },
      ...(redis ? { adapter: liveAdapter(redis) } : {}),
      logger,
      options: liveLimits(config),
    });
    this.media.on('status', (status) => this.realtime.ingestChanged(status));
    this.interpreter.on('changed', (room) => this.#hub.roomChanged(room));
    // The interpreter's picture is part of the recordings: it goes with them at their retention.
    this.media.on('retention', (cutoff) => this.interpreter.runs.expireBefore(cutoff));
    this.#countIngestConnections();
    this.media.on('segment', (room) => this.metrics.segment(room));
    this.media.on('ffmpegStarted', (room) => this.metrics.ffmpegStarted(room));
    this.webhooks.on('attempt', (_id, _log, status) => this.metrics.webhookAttempt(status));
    this.#backups = config.backup && new BackupSchedule({ dataDir: config.dataDir, logger, ...config.backup });
  }

  #logStart(millis: number): void {
    const { checkpoint, ignored, replayed } = this.record.startReport;
    if (ignored) this.#logger.warn({ reason: ignored }, `the start-up checkpoint was ignored (${ignored}): the whole log was replayed`);
    this.#logger.info({ checkpoint, replayed, millis: Math.round(millis) }, 'record opened');
  }

  /** Loud on every channel an operator watches: the log, stderr, /api/health and every page. */
  #alarm(): void {
    this.#logger.fatal({ faults: this.record.faults }, 'the log failed verification: serving read-only');
    process.stderr.write(
      `radacast: the log failed verification: ${this.record.faults.join('; ')}\n` +
        'radacast: serving READ-ONLY; every command is refused. Repair: docs/operations.md#a-record-that-fails-verification\n',
    );
  }

  /** After a start from a checkpoint: the chains before it, verified again off the event loop. */
  #verifyInBackground(): void {
    const verification = (this.#verification = verifyInBackground(this.#config.dataDir));
    this.verified = verification.done.then(
      (faults) => {
        this.#verification = null;
        if (faults.length === 0 || this.#closed) return;
        const sound = !this.record.readOnly;
        this.record.failVerification(faults);
        if (sound) this.#alarm();
      },
      (err: unknown) => {
        this.#verification = null;
        if (!this.#closed) this.#logger.error({ err }, 'the background verification of the log could not run');
      },
    );
  }

  /** Counts each time a room's ingest goes live (a reconnecting encoder counts again). */
  #countIngestConnections(): void {
    const live = new Set<string>();
    this.media.on('status', (status) => {
      if (status.state === 'live' && !live.has(status.room)) this.metrics.ingestConnected(status.room);
      if (status.state === 'live') live.add(status.room);
      else live.delete(status.room);
    });
    pushDestinations(this.realtime, this.restream);
  }

  /** The open database, for maintenance tools and tests (e.g. one that fills it like a full disk). */
  get database(): Db {
    return this.#db;
  }

  /** The public view of a sitting, as GET /api/sittings/:id and the live channel show it. */
  sittingView(id: string): SittingView | undefined {
    const view = this.record.sitting(id);
    const recording = view && this.media.recordingView(view);
    return recording ? { ...view, recording } : view;
  }

  /** Base of absolute links: RADACAST_PUBLIC_URL, else this server's own address (localhost when bound to all). */
  get publicUrl(): string {
    if (this.#config.publicUrl) return this.#config.publicUrl;
    const bound = this.http.address();
    const port = bound && typeof bound === 'object' ? bound.port : this.#config.port;
    const host = ['0.0.0.0', '::'].includes(this.#config.host) ? 'localhost' : this.#config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Opens the data folder, verifies and replays the log, and prepares the admin account. */
  static async open(config: Config, logger: Logger): Promise<Radacast> {
    const redis = config.role === 'writer' ? await connectRedis(present(config.redisUrl, 'RADACAST_REDIS_URL of a writer (the configuration requires it)'), logger) : null;
    const db = openDatabase(config.dataDir, config.synchronous);
    let server: Radacast;
    try {
      server = new Radacast(config, logger, db, redis);
    } catch (err) {
      db.close();
      await redis?.close();
      throw err;
    }
    await server.#bootstrapAdmin();
    if (server.record.readOnly) server.#alarm();
    else if (config.demo) loadDemo(server.record, new Date());
    if (server.record.startReport.checkpoint === 'used') server.#verifyInBackground();
    try {
      await server.media.start();
      await server.webrtc.start();
    } catch (err) {
      await server.close();
      throw err;
    }
    server.#backups?.start();
    if (redis) {
      // What the edges read: now, and again whenever Redis comes back (it may have lost it).
      server.#hub.publishAll();
      redis.on('ready', () => server.#hub.publishAll());
    }
    if (config.metricsPort !== null) server.#metricsServer = await serveMetricsLocally(server.metrics, config.metricsPort);
    writePidFile(config.dataDir);
    return server;
  }

  async #bootstrapAdmin(): Promise<void> {
    if (this.users.hasUsers()) return;
    const given = this.#config.adminPassword;
    const password = given ?? randomBytes(12).toString('base64url');
    await this.users.createUser('admin', password, 'admin', new Date());
    // Printed once, to the console only (not the structured log), so it can be copied.
    if (!given) process.stdout.write(`\nradacast: first start — user "admin", password: ${password}\n\n`);
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.#config.port, this.#config.host, () => {
        this.http.off('error', reject);
        const address = boundAddress(this.http);
        this.#logger.info({ port: address.port, dataDir: this.#config.dataDir }, 'radacast ready');
        resolve(address);
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const httpClosed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.#hub.close();
    await this.realtime.close();
    this.http.closeAllConnections();
    await httpClosed;
    await this.webhooks.close();
    await this.restream.close();
    await this.webrtc.close();
    await this.media.close();
    await this.#backups?.close();
    await new Promise((resolve) => (this.#metricsServer ? this.#metricsServer.close(resolve) : resolve(undefined)));
    this.#verification?.stop();
    try {
      // So the next start replays nothing.
      this.record.checkpoint();
    } catch (err) {
      this.#logger.warn({ err }, 'a start-up checkpoint could not be written');
    }
    await this.#redis?.close();
    this.#db.close();
    removePidFile(this.#config.dataDir);
  }
}
