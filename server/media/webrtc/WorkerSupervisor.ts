// The mediasoup worker, supervised: loaded only when both the optional `mediasoup` package and a
// built worker binary are there (otherwise WebRTC is reported unavailable with the one command that
// enables it, and the rest of the server runs as before); restarted after a capped backoff when it
// dies. Everything built on a dead worker (routers, transports) is gone with it: `died` tells the
// owner to drop its sessions.
import { EventEmitter } from 'node:events';
import type * as MediasoupModule from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../../logger.ts';
import { messageOf } from '../../thrown.ts';
import { backoffDelay, nextAttempt, type BackoffPolicy } from '../backoff.ts';
import type { WebRtcConfig } from './webrtcConfig.ts';
import { findWorkerBinary, SETUP_COMMAND } from './workerBinary.ts';

type Mediasoup = typeof MediasoupModule;

export type WorkerSupervisorEvents = {
  ready: [worker: types.Worker];
  died: [];
};

export class WorkerSupervisor extends EventEmitter<WorkerSupervisorEvents> {
  readonly #config: WebRtcConfig;
  readonly #backoff: BackoffPolicy;
  readonly #logger: Logger;
  #mediasoup: Mediasoup | null = null;
  #worker: types.Worker | null = null;
  #unavailable: string | null = null;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(config: WebRtcConfig, backoff: BackoffPolicy, logger: Logger) {
    super();
    this.#config = config;
    this.#backoff = backoff;
    this.#logger = logger.child({ component: 'webrtc' });
  }

  /** Why WebRTC cannot be used, or null when it can. */
  get unavailable(): string | null {
    return this.#unavailable;
  }

  get worker(): types.Worker | null {
    return this.#worker;
  }

  async start(): Promise<void> {
    const binary = findWorkerBinary();
    if (binary === null) {
      this.#unavailable = `no mediasoup worker binary (run "${SETUP_COMMAND}" or set MEDIASOUP_WORKER_BIN)`;
      this.#logger.warn(`WebRTC is off: ${this.#unavailable}`);
      return;
    }
    // mediasoup reads the binary's path once, when the module loads.
    process.env.MEDIASOUP_WORKER_BIN = binary;
    try {
      this.#mediasoup = await import('mediasoup');
    } catch (err) {
      this.#unavailable = `the mediasoup package is not installed (${messageOf(err).split('\n')[0]}); run "npm ci" then "${SETUP_COMMAND}"`;
      this.#logger.warn(`WebRTC is off: ${this.#unavailable}`);
      return;
    }
    await this.#spawn();
  }

  async #spawn(): Promise<void> {
    if (this.#closed || !this.#mediasoup) return;
    const startedAt = Date.now();
    try {
      const worker = await this.#mediasoup.createWorker({
        logLevel: 'warn',
        rtcMinPort: this.#config.minPort,
        rtcMaxPort: this.#config.maxPort,
      });
      this.#worker = worker;
      this.#unavailable = null;
      this.#logger.info({ pid: worker.pid }, 'mediasoup worker running');
      worker.once('died', (err) => {
        this.#worker = null;
        this.#logger.error({ err: err.message }, 'mediasoup worker died; restarting');
        this.emit('died');
        this.#retry(Date.now() - startedAt);
      });
      this.emit('ready', worker);
    } catch (err) {
      this.#unavailable = `the mediasoup worker did not start: ${messageOf(err)}`;
      this.#logger.error(`WebRTC is off: ${this.#unavailable}`);
      this.#retry(Date.now() - startedAt);
    }
  }

  #retry(ranMs: number): void {
    if (this.#closed) return;
    const delay = backoffDelay(this.#backoff, this.#attempt);
    this.#attempt = nextAttempt(this.#backoff, this.#attempt, ranMs);
    this.#timer = setTimeout(() => void this.#spawn(), delay);
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#worker?.close();
    this.#worker = null;
  }
}
