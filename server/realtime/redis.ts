// Redis between the writer and its edges (docs/scaling.md): one client per process, and
// socket.io's Redis streams adapter on it. The streams adapter, unlike the pub/sub one, delivers
// what was emitted while a server was reconnecting to Redis (it resumes reading the stream from
// its last id); the stream is trimmed to `maxLen` entries.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Namespace } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import { LIVE_NAMESPACE } from '../../protocol/socket.ts';
import type { Logger } from '../logger.ts';
import type { RedisClient } from './SharedLive.ts';

/** Entries kept in the adapter's stream: minutes of updates at a busy sitting's pace, for servers that reconnect. */
const STREAM_MAX_LEN = 10_000;

export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    // Reconnects for ever, every 100 ms to 2 s: an outage of Redis is waited out, not fatal.
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });
  let down = false;
  client.on('error', (err: unknown) => {
    if (!down) logger.warn({ err }, 'Redis unreachable; retrying');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('Redis reachable again');
    down = false;
  });
  await client.connect();
  return client;
}

/**
 * The streams adapter for `/live`, the only namespace the edges serve; every other namespace
 * (the clerks', on the writer alone) keeps socket.io's in-process adapter, so an update is
 * written to the stream once, not once per namespace.
 */
export function liveAdapter(client: RedisClient): (nsp: Namespace) => Adapter {
  const streams = createAdapter(client, { maxLen: STREAM_MAX_LEN, streamName: 'radacast:live:stream' });
  // socket.io calls it with `new`: a function, not an arrow.
  return function adapterOf(nsp: Namespace): Adapter {
    return nsp.name === LIVE_NAMESPACE ? streams(nsp) : new Adapter(nsp);
  };
}
