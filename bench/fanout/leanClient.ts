// A subscriber of `/live` for the benchmarks that speaks socket.io's wire protocol (engine.io v4
// over a WebSocket, socket.io v5 packets) with no more work per update than the bare `ws`
// baseline's subscriber: one JSON.parse. The real client (socket.io-client) decodes each packet
// through two parsers and an event emitter; in a resident's browser that costs the resident's own
// CPU, but here thousands of subscribers share the server's two cores, so a heavier client would
// slow the server it measures and the comparison with the baseline would weigh the clients.
// FANOUT_CLIENT=socket.io-client runs the benches with the real client instead.
import WebSocket from 'ws';
import { LIVE_NAMESPACE } from '../../protocol/socket.ts';

const EVENT = `42${LIVE_NAMESPACE},`;
/** The answer to `subscribe` (id 0): an ACK, or a BINARY_ACK when it carries the snapshot's bytes (they follow in a binary frame, unread). */
const ANSWER = new RegExp(`^4(3|6\\d+-)${LIVE_NAMESPACE},0\\[`);

export class LeanSubscriber {
  #ws: WebSocket | null = null;
  readonly #url: string;
  readonly #onUpdate: (seq: number) => void;

  constructor(url: string, onUpdate: (seq: number) => void) {
    this.#url = url;
    this.#onUpdate = onUpdate;
  }

  /** Connects, opens `/live` and subscribes to the sitting; resolves when the subscription is answered. */
  subscribe(sittingId: string): Promise<void> {
    const ws = new WebSocket(`${this.#url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    this.#ws = ws;
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data, binary) => {
        if (binary) return;
        const text = data.toString();
        if (text.startsWith(EVENT)) {
          const [event, update] = JSON.parse(text.slice(EVENT.length)) as [string, { seq: number }];
          if (event === 'update') this.#onUpdate(update.seq);
        } else if (text === '2') ws.send('3');
        else if (text.startsWith('0{')) ws.send(`40${LIVE_NAMESPACE},`);
        else if (text.startsWith(`40${LIVE_NAMESPACE},`)) ws.send(`${EVENT}0${JSON.stringify(['subscribe', { sittingId }])}`);
        else if (ANSWER.test(text)) resolve();
        else if (text.startsWith(`44${LIVE_NAMESPACE},`)) reject(new Error(`refused: ${text}`));
      });
    });
  }

  close(): void {
    this.#ws?.close();
  }
}
