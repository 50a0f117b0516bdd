// A real radacast server on a loopback port with its own temporary data folder, and a small
// client for the tests: log in, send commands, read views.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandInput } from '../../protocol/commands.ts';
import type { CommandAnswer } from '../../protocol/answers.ts';
import type { SittingView } from '../../protocol/views.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import { Radacast } from '../../server/Radacast.ts';

export const ADMIN_PASSWORD = 'test-admin-password';

export function tempDir(prefix = 'radacast-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  server: Radacast;
  dataDir: string;
  /** Logs in and returns the session cookie ("name=value"). */
  login(username?: string, password?: string): Promise<string>;
  /** Sends a command as the admin (logged in on first use); returns status and answer. */
  command(command: CommandInput | Record<string, unknown>, cookie?: string): Promise<{ status: number; answer: CommandAnswer }>;
  sitting(id: string): Promise<SittingView>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** `logger` replaces the silent default, e.g. to capture the log output. */
export async function startTestServer(overrides: Partial<Config> = {}, logger?: Logger): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    logLevel: 'silent',
    // RTMP on a free port and no SRT listeners (idle ffmpeg processes) unless a test asks.
    media: { ...loadConfig({}).media, rtmpPort: 0, srtPorts: [] },
    ...overrides,
  };
  const server = await Radacast.open(config, logger ?? createLogger(config.logLevel));
  const address = await server.listen();
  const url = `http://127.0.0.1:${address.port}`;
  let adminCookie: string | undefined;

  async function login(username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed [status:${res.status}]`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    return setCookie.split(';')[0]!;
  }

  return {
    url,
    server,
    dataDir,
    login,
    async command(command, cookie) {
      const useCookie = cookie ?? (adminCookie ??= await login());
      const res = await fetch(`${url}/api/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: useCookie },
        body: JSON.stringify(command),
      });
      return { status: res.status, answer: (await res.json()) as CommandAnswer };
    },
    async sitting(id) {
      const res = await fetch(`${url}/api/sittings/${id}`);
      return (await res.json()) as SittingView;
    },
    async close(options) {
      await server.close();
      if (!options?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
