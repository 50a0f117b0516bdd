// One writer, two edges and Redis (Debian's redis-server on a free port), the edges behind
// Debian's nginx as a load balancer: residents on both edges receive every update of a
// scripted sitting in order; one whose edge is killed (SIGKILL) reconnects through the proxy to
// the other and ends with the writer's view; Redis restarted during a vote leaves no connected
// resident with a wrong or stale view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { createClient } from 'redis';
import type { SittingUpdate, SubscribeAnswer } from '../../protocol/socket.ts';
import { LiveFeed, type FeedState } from '../../client/lib/LiveFeed.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { startRedis, type Redis } from '../support/redis.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

const SOCKET_OPTIONS = { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 };

let redis: Redis;
let writer: TestServer;
const edges: { url: string; server: ChildServer }[] = [];
let front: Nginx;
const feeds: LiveFeed[] = [];
const sockets: Socket[] = [];

async function startEdge(): Promise<{ url: string; server: ChildServer }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    RADACAST_ROLE: 'edge',
    RADACAST_REDIS_URL: redis.url,
    RADACAST_WRITER_URL: writer.url,
    RADACAST_DATA_DIR: tempDir('radacast-edge-'),
    RADACAST_LOG_LEVEL: 'warn',
  });
  await waitForHealth(url, server);
  return { url, server };
}

interface Follower {
  feed: LiveFeed;
  until: (p: (s: FeedState) => boolean) => Promise<FeedState>;
  /** The seq of every state it showed, in order. */
  seqs: number[];
}

function follower(url: string): Follower {
  const waiters: { p: (s: FeedState) => boolean; resolve: (s: FeedState) => void }[] = [];
  const seqs: number[] = [];
  const f = new LiveFeed({ room: 'plenary' }, {
    url,
    socketOptions: SOCKET_OPTIONS,
    onChange: (state) => {
      if (state.view && state.view.seq !== seqs.at(-1)) seqs.push(state.view.seq);
      for (const w of [...waiters]) if (w.p(state)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(state);
    },
  });
  feeds.push(f);
  const until = (p: (s: FeedState) => boolean) => (p(f.state) ? Promise.resolve(f.state) : new Promise<FeedState>((resolve) => waiters.push({ p, resolve })));
  return { feed: f, until, seqs };
}

/** Every state shown came after the one before: nothing shown twice, nothing older after newer. */
const increasing = (seqs: number[]) => seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!);

/** A raw subscriber: every update it receives, in arrival order. */
async function listener(url: string): Promise<SittingUpdate[]> {
  const s = io(`${url}/live`, SOCKET_OPTIONS);
  sockets.push(s);
  const seen: SittingUpdate[] = [];
  s.on('update', (u: SittingUpdate) => seen.push(u));
  await new Promise((resolve) => s.emit('subscribe', { room: 'plenary' }, resolve));
  return seen;
}

async function run(commands: Parameters<TestServer['command']>[0][]): Promise<void> {
  for (const c of commands) {
    const { answer } = await writer.command(c);
    expect(answer, JSON.stringify(c)).toMatchObject({ ok: true });
  }
}

const cast = (memberId: string, choice: string) => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId, choice });
const present = DEPUTIES.slice(0, 30);

beforeAll(async () => {
  redis = await startRedis();
  writer = await startTestServer({ demo: true, role: 'writer', redisUrl: redis.url });
  edges.push(await startEdge(), await startEdge());
  const [a, b] = edges.map((e) => new URL(e.url).port);
  // A load balancer as a site would run it: a resident whose edge died reconnects to the other.
  front = await startNginx(
    `map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream edges { server 127.0.0.1:${a} max_fails=1 fail_timeout=30s; server 127.0.0.1:${b} backup; }
  server {
    listen 127.0.0.1:{{front}};
    location / {
      proxy_pass http://edges;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 120s;
    }
  }`,
    ['front'],
  );
}, 60_000);

afterAll(async () => {
  for (const f of feeds.splice(0)) f.close();
  for (const s of sockets.splice(0)) s.close();
  await front?.stop();
  for (const e of edges) if (e.server.child.exitCode === null && e.server.child.signalCode === null) e.server.child.kill('SIGTERM');
  await Promise.all(edges.map((e) => e.server.exited));
  await writer?.close();
  await redis?.stop();
});

