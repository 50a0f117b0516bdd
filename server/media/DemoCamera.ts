// The synthetic camera of `npm run demo`: ffmpeg's test pattern with the wall clock burned in
// and a tone, pushed over RTMP into a room like a real encoder, restarted if it stops.
import type { Logger } from '../logger.ts';
import { backoffDelay, nextAttempt, type BackoffPolicy } from './backoff.ts';
import { demoCameraArgs } from './ffmpegArgs.ts';
import { FfmpegProcess } from './FfmpegProcess.ts';

export class DemoCamera {
  readonly #ffmpegPath: string;
  readonly #url: () => string;
  readonly #backoff: BackoffPolicy;
  readonly #logger: Logger;
  #process: FfmpegProcess | null = null;
  #timer: NodeJS.Timeout | null = null;
  #attempt = 0;
  #closed = false;

  /** `url` is asked again at each start, so a rotated key is picked up. */
  constructor(ffmpegPath: string, url: () => string, backoff: BackoffPolicy, logger: Logger) {
    this.#ffmpegPath = ffmpegPath;
    this.#url = url;
    this.#backoff = backoff;
    this.#logger = logger.child({ demoCamera: true });
    this.#start();
  }

  #start(): void {
    const url = this.#url();
    const args = demoCameraArgs({ url, width: 1280, height: 720, fps: 25, videoKbps: 2500 });
    // The key ends the URL; ffmpeg repeats the URL in its errors.
    const process = new FfmpegProcess(this.#ffmpegPath, args, { redact: [url.slice(url.lastIndexOf('/') + 1)] });
    this.#process = process;
    this.#logger.info({ pid: process.pid }, 'demo camera started');
    process.once('exit', (exit) => {
      this.#process = null;
      if (this.#closed) return;
      this.#logger.warn({ code: exit.code, err: exit.spawnError?.message, recent: process.recentLines }, 'demo camera stopped');
      const delay = backoffDelay(this.#backoff, this.#attempt);
      this.#attempt = nextAttempt(this.#backoff, this.#attempt, exit.ranMs);
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#start();
      }, delay);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#process?.stop();
  }
}
