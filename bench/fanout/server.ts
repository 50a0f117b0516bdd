// Child process of bench/fanout.ts and bench/cluster.ts: a real radacast server — a lone one
// (default), a writer or an edge (FANOUT_ROLE, FANOUT_REDIS, FANOUT_WRITER) — with the demo
// sitting live and a roll-call vote open. Reports its port and, on request, its memory after a
// full GC or the CPU time it used so far.
import { rmSync } from 'node:fs';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { Edge } from '../../server/Edge.ts';
import { Radacast } from '../../server/Radacast.ts';
import { Command } from '../../protocol/commands.ts';
import { DEPUTIES, liveVoteCommands } from '../../test/support/demoSitting.ts';
import { tempDir } from '../../test/support/testServer.ts';

const role = (process.env.FANOUT_ROLE ?? 'all') as 'all' | 'writer' | 'edge';
const dataDir = tempDir('radacast-fanout-');
const config = {
  ...loadConfig({}),
  port: 0,
  host: '127.0.0.1',
  dataDir,
  demo: true,
  adminPassword: 'bench-password',
  logLevel: 'silent' as const,
  liveMaxPerAddress: 1_000_000,
  maxConnections: 1_000_000,
  // The reconnect storm runs with the demo camera live: the sitting's view carries a recording.
  media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [], demoCamera: process.argv[2] === 'camera' },
  role,
  redisUrl: process.env.FANOUT_REDIS ?? null,
  writerUrl: process.env.FANOUT_WRITER ?? null,
};
const logger = createLogger('silent');
let server: Radacast | Edge;
if (role === 'edge') server = await Edge.open(config, logger);
else {
  const writer = await Radacast.open(config, logger);
  for (const c of liveVoteCommands({ present: DEPUTIES, voteId: 'v1' })) {
    writer.record.execute(Command.parse(c), { actor: 'bench', at: new Date().toISOString() });
  }
  server = writer;
}
const { port } = await server.listen();

/**
 * On an edge: for each update read from the Redis stream, ms from its entry's id (Redis's clock
 * when the writer added it) to the edge reading it, and the ms the edge then took to hand it to
 * its sockets — where a cluster's delay is spent.
 */
const streamLag: number[] = [];
const fanoutMs: number[] = [];
if (server instanceof Edge) {
  const adapter = server.realtime.io.of('/live').adapter as unknown as { onRawMessage(message: unknown, offset: string): void };
  const read = adapter.onRawMessage.bind(adapter);
  adapter.onRawMessage = (message, offset) => {
    const start = Date.now();
    read(message, offset);
    streamLag.push(start - Number(offset.split('-')[0]));
    fanoutMs.push(Date.now() - start);
  };
}
const quantiles = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)] ?? NaN, p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN, max: sorted.at(-1) ?? NaN };
};

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: 'memory', ...process.memoryUsage() });
  }
  if (msg.type === 'cpu') process.send!({ type: 'cpu', ...process.cpuUsage() });
  if (msg.type === 'lag') process.send!({ type: 'lag', stream: quantiles(streamLag), fanout: quantiles(fanoutMs), reads: streamLag.length });
  if (msg.type === 'stop') {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.send!({ type: 'ready', port });
