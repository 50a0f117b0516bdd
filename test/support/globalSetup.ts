// Before the suite: check the system programs the tests drive (mediasoup's worker included) (a missing one fails the run
// with a clear message — CI must not skip anything), then build the pages once, so servers
// under test and browser tests serve the real bundle, as `npm start` would.
import { accessSync, constants } from 'node:fs';
import { build } from 'vite';
import { CHROMIUM } from './browser.ts';
import { NGINX } from './nginx.ts';
import { REDIS_SERVER } from './redis.ts';
import { TURNSERVER } from './turn.ts';
import { cachedWorkerPath, findWorkerBinary, SETUP_COMMAND } from '../../server/media/webrtc/workerBinary.ts';

const REQUIRED = [
  { path: process.env.RADACAST_FFMPEG ?? '/usr/bin/ffmpeg', install: 'apt-get install -y ffmpeg' },
  { path: CHROMIUM, install: 'apt-get install -y chromium' },
  { path: NGINX, install: 'apt-get install -y nginx' },
  { path: '/usr/bin/openssl', install: 'apt-get install -y openssl' },
  { path: REDIS_SERVER, install: 'apt-get install -y redis-server' },
  { path: TURNSERVER, install: 'apt-get install -y coturn' },
  { path: findWorkerBinary() ?? cachedWorkerPath(), install: SETUP_COMMAND },
];

export default async function setup(): Promise<void> {
  const missing = REQUIRED.filter(({ path }) => {
    try {
      accessSync(path, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(`the tests need ${missing.map((m) => `${m.path} (${m.install})`).join(' and ')}`);
  }
  await build({ logLevel: 'warn' });
}
