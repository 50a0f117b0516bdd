// The whole server as one long-lived object: opens the database and the record, bootstraps the
// admin account, serves HTTP, and closes everything (idempotently) on shutdown.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { UserStore } from './auth/UserStore.ts';
import type { SittingView } from '../protocol/views.ts';
import type { Config } from './config.ts';
import { loadDemo } from './demo/loadDemo.ts';
import { createApp } from './http/createApp.ts';
import type { Logger } from './logger.ts';
import { openDatabase, type Db } from './store/database.ts';
import { SittingRecord } from './store/SittingRecord.ts';
import { ArchiveProjector } from './archive/ArchiveProjector.ts';
import { ArchiveQueries } from './archive/ArchiveQueries.ts';
import { LiveHub } from './realtime/LiveHub.ts';
import { Realtime } from './realtime/Realtime.ts';
import { WebhookDispatcher } from './publish/WebhookDispatcher.ts';
import { WebhookStore } from './publish/WebhookStore.ts';
import { MediaService } from './media/MediaService.ts';
import { BackupSchedule } from './ops/BackupSchedule.ts';
import { removePidFile, writePidFile } from './ops/pidFile.ts';

export const PAGES_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export class Radacast {
  readonly record: SittingRecord;
  readonly users: UserStore;
  readonly http: Server;
  readonly realtime: Realtime;
  /** Sends signed notifications to webhooks when votes and sittings are published. */
  readonly webhooks: WebhookDispatcher;
  /** RTMP/SRT ingest, HLS, recordings; emits `status` for the clerk channel. */
  readonly media: MediaService;
  readonly #hub: LiveHub;
  readonly #backups: BackupSchedule | null;
  readonly #db: Db;
  readonly #config: Config;
  readonly #logger: Logger;
  #closed = false;

  private constructor(config: Config, logger: Logger, db: Db) {
    this.#config = config;
    this.#logger = logger;
    this.#db = db;
    this.record = new SittingRecord(db, { projector: new ArchiveProjector(db) });
    this.users = new UserStore(db);
    this.record.on('listenerError', (err) => logger.error({ err }, 'a listener of the record failed'));
    const webhookStore = new WebhookStore(db);
    this.media = new MediaService({ db, record: this.record, config: config.media, dataDir: config.dataDir, bindHost: config.host, logger });
    const app = createApp({
      record: this.record,
      sittingView: (id) => this.sittingView(id),
      users: this.users,
      logger,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      pagesDir: PAGES_DIR,
      startedAt: new Date(),
      webhooks: webhookStore,
      timeZone: config.timeZone,
      media: this.media,
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
    });
    this.#hub = new LiveHub({ record: this.record, view: (id) => this.sittingView(id), now: () => new Date() });
    this.realtime = new Realtime(this.http, {
      hub: this.#hub,
      ingestStatuses: () =>
        [...this.record.registry.rooms.keys()].flatMap((room) => this.media.status(room) ?? []),
      record: this.record,
      users: this.users,
      logger,
      options: { maxLivePerAddress: config.liveMaxPerAddress },
    });
    this.media.on('status', (status) => this.realtime.ingestChanged(status));
    this.#backups = config.backup && new BackupSchedule({ dataDir: config.dataDir, logger, ...config.backup });
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
    const db = openDatabase(config.dataDir, config.synchronous);
    let server: Radacast;
    try {
      server = new Radacast(config, logger, db);
    } catch (err) {
      db.close();
      throw err;
    }
    await server.#bootstrapAdmin();
    if (config.demo) loadDemo(server.record, new Date());
    try {
      await server.media.start();
    } catch (err) {
      await server.close();
      throw err;
    }
    server.#backups?.start();
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
        const address = this.http.address() as AddressInfo;
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
    await this.media.close();
    await this.#backups?.close();
    this.#db.close();
    removePidFile(this.#config.dataDir);
  }
}
