// Scheduled backups inside the server: every `every` ms a verified online copy of the database
// goes to the backup folder as radacast-<time>.db, and only the newest `keep` copies are kept.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { backupDatabase } from './backup.ts';

export interface BackupScheduleOptions {
  dataDir: string;
  dir: string;
  everyMs: number;
  keep: number;
  logger: Logger;
}

const NAME = /^radacast-[\dTZ-]+\.db$/;

export class BackupSchedule {
  readonly #options: BackupScheduleOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;

  constructor(options: BackupScheduleOptions) {
    this.#options = options;
    mkdirSync(options.dir, { recursive: true });
  }

  start(): void {
    this.#timer = setInterval(() => void this.runNow(), this.#options.everyMs);
    this.#timer.unref();
  }

  /** Takes one backup now (a second call while one runs waits for that one). */
  runNow(): Promise<void> {
    this.#running ??= this.#take().finally(() => (this.#running = null));
    return this.#running;
  }

  async #take(): Promise<void> {
    const { dataDir, dir, keep, logger } = this.#options;
    const file = join(dir, `radacast-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    try {
      const report = await backupDatabase(dataDir, file);
      logger.info({ file, bytes: report.bytes, events: report.events, millis: Math.round(report.millis) }, 'backup taken');
    } catch (err) {
      logger.error({ err, file }, 'backup failed');
      return;
    }
    // ISO times sort as text: the oldest first.
    const copies = readdirSync(dir).filter((name) => NAME.test(name)).sort();
    for (const old of copies.slice(0, Math.max(0, copies.length - keep))) rmSync(join(dir, old), { force: true });
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
