// Where the mediasoup worker binary is: MEDIASOUP_WORKER_BIN when set, else the one
// scripts/build-mediasoup-worker.sh (`npm run setup:webrtc`) left in its cache. The cache folder is
// named by the mediasoup version and a hash of the script and patches/mediasoup/*, computed here
// exactly as the script computes it, so a changed patch never runs a stale worker.
import { createHash } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const MEDIASOUP_VERSION = '3.19.3';
const ROOT = resolve(import.meta.dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts/build-mediasoup-worker.sh');
const PATCHES = join(ROOT, 'patches/mediasoup');

export const SETUP_COMMAND = 'npm run setup:webrtc';

function recipeHash(): string {
  const hash = createHash('sha256').update(readFileSync(SCRIPT));
  for (const name of readdirSync(PATCHES).filter((n) => n.endsWith('.patch')).sort()) hash.update(readFileSync(join(PATCHES, name)));
  return hash.digest('hex').slice(0, 12);
}

/** The path the build script writes the worker to (whether it is there or not). */
export function cachedWorkerPath(env: NodeJS.ProcessEnv = process.env): string {
  const cacheRoot = env.RADACAST_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'radacast');
  return join(cacheRoot, `mediasoup-worker-${MEDIASOUP_VERSION}-${recipeHash()}`, 'mediasoup-worker');
}

/** The worker to run, or null when there is none (WebRTC is then unavailable). */
export function findWorkerBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = env.MEDIASOUP_WORKER_BIN || cachedWorkerPath(env);
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}
