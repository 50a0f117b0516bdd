// Debian's coturn for tests: a TURN server on free loopback ports with a static auth secret
// (`use-auth-secret`, the scheme radacast's short-lived credentials follow), relaying to loopback
// peers (the mediasoup worker listens there in tests). A missing turnserver fails the test: CI
// installs coturn, and nothing may be skipped there.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { freePort } from './childServer.ts';
import { tempDir } from './testServer.ts';

export const TURNSERVER = process.env.RADACAST_TURNSERVER ?? '/usr/bin/turnserver';

export interface Turn {
  /** turn:127.0.0.1:<port>?transport=udp */
  url: string;
  secret: string;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function startTurn(secret: string): Promise<Turn> {
  const port = await freePort();
  const dir = tempDir('radacast-turn-');
  // Relay ports: a random window of the dynamic range (coturn takes a range, not one free port).
  const minPort = randomInt(50_000, 60_000);
  const child = spawn(
    TURNSERVER,
    [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
      `--min-port=${minPort}`, `--max-port=${minPort + 99}`, '--use-auth-secret', `--static-auth-secret=${secret}`,
      '--realm=radacast.test', '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers',
      `--userdb=${join(dir, 'turndb')}`, `--pidfile=${join(dir, 'turn.pid')}`, '--log-file=stdout', '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ); // prettier-ignore
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-8000)));
  const exited = once(child, 'exit');
  // Listening once its TCP listener accepts (it opens UDP and TCP together); no line says so.
  for (let tries = 0; !(await accepts(port)); tries++) {
    if (child.exitCode !== null || tries > 100) {
      child.kill('SIGKILL');
      throw new Error(`turnserver did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
