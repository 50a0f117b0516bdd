// The deployment nginx (deploy/nginx-radacast.conf) in front of an edge, the edge in front of
// the writer with a camera live: 200 simulated players polling the live playlist and fetching
// every segment cost the writer about one request per segment and one per playlist second
// (the hit ratio is printed); the residents' /live works through the proxy too.
import { createServer, request, type Server } from 'node:http';
import { Agent, get } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveFeed } from '../../client/lib/LiveFeed.ts';
import type { Encoder } from '../media/support.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { deploySite, startNginx, type Nginx } from '../support/nginx.ts';
import { startRedis, type Redis } from '../support/redis.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

const PLAYERS = 200;
const WATCH_MS = 8000;

let redis: Redis;
let writer: TestServer;
let encoder: Encoder;
let counter: Server;
/** Requests that reached the writer, by path. */
const atOrigin = new Map<string, number>();
let edge: ChildServer;
let nginx: Nginx;
let base: string;
let agent: Agent;

/** Counts what reaches the writer and passes it on. */
function countingProxy(target: string): Promise<Server> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    atOrigin.set(path, (atOrigin.get(path) ?? 0) + 1);
    const upstream = request({ hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function fetchText(path: string): Promise<{ status: number; body: Buffer; cache: string }> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), cache: String(res.headers['x-cache-status'] ?? '') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

beforeAll(async () => {
  redis = await startRedis();
  writer = await startTestServer({ demo: true, role: 'writer', redisUrl: redis.url });
  for (const c of liveVoteCommands({ present: DEPUTIES.slice(0, 30), voteId: 'v1' })) await writer.command(c);
  encoder = await goLive(writer, 'plenary', 120);
  counter = await countingProxy(writer.url);
  const port = await freePort();
  edge = spawnServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    RADACAST_ROLE: 'edge',
    RADACAST_REDIS_URL: redis.url,
    RADACAST_WRITER_URL: `http://127.0.0.1:${(counter.address() as AddressInfo).port}`,
    RADACAST_DATA_DIR: tempDir('radacast-edge-'),
    RADACAST_LOG_LEVEL: 'warn',
  });
  await waitForHealth(`http://127.0.0.1:${port}`, edge);
  nginx = await startNginx(deploySite(port), ['http', 'https']);
  base = `https://127.0.0.1:${nginx.ports.https}`;
  agent = new Agent({ ca: readFileSync(nginx.certFile), keepAlive: true, maxSockets: 64 });
}, 120_000);

afterAll(async () => {
  agent?.destroy();
  await nginx?.stop();
  edge?.child.kill('SIGTERM');
  await edge?.exited;
  await new Promise((resolve) => (counter ? counter.close(resolve) : resolve(undefined)));
  await encoder?.kill();
  await writer?.close();
  await redis?.stop();
});

describe('nginx in front of an edge', () => {
  it('lets 200 players watch live HLS for about one origin request per segment', async () => {
    atOrigin.clear();
    const served: Record<string, number> = {};
    const segmentsSeen = new Set<string>();
    const started = Date.now();
    const player = async (): Promise<void> => {
      const fetched = new Set<string>();
      // The multivariant playlist once, as a player does, then the program's media playlist.
      const master = await fetchText('/hls/plenary/index.m3u8');
      expect(master.status).toBe(200);
      served[master.cache] = (served[master.cache] ?? 0) + 1;
      while (Date.now() - started < WATCH_MS) {
        const playlist = await fetchText('/hls/plenary/source.m3u8');
        expect(playlist.status).toBe(200);
        served[playlist.cache] = (served[playlist.cache] ?? 0) + 1;
        const text = playlist.body.toString('utf8');
        // The init section and the whole segments (a player that does not do low latency).
        const uris = [...text.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((m) => m[1]!).concat(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')));
        for (const uri of uris) {
          const path = new URL(uri, `${base}/hls/plenary/source.m3u8`).pathname;
          if (fetched.has(path)) continue;
          fetched.add(path);
          segmentsSeen.add(path);
          const segment = await fetchText(path);
          expect(segment.status).toBe(200);
          served[segment.cache] = (served[segment.cache] ?? 0) + 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    await Promise.all(Array.from({ length: PLAYERS }, () => player()));
    const seconds = (Date.now() - started) / 1000;
    const requests = Object.values(served).reduce((a, b) => a + b, 0);
    const origin = [...atOrigin.values()].reduce((a, b) => a + b, 0);
    console.log(`${PLAYERS} players, ${seconds.toFixed(1)} s: ${requests} requests to nginx (${JSON.stringify(served)}), ${origin} at the writer; hit ratio ${(1 - origin / requests).toFixed(3)}`);
    expect(segmentsSeen.size).toBeGreaterThan(2);
    for (const path of segmentsSeen) expect(atOrigin.get(path) ?? 0, path).toBeLessThanOrEqual(2);
    expect(atOrigin.get('/hls/plenary/source.m3u8') ?? 0).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
    expect(atOrigin.get('/hls/plenary/index.m3u8') ?? 0).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
    expect(1 - origin / requests).toBeGreaterThan(0.95);
  }, 60_000);

  it('lets 200 residents open a live sitting’s published tables for a few requests at the origin, fresh within seconds', async () => {
    atOrigin.clear();
    const tables = [`/api/sittings/${DEMO_SITTING}/votes.json`, `/api/sittings/${DEMO_SITTING}/votings.csv`, `/sittings/${DEMO_SITTING}/votes`];
    const before = await fetchText(tables[0]!);
    for (const path of tables) {
      const answers = await Promise.all(Array.from({ length: PLAYERS }, () => fetchText(path)));
      for (const a of answers) expect(a.status, path).toBe(200);
      // One answer fills the cache (the others wait on its lock); at most one more if 5 s passed.
      expect(atOrigin.get(path.split('?')[0]!) ?? 0, path).toBeLessThanOrEqual(2);
    }
    // A vote changes the table: residents see it once the 5 s a live sitting's table keeps are up.
    const { answer } = await writer.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd02', choice: 'against' });
    expect(answer.ok).toBe(true);
    const changed = Date.now();
    let after = await fetchText(tables[0]!);
    while (after.body.equals(before.body) && Date.now() - changed < 8000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await fetchText(tables[0]!);
    }
    expect(after.body.equals(before.body)).toBe(false);
    expect(Date.now() - changed).toBeLessThan(6500);
  }, 60_000);

  it('carries the residents’ /live through the proxy', async () => {
    const feed = new LiveFeed({ room: 'plenary' }, { url: base, socketOptions: { transports: ['websocket'], ca: readFileSync(nginx.certFile, 'utf8') } });
    try {
      await new Promise<void>((resolve) => {
        const check = () => (feed.state.view?.votes.length === 1 ? resolve() : setTimeout(check, 50));
        check();
      });
      const { answer } = await writer.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd01', choice: 'against' });
      expect(answer.ok).toBe(true);
      const expected = await writer.sitting(DEMO_SITTING);
      await new Promise<void>((resolve) => {
        const check = () => (feed.state.view?.seq === expected.seq ? resolve() : setTimeout(check, 50));
        check();
      });
      const { recording: _, ...shown } = feed.state.view!;
      const { recording: __, ...record } = expected;
      expect(shown).toEqual(record);
    } finally {
      feed.close();
    }
  }, 30_000);
});
