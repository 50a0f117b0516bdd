// The deployment's nginx site (deploy/nginx-radacast.conf) in Debian's nginx, in front of a
// real server, over TLS with a certificate made here: a clerk logs in to the console, a
// resident's live page subscribes to /live and plays the HLS, all through the proxy; the proxy's
// forwarded protocol reaches radacast (RADACAST_TRUST_PROXY), so the session cookie is Secure.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../media/support.ts';
import { logIn } from '../console/consolePage.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run } from '../support/overlayPage.ts';
import { deploySite, startNginx, type Nginx } from '../support/nginx.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { launchChromium } from '../support/browser.ts';
import { playing } from '../site/sitePages.ts';

describe('behind the deployment nginx (TLS)', () => {
  let t: TestServer;
  let nginx: Nginx;
  let encoder: Encoder;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestServer({ demo: true, trustProxy: true });
    await run(t, liveVoteCommands({ present: PRESENT, voteId: 'v1' }));
    nginx = await startNginx(deploySite(Number(new URL(t.url).port)), ['http', 'https']);
    base = `https://127.0.0.1:${nginx.ports.https}`;
    encoder = await goLive(t, 'plenary', 120);
    browser = await launchChromium(['--ignore-certificate-errors', '--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    await browser?.close();
    await encoder?.kill();
    await nginx?.stop();
    await t?.close();
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`http://127.0.0.1:${nginx.ports.http}/live/plenary`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toMatch(/^https:\/\//);
  });

  it('a clerk logs in to the console through the proxy and gets a Secure session cookie', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await logIn(page);
    await page.getByRole('link', { name: /Засідання/ }).first().waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.httpOnly);
    expect(session, nginx.errors()).toBeDefined();
    expect(session!.secure).toBe(true);
    await context.close();
  });

  it('a resident watches the live page: /live over the proxied WebSocket, HLS cached by nginx', async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${base}/live/plenary`);
    await playing(page, 'live');
    expect(sockets.some((url) => url.startsWith(`wss://127.0.0.1:${nginx.ports.https}/socket.io/`))).toBe(true);
    // The panel follows the live channel: a choice cast now reaches it through the proxy.
    await page.getByRole('button', { name: 'У реальному часі' }).click();
    await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: PRESENT[0]!, choice: 'against' });
    await page.waitForFunction(() => document.querySelector('.vote [data-count="against"] dd')?.textContent?.trim() === '1');
    await page.close();

    const playlist = await (await fetch(`${t.url}/hls/plenary/source.m3u8`)).text();
    const segment = playlist.split('\n').find((line) => line.endsWith('.m4s'))!;
    const url = new URL(segment, `${base}/hls/plenary/source.m3u8`).pathname;
    const statuses: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      // Node's fetch would refuse the self-signed certificate; Chromium's request context takes it.
      const res = await browser.newContext({ ignoreHTTPSErrors: true }).then((c) => c.request.get(`${base}${url}`));
      expect(res.status()).toBe(200);
      statuses.push(res.headers()['x-cache-status'] ?? '');
    }
    expect(statuses.slice(1)).toEqual(['HIT', 'HIT']);
  });
});
