// Debian's nginx for tests, started on free loopback ports in its own prefix (pid, logs, temp
// and cache files in a temporary folder), with a self-signed certificate made by openssl.
// A missing nginx fails the test: CI installs it, and nothing may be skipped there.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './childServer.ts';
import { tempDir } from './testServer.ts';

export const NGINX = process.env.RADACAST_NGINX ?? '/usr/sbin/nginx';

const SITE = readFileSync(new URL('../../deploy/nginx-radacast.conf', import.meta.url), 'utf8');

/** The shipped site (deploy/nginx-radacast.conf) with only what a test must change: ports, certificate and cache paths. */
export function deploySite(upstreamPort: number): string {
  return SITE.replace('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`)
    .replace('/var/cache/nginx/radacast', '{{dir}}/cache')
    .replaceAll(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', 'listen 127.0.0.1:{{http}};')
    .replace('listen 443 ssl http2;', 'listen 127.0.0.1:{{https}} ssl http2;')
    .replace('/etc/ssl/radacast/fullchain.pem', '{{cert}}')
    .replace('/etc/ssl/radacast/privkey.pem', '{{key}}');
}
const run = promisify(execFile);

export interface Nginx {
  dir: string;
  certFile: string;
  ports: Record<string, number>;
  /** Its error log so far, for failure messages. */
  errors(): string;
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('connect', () => socket.destroy());
  });
}

/** A self-signed certificate for 127.0.0.1 and localhost; returns [cert, key] paths. */
export async function selfSignedCertificate(dir: string): Promise<[string, string]> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ]);
  return [cert, key];
}

/**
 * Runs `http` (the body of nginx's http block) with `{{name}}` placeholders replaced: each of
 * `portNames` by a free port, `{{dir}}` by the prefix, `{{cert}}`/`{{key}}` by a fresh
 * self-signed certificate.
 */
export async function startNginx(http: string, portNames: string[]): Promise<Nginx> {
  const dir = tempDir('radacast-nginx-');
  mkdirSync(join(dir, 'logs'));
  const [cert, key] = await selfSignedCertificate(dir);
  const ports: Record<string, number> = {};
  for (const name of portNames) ports[name] = await freePort();
  let body = http.replaceAll('{{dir}}', dir).replaceAll('{{cert}}', cert).replaceAll('{{key}}', key);
  for (const [name, port] of Object.entries(ports)) body = body.replaceAll(`{{${name}}}`, String(port));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t}_temp;`).join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    // As root (CI), workers would drop to `nobody` and could not write the private temp folder.
    (process.getuid?.() === 0 ? 'user root;\n' : '') +
    `daemon off;\nmaster_process on;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log warn;\n` +
      `events { worker_connections 1024; }\nhttp {\n  access_log off;\n  ${temp}\n${body}\n}\n`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const errors = () => {
    try {
      return stderr + readFileSync(join(dir, 'logs/error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  // nginx announces nothing when ready: wait until every port accepts a connection.
  const exited = once(child, 'exit');
  for (const port of Object.values(ports)) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx did not start: ${errors()}`);
      if (await accepts(port)) break;
      if (Date.now() > deadline) throw new Error(`nginx is not listening on ${port}: ${errors()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    dir,
    certFile: cert,
    ports,
    errors,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
