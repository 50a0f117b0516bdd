// Child process of bench/fanout.ts: a real radacast server with the demo sitting live and a
// roll-call vote open. Reports its port and, on request, its memory after a full GC.
import { rmSync } from 'node:fs';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { Radacast } from '../../server/Radacast.ts';
import { Command } from '../../protocol/commands.ts';
import { DEPUTIES, liveVoteCommands } from '../../test/support/demoSitting.ts';
import { tempDir } from '../../test/support/testServer.ts';

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
};
const server = await Radacast.open(config, createLogger('silent'));
for (const c of liveVoteCommands({ present: DEPUTIES, voteId: 'v1' })) {
  server.record.execute(Command.parse(c), { actor: 'bench', at: new Date().toISOString() });
}
const { port } = await server.listen();

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: 'memory', ...process.memoryUsage() });
  }
  if (msg.type === 'stop') {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.send!({ type: 'ready', port });
