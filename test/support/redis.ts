// Debian's redis-server for tests, on a free loopback port, with no persistence (a restart
// loses everything, the worst case for the writer and its edges). A missing redis-server fails
// the test: CI installs it, and nothing may be skipped there.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './childServer.ts';

export const REDIS_SERVER = process.env.RADACAST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface Redis {
  url: string;
  /** Stops it (SIGKILL, like a crash) and starts it again on the same port after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.once('error', reject);
  });
  await ready;
  return child;
}

export async function startRedis(): Promise<Redis> {
  const port = await freePort();
  let child = await launch(port);
  const kill = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs) {
      await kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch(port);
    },
    stop: kill,
  };
}
