// Entry point of `npm start` / `npm run demo`: validate the configuration, build the pages if
// they are missing, open the record and serve until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { PAGES } from './http/pages.ts';
import { PAGES_DIR, Radacast } from './Radacast.ts';
import { Edge } from './Edge.ts';

/** Builds the pages when any of them is missing (a fresh clone, or a dist/ from an older release). */
async function ensurePagesBuilt(): Promise<void> {
  if (PAGES.every((page) => existsSync(join(PAGES_DIR, page.file)))) return;
  process.stdout.write('radacast: building the pages (first start)…\n');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // An edge passes pages to the writer: it builds none.
  if (config.role !== 'edge') await ensurePagesBuilt();
  const server = config.role === 'edge' ? await Edge.open(config, logger) : await Radacast.open(config, logger);
  await server.listen();
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`radacast: ${err.message}\n`);
  } else {
    process.stderr.write(`radacast: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
