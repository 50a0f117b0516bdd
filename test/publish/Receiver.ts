// A real webhook receiver on 127.0.0.1 for the tests: records every request (time, path,
// headers, raw body), answers with the status a test chooses per request — or holds the
// request unanswered — and lets a test await the n-th request instead of sleeping.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status to answer with (now, or when the promise settles), or `hold` to leave the request unanswered. */
export type Reply = number | Promise<number> | 'hold';

export class Receiver {
  readonly received: Received[] = [];
  readonly #server: Server;
  readonly #waiters: { path: string; count: number; resolve: (r: Received[]) => void }[] = [];
  #url = '';

  private constructor(reply: (req: Received, indexOnPath: number) => Reply) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { at: performance.now(), path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const index = this.on(r.path).length;
        this.received.push(r);
        const answer = reply(r, index);
        this.#notify();
        if (answer === 'hold') return;
        void Promise.resolve(answer).then((status) => {
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
        });
      });
    });
  }

  static async start(reply: (req: Received, indexOnPath: number) => Reply = () => 200): Promise<Receiver> {
    const receiver = new Receiver(reply);
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    receiver.#url = `http://127.0.0.1:${(receiver.#server.address() as AddressInfo).port}`;
    return receiver;
  }

  url(path: string): string {
    return `${this.#url}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `count` requests have reached `path`. */
  waitFor(path: string, count: number): Promise<Received[]> {
    return new Promise((resolve) => {
      this.#waiters.push({ path, count, resolve });
      this.#notify();
    });
  }

  #notify(): void {
    for (const w of [...this.#waiters]) {
      const got = this.on(w.path);
      if (got.length >= w.count) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(got);
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
