// Child process of bench/fanout.ts: the baseline — a bare `ws` server that acknowledges an
// HTTP POST like a command and then broadcasts the same payload to every connected client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const http = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    // Same order as the real server: acknowledge first, then fan out.
    setImmediate(() => {
      for (const client of wss.clients) client.send(body);
    });
  });
});
const wss = new WebSocketServer({ server: http });
http.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (http.address() as AddressInfo).port });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: 'memory', ...process.memoryUsage() });
  }
  if (msg.type === 'stop') process.exit(0);
});
