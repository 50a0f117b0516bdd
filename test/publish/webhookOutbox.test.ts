// A notification is never lost between the commit of a vote's close and the queue of
// deliveries. The server (a child process, as `npm start` runs it) commits a vote.close while
// writing to the delivery queue fails (a trigger on the real database file makes the write
// fail, as a full disk or an I/O error would); it is then SIGKILLed. Once restarted with a
// working database, it catches up from the log and delivers the notification it had missed.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationPayload } from '../../server/publish/notification.ts';
import type { DeliveryLog } from '../../server/publish/WebhookStore.ts';
import { freePort, spawnServer, waitForHealth, type ChildServer } from '../support/childServer.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { ADMIN_PASSWORD, tempDir } from '../support/testServer.ts';
import { DEMO_SITTING, openingAndFirstVote } from './publishedSitting.ts';
import { Receiver } from './Receiver.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(env: Record<string, string>, url: string): Promise<ChildServer> {
  const server = spawnServer(env);
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
  await waitForHealth(url, server);
  return server;
}

async function admin(url: string): Promise<JsonClient> {
  const client = new JsonClient(url);
  const login = await client.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
  expect(login.status).toBe(200);
  client.setHeader('cookie', String(login.headers['set-cookie']?.[0]).split(';')[0]!);
  return client;
}

describe('the webhook outbox', () => {
  it('delivers a vote.closed whose queue write failed before a crash, after the restart', async () => {
    const dataDir = tempDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const hooks = await Receiver.start();
    cleanups.push(() => hooks.close());
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      RADACAST_DATA_DIR: dataDir,
      RADACAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RADACAST_LOG_LEVEL: 'warn',
      RADACAST_DEMO: '1',
      RADACAST_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    };

    const first = await start(env, url);
    const clerk = await admin(url);
    const created = await clerk.post<{ webhook: { id: string } }>('/api/webhooks', { url: hooks.url('/hook'), events: ['vote.closed'] });
    expect(created.status).toBe(201);

    // The queue cannot be written from now on; the record itself can.
    const db = new Database(join(dataDir, 'radacast.db'));
    db.exec(`CREATE TRIGGER queue_fails BEFORE INSERT ON webhook_deliveries BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    db.close();
    for (const command of openingAndFirstVote()) {
      const { status, body } = await clerk.post<{ ok: boolean }>('/api/commands', command);
      expect([status, body.ok], command.type).toEqual([200, true]);
    }
    // The close is acknowledged, and nothing was queued or sent.
    const log = await clerk.request<{ deliveries: DeliveryLog[] }>('GET', `/api/webhooks/${created.body.webhook.id}/deliveries`);
    expect(log.body.deliveries).toEqual([]);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const repaired = new Database(join(dataDir, 'radacast.db'));
    repaired.exec('DROP TRIGGER queue_fails');
    repaired.close();
    const second = await start(env, url);
    const [note] = await hooks.waitFor('/hook', 1);
    const payload = JSON.parse(note!.body) as NotificationPayload;
    expect(payload).toMatchObject({ event: 'vote.closed', sitting: { id: DEMO_SITTING, publication: 'preliminary' }, vote: { id: 'v1', number: 1 } });
    // Described as it was at the close, not as the record stands now.
    const events = (await (await fetch(`${url}/api/sittings/${DEMO_SITTING}/log`)).json()) as { events: { seq: number; event: { type: string } }[] };
    const closeEntry = events.events.find((e) => e.event.type === 'vote.closed')!;
    expect(payload.record.seq).toBe(closeEntry.seq);

    // Caught up once: another restart queues nothing more.
    second.child.kill('SIGKILL');
    await second.exited;
    await start(env, url);
    const again = await admin(url);
    const delivered = await again.request<{ deliveries: DeliveryLog[] }>('GET', `/api/webhooks/${created.body.webhook.id}/deliveries`);
    expect(delivered.body.deliveries).toHaveLength(1);
  });
});
