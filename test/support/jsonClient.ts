// JSON over HTTP on node:http with the client's own keep-alive agent, for the crash test and
// the benchmark: they must control connections (drop them all when a server is killed, or
// hold a fixed number open) in a way the global fetch does not offer.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

export class JsonClient {
  readonly #agent: Agent;
  readonly #headers: Record<string, string> = {};

  constructor(
    readonly baseUrl: string,
    maxSockets = 16,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Sends this header with every later request (e.g. the session cookie). */
  setHeader(name: string, value: string): void {
    this.#headers[name.toLowerCase()] = value;
  }

  request<T = unknown>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { ...this.#headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.baseUrl), { method, agent: this.#agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        // A server killed mid-answer closes the socket without completing the message.
        res.on('close', () => {
          if (!res.complete) reject(new Error(`connection closed mid-answer [${method} ${path}]`));
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T });
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  post<T = unknown>(path: string, body: unknown): Promise<JsonResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  get<T = unknown>(path: string): Promise<JsonResponse<T>> {
    return this.request<T>('GET', path);
  }

  /** Logs in and sends the session cookie with every later request. */
  async login(username: string, password: string): Promise<void> {
    const res = await this.post('/api/session', { username, password });
    const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
    if (res.status !== 200 || !cookie) throw new Error(`login failed [status:${res.status}]`);
    this.setHeader('cookie', cookie);
  }

  close(): void {
    this.#agent.destroy();
  }
}
