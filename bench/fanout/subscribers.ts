// Child process of bench/fanout.ts: opens COUNT subscribers (socket.io `/live` or bare ws),
// stamps the arrival of every update by seq, and returns latencies against the clerk's
// acknowledgement times when asked. `/live` is spoken by leanClient.ts unless
// FANOUT_CLIENT=socket.io-client.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { SittingUpdate } from '../../protocol/socket.ts';
import { LeanSubscriber } from './leanClient.ts';

const [mode, url, countText] = process.argv.slice(2) as ['socketio' | 'ws', string, string];
const count = Number(countText);
const now = () => performance.timeOrigin + performance.now();
/** seq → arrival times at each subscriber. */
const arrivals = new Map<number, number[]>();
const record = (seq: number) => {
  const t = now();
  const list = arrivals.get(seq);
  if (list) list.push(t);
  else arrivals.set(seq, [t]);
};

const REAL_CLIENT = process.env.FANOUT_CLIENT === 'socket.io-client';

async function openLean(): Promise<LeanSubscriber> {
  const s = new LeanSubscriber(url, record);
  await s.subscribe('demo-plenary');
  return s;
}

async function openSocketIo(): Promise<Socket> {
  const s = io(`${url}/live`, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  await new Promise<void>((resolve) => s.emit('subscribe', { sittingId: 'demo-plenary' }, () => resolve()));
  s.on('update', (u: SittingUpdate) => record(u.seq));
  return s;
}

async function openWs(): Promise<WebSocket> {
  const ws = new WebSocket(url.replace('http', 'ws'));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data) => record((JSON.parse(data.toString()) as { seq: number }).seq));
  return ws;
}

/** All subscribers drop their connection at once and subscribe again (a restart's reconnect storm); returns when the last is answered. */
async function storm(): Promise<number> {
  const answered = clients.map(async (c) => {
    if (c instanceof LeanSubscriber) {
      c.close();
      await c.subscribe('demo-plenary');
      return now();
    }
    const s = c as Socket;
    return new Promise<number>((resolve) => {
      s.once('connect', () => s.emit('subscribe', { sittingId: 'demo-plenary' }, () => resolve(now())));
      s.disconnect();
      s.connect();
    });
  });
  return Math.max(...(await Promise.all(answered)));
}

const clients: { close(): void }[] = [];
const BATCH = 50;
for (let i = 0; i < count; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, count - i) }, () => (mode === 'ws' ? openWs() : REAL_CLIENT ? openSocketIo() : openLean()));
  clients.push(...(await Promise.all(batch)));
}
process.send!({ type: 'ready' });

process.on('message', (msg: { type: string; acks?: Record<string, number> }) => {
  if (msg.type === 'storm') void storm().then((lastAnswer) => process.send!({ type: 'storm', lastAnswer }));
  if (msg.type === 'latencies') {
    const latencies: number[] = [];
    let missing = 0;
    for (const [seq, ack] of Object.entries(msg.acks!)) {
      const list = arrivals.get(Number(seq)) ?? [];
      missing += count - list.length;
      for (const t of list) latencies.push(t - ack);
    }
    process.send!({ type: 'latencies', latencies, missing });
  }
  if (msg.type === 'stop') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
