// Stand-ins for the platforms a room restreams to, all real and on loopback: an ffmpeg RTMP
// listener writing what it receives to a file (MPEG-TS, so ffprobe reads it while it grows and
// after a kill), a TLS terminator with a self-signed certificate made by openssl in front of
// such a listener (an RTMPS platform), and a wait on a destination's status.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import type { DestinationView, RoomDestinations } from '../../protocol/restream.ts';
import type { RestreamService } from '../../server/media/restream/RestreamService.ts';
import { FFMPEG, ffprobe, nextEvent } from './support.ts';

export interface Receiver {
  file: string;
  process: ChildProcess;
  /** Everything it wrote to stderr (the stream key it was sent appears there). */
  stderr(): string;
  kill(): Promise<void>;
}

/** `ffmpeg -listen 1` on rtmp://127.0.0.1:<port>/live/<key>, copying to `file`; ready once listening. */
export async function startReceiver(port: number, key: string, file: string): Promise<Receiver> {
  const args = ['-hide_banner', '-loglevel', 'info', '-listen', '1', '-f', 'flv', '-i', `rtmp://127.0.0.1:${port}/live/${key}`, '-c', 'copy', '-f', 'mpegts', '-y', file];
  const process = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  process.stderr.setEncoding('utf8');
  process.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = once(process, 'close');
  await waitForPort(port);
  return {
    file,
    process,
    stderr: () => stderr,
    async kill() {
      if (process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Resolves once the port is in LISTEN state. Read from /proc/net/tcp rather than probed: ffmpeg's
 * `-listen 1` takes exactly one caller, and a probe would be it.
 */
async function waitForPort(port: number): Promise<void> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (let i = 0; i < 200; i++) {
    const table = readFileSync('/proc/net/tcp', 'utf8');
    if (table.split('\n').some((row) => row.trim().split(/\s+/)[1]?.endsWith(`:${hex}`) && row.trim().split(/\s+/)[3] === '0A')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

export interface TlsTerminator {
  port: number;
  /** The self-signed certificate, for RADACAST_RESTREAM_CA_FILE. */
  certFile: string;
  close(): Promise<void>;
}

/** A TLS server on loopback with a fresh self-signed certificate for 127.0.0.1, piping to `targetPort`. */
export async function startTlsTerminator(dir: string, targetPort: number): Promise<TlsTerminator> {
  const keyFile = join(dir, 'tls-key.pem');
  const certFile = join(dir, 'tls-cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (secure) => {
    const plain = connect(targetPort, '127.0.0.1');
    sockets.add(secure).add(plain);
    secure.pipe(plain).pipe(secure);
    const end = () => {
      secure.destroy();
      plain.destroy();
    };
    secure.on('error', end).on('close', end);
    plain.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    certFile,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A destination's view once it satisfies `predicate` (now, or at a later push). */
export async function destinationWhen(
  restream: RestreamService,
  room: string,
  id: string,
  predicate: (d: DestinationView) => boolean,
  timeoutMs = 30_000,
): Promise<DestinationView> {
  const now = restream.list(room)?.find((d) => d.id === id);
  if (now && predicate(now)) return now;
  const [pushed] = await nextEvent<[RoomDestinations]>(
    restream,
    'destinations',
    (r) => r.room === room && r.destinations.some((d) => d.id === id && predicate(d)),
    timeoutMs,
  );
  return pushed.destinations.find((d) => d.id === id)!;
}

/** Seconds of media in a receiver's file, and its codecs. */
export async function received(file: string): Promise<{ seconds: number; codecs: string[] }> {
  const probe = await ffprobe(file);
  return { seconds: Number(probe.format.duration ?? 0), codecs: probe.streams.map((s) => s.codec_name).sort() };
}
