// Media bookkeeping stays off the event loop: a server run with node's --trace-sync-io, a live
// RTMP push into a sitting being recorded, and not one synchronous call from server/media
// while segments come in (node prints a stack for every one). What happens once per
// connection or run (the handshake's random bytes, the run's folder) comes before.
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { DEMO_SITTING } from '../support/demoSitting.ts';
import { ADMIN_PASSWORD, tempDir } from '../support/testServer.ts';
import { pushTestPattern } from './support.ts';

/** The stacks node printed for synchronous calls, each as one string. */
function syncStacks(stderr: string): string[] {
  return stderr.split(/(?=\(node:\d+\) WARNING: Detected use of sync API)/).filter((s) => s.includes('Detected use of sync API'));
}

describe('media bookkeeping', () => {
  let server: ChildServer | null = null;
  afterAll(() => {
    server?.child.kill('SIGKILL');
  });

  it('does no synchronous file I/O per segment, live window and recording alike', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = spawnServer({
      PORT: String(port),
      HOST: '127.0.0.1',
      RADACAST_DATA_DIR: tempDir('radacast-syncio-'),
      RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RADACAST_LOG_LEVEL: 'warn',
      RADACAST_DEMO: '1',
      NODE_OPTIONS: '--trace-sync-io',
    });
    await waitForHealth(url, server);
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const opened = await fetch(`${url}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ type: 'sitting.open', sittingId: DEMO_SITTING, commandId: 'open' }),
    });
    expect(opened.status).toBe(200);
    const { rtmp } = (await (await fetch(`${url}/api/rooms/plenary/ingest`, { headers: { cookie } })).json()) as IngestInfo;

    const encoder = pushTestPattern(rtmp.url, 30);
    /** Seconds recorded so far, once at least `seconds` (polled: the child has no event a test can await). */
    const recorded = async (seconds: number): Promise<number> => {
      for (let i = 0; i < 100; i++) {
        const view = (await (await fetch(`${url}/api/sittings/${DEMO_SITTING}`)).json()) as { recording?: { duration: number } };
        if ((view.recording?.duration ?? 0) >= seconds) return view.recording!.duration;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return 0;
    };
    expect(await recorded(1)).toBeGreaterThanOrEqual(1);
    const before = syncStacks(server.stderr()).length;
    expect(await recorded(5)).toBeGreaterThanOrEqual(5);
    await encoder.kill();
    const media = syncStacks(server.stderr()).slice(before).filter((stack) => stack.includes('/server/media/'));
    expect(media, media.join('\n')).toEqual([]);
  });
});