describe('a writer and two edges over Redis', () => {
  it('delivers every update to residents on both edges in order, and one whose edge dies resumes on the other', async () => {
    const onA = await listener(edges[0]!.url);
    const onB = await listener(edges[1]!.url);
    const a = follower(edges[0]!.url);
    const b = follower(edges[1]!.url);
    // Through the proxy: on the first edge while it lives, then on the second.
    const moving = follower(`http://127.0.0.1:${front.ports.front}`);
    await Promise.all([a, b, moving].map((f) => f.until((s) => s.view !== null)));

    await run([...liveVoteCommands({ present, voteId: 'v1' }), ...present.slice(0, 10).map((m) => cast(m, 'for'))]);
    let expected = await writer.sitting(DEMO_SITTING);
    for (const f of [a, b, moving]) expect((await f.until((s) => s.view?.seq === expected.seq)).view).toEqual(expected);
    for (const seen of [onA, onB]) expect(seen.map((u) => u.seq)).toEqual(Array.from({ length: expected.seq - 1 }, (_, i) => i + 2));

    edges[0]!.server.child.kill('SIGKILL');
    await edges[0]!.server.exited;
    await moving.until((s) => !s.connected);
    // Votes go on while the resident is away.
    await run(present.slice(10, 20).map((m) => cast(m, 'against')));
    expected = await writer.sitting(DEMO_SITTING);
    for (const f of [b, moving]) expect((await f.until((s) => s.connected && s.view?.seq === expected.seq)).view).toEqual(expected);
    expect(increasing(moving.seqs)).toBe(true);
    expect(onB.map((u) => u.seq)).toEqual(Array.from({ length: expected.seq - 1 }, (_, i) => i + 2));
    a.feed.close();
  }, 60_000);

  it('leaves no connected resident with a wrong or stale view when Redis restarts during a vote', async () => {
    const b = follower(edges[1]!.url);
    const moving = follower(`http://127.0.0.1:${front.ports.front}`);
    await Promise.all([b, moving].map((f) => f.until((s) => s.view !== null)));
    const restarted = redis.restart(2000);
    await run(present.slice(20, 25).map((m) => cast(m, 'abstain')));
    await restarted;
    await run(present.slice(25, 30).map((m) => cast(m, 'for')));
    const expected = await writer.sitting(DEMO_SITTING);
    for (const f of [b, moving]) expect((await f.until((s) => s.view?.seq === expected.seq)).view).toEqual(expected);
    for (const f of [b, moving]) expect(increasing(f.seqs)).toBe(true);
    // A resident arriving after the restart gets the state the writer published again.
    const late = follower(edges[1]!.url);
    expect((await late.until((s) => s.view !== null)).view).toEqual(expected);
  }, 60_000);

  it('serves a sitting Redis no longer holds from the writer, and answers made-up ids without asking the writer for each', async () => {
    const asked: string[] = [];
    const count = (req: { url?: string }) => asked.push(req.url ?? '');
    writer.server.http.on('request', count);
    const past = { id: 'past-plenary', bodyId: 'council', title: 'Минуле засідання', room: 'plenary', scheduledAt: '2099-01-01T08:00:00Z', agenda: [] };
    await run([{ type: 'sitting.create', sitting: past }]);
    // As if it had expired from Redis (untouched for a week).
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.del(['radacast:live:sitting:past-plenary', 'radacast:live:updates:past-plenary']);
    await client.close();

    const s = io(`${edges[1]!.url}/live`, SOCKET_OPTIONS);
    sockets.push(s);
    const subscribe = (sittingId: string) => new Promise<SubscribeAnswer>((resolve) => s.emit('subscribe', { sittingId }, resolve));
    const answer = await subscribe('past-plenary');
    expect(answer).toMatchObject({ ok: true, sittingId: 'past-plenary', catchup: { kind: 'snapshot' } });
    const made = await Promise.all(Array.from({ length: 30 }, (_, i) => subscribe(`no-such-sitting-${i}`)));
    for (const refused of made) expect(refused).toMatchObject({ ok: false, error: { code: 'not-found' } });
    writer.server.http.off('request', count);
    // The view once, the list of sittings at most twice (before the view, and once more for the made-up ids).
    expect(asked.filter((url) => url.startsWith('/api/sittings/'))).toEqual(['/api/sittings/past-plenary']);
    expect(asked.filter((url) => url === '/api/sittings').length).toBeLessThanOrEqual(2);
  }, 30_000);
});
