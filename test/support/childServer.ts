// radacast as `npm start` runs it (node --import tsx server/main.ts) in a child process, for
// tests that kill it, restart it, or watch it refuse to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A loopback port nobody listens on right now (the child must be told its port up front). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  child: ChildProcess;
  /** Everything the child wrote so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

/** Servers under test run side by side: no fixed media ports, no demo camera. */
const TEST_ENV = { RADACAST_RTMP_PORT: '0', RADACAST_SRT_PORTS: 'off', RADACAST_DEMO_CAMERA: '0' };

/** Starts server/main.ts with only PATH/HOME from this process, TEST_ENV and `env`. */
export function spawnServer(env: Record<string, string>): ChildServer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...TEST_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // 'close' (not 'exit'): the output pipes are drained by then.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once the child has written `text` to stderr (e.g. an alarm raised after start-up). */
export function waitForStderr(server: ChildServer, text: string, timeoutMs = 30_000): Promise<void> {
  if (server.stderr().includes(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${text}" on stderr after ${timeoutMs} ms: ${server.stderr()}`)), timeoutMs);
    const onData = () => {
      if (server.stderr().includes(text)) done();
    };
    const done = (err?: Error) => {
      clearTimeout(timer);
      server.child.stderr?.off('data', onData);
      if (err) reject(err);
      else resolve();
    };
    // After spawnServer's own listener, which has appended the chunk by then.
    server.child.stderr?.on('data', onData);
  });
}

/** Runs a server that is expected to stop by itself (e.g. on a bad configuration). */
export async function runToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<Exit & { stdout: string; stderr: string }> {
  const server = spawnServer(env);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), timeoutMs);
  const exit = await server.exited;
  clearTimeout(timer);
  return { ...exit, stdout: server.stdout(), stderr: server.stderr() };
}

/**
 * Resolves once GET /api/health answers 200. The server announces readiness on no channel a
 * test can await at log level warn, so this polls — bounded, and failing fast if the child dies.
 */
export async function waitForHealth(url: string, server: ChildServer, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead: Exit | null = null;
  void server.exited.then((exit) => (dead = exit));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`server exited before it was ready [${JSON.stringify(dead)}]: ${server.stderr()}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`server not ready after ${timeoutMs} ms: ${server.stderr()}`);
}
