// One RTMP connection: handshake, the command exchange of a publishing encoder (connect,
// createStream, publish), then its audio, video and metadata handed on as FLV tags. Who may
// publish is decided outside (by stream key); a refusal is answered with an error status and
// the connection is closed.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from '../../logger.ts';
import { TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO, type FlvTag } from '../flv.ts';
import { decodeAll, decodeValue, type AmfObject, type AmfValue } from './amf0.ts';
import { ChunkDecoder, DEFAULT_LIMITS, type ChunkDecoderLimits, type RtmpMessage } from './ChunkDecoder.ts';
import { answerHandshake, HANDSHAKE_SIZE } from './handshake.ts';
import {
  acknowledgement,
  command,
  MSG_AUDIO,
  MSG_COMMAND_AMF0,
  MSG_COMMAND_AMF3,
  MSG_DATA_AMF0,
  MSG_DATA_AMF3,
  MSG_VIDEO,
  MSG_WINDOW_ACK_SIZE,
  onStatus,
  SERVER_CHUNK_SIZE,
  setChunkSize,
  setPeerBandwidth,
  streamBegin,
  windowAckSize,
} from './messages.ts';
import { messageOf } from '../../thrown.ts';

export interface PublishRequest {
  app: string;
  key: string;
  remote: string;
}

/** Where an accepted publisher's media goes. */
export interface PublishSink {
  tag(tag: FlvTag): void;
  /** The publisher stopped or the connection ended; called once. */
  end(): void;
}

export type PublishRefusal = 'bad-app' | 'bad-key' | 'busy' | 'unavailable';
export type PublishDecision = { ok: true; sink: PublishSink } | { ok: false; reason: PublishRefusal; description: string };
export type Authorizer = (request: PublishRequest) => PublishDecision;

export interface RtmpSessionOptions {
  /** Time allowed from TCP connect to an accepted publish (handshake and commands included). */
  setupTimeoutMs: number;
  /** Bytes a connection may send before its publish is accepted (the handshake is 3,073). */
  setupByteBudget: number;
  /** A connection that sends nothing for this long is dropped. */
  idleTimeoutMs: number;
}

export type RtmpSessionEvents = { closed: [] };

const WINDOW = 5_000_000;

/**
 * Until a stream key is accepted nobody is trusted: an encoder's connect, createStream and
 * publish are a few hundred bytes each, so a stranger gets only that much room.
 */
const SETUP_LIMITS: ChunkDecoderLimits = { maxMessageSize: 16 * 1024, maxChunkStreams: 8, maxHeldBytes: 64 * 1024 };

export class RtmpSession extends EventEmitter<RtmpSessionEvents> {
  readonly remote: string;
  readonly #socket: Socket;
  readonly #authorize: Authorizer;
  readonly #logger: Logger;
  readonly #decoder = new ChunkDecoder(SETUP_LIMITS);
  readonly #setupByteBudget: number;
  readonly #startedAt = Date.now();
  #phase: 'c0c1' | 'c2' | 'chunks' = 'c0c1';
  #handshake: Buffer = Buffer.alloc(0);
  #app: string | null = null;
  #nextStreamId = 1;
  #publishing: { streamId: number; sink: PublishSink } | null = null;
  #received = 0;
  #acked = 0;
  #ackWindow = 0;
  #setupTimer: NodeJS.Timeout;
  #closed = false;

  constructor(socket: Socket, authorize: Authorizer, logger: Logger, options: RtmpSessionOptions) {
    super();
    this.#socket = socket;
    this.#authorize = authorize;
    this.#setupByteBudget = options.setupByteBudget;
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.#logger = logger.child({ rtmp: this.remote });
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs, () => {
      this.#logger.warn('RTMP connection idle, dropped');
      this.close();
    });
    this.#setupTimer = setTimeout(() => {
      if (this.#publishing) return;
      this.#logger.warn('RTMP connection did not start publishing in time, dropped');
      this.close();
    }, options.setupTimeoutMs);
    socket.on('data', (data: Buffer) => this.#onData(data));
    socket.on('error', (err) => this.#logger.debug({ err: err.message }, 'RTMP socket error'));
    socket.on('close', () => this.close());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#setupTimer);
    const publishing = this.#publishing;
    this.#publishing = null;
    publishing?.sink.end();
    this.#socket.destroy();
    this.emit('closed');
  }

  #onData(data: Buffer): void {
    if (this.#closed) return;
    this.#received += data.length;
    if (!this.#publishing && this.#received > this.#setupByteBudget) {
      this.#logger.warn({ received: this.#received }, 'RTMP connection sent too much before publishing, dropped');
      return this.close();
    }
    try {
      if (this.#phase !== 'chunks') {
        const rest = this.#handshakeStep(data);
        if (!rest || rest.length === 0) return;
        data = rest;
      }
      for (const message of this.#decoder.push(data)) {
        this.#onMessage(message);
        if (this.#closed) return;
      }
      this.#acknowledge();
    } catch (err) {
      this.#logger.warn({ err: messageOf(err) }, 'RTMP protocol error, connection dropped');
      this.close();
    }
  }

  /** Consumes handshake bytes; returns what follows the handshake, if anything. */
  #handshakeStep(data: Buffer): Buffer | null {
    this.#handshake = Buffer.concat([this.#handshake, data]);
    if (this.#phase === 'c0c1') {
      if (this.#handshake.length < 1 + HANDSHAKE_SIZE) return null;
      this.#socket.write(answerHandshake(this.#handshake.subarray(0, 1 + HANDSHAKE_SIZE), Date.now() - this.#startedAt));
      this.#handshake = this.#handshake.subarray(1 + HANDSHAKE_SIZE);
      this.#phase = 'c2';
    }
    if (this.#handshake.length < HANDSHAKE_SIZE) return null;
    const rest = this.#handshake.subarray(HANDSHAKE_SIZE);
    this.#handshake = Buffer.alloc(0);
    this.#phase = 'chunks';
    return rest;
  }

  #acknowledge(): void {
    if (this.#ackWindow > 0 && this.#received - this.#acked >= this.#ackWindow) {
      this.#acked = this.#received;
      this.#socket.write(acknowledgement(this.#received));
    }
  }

  #onMessage(message: RtmpMessage): void {
    switch (message.typeId) {
      case MSG_WINDOW_ACK_SIZE:
        if (message.payload.length >= 4) this.#ackWindow = message.payload.readUInt32BE(0);
        return;
      case MSG_COMMAND_AMF0:
        return this.#onCommand(message, decodeAll(message.payload));
      case MSG_COMMAND_AMF3:
        // An AMF3 command message starts with a format byte, then AMF0 values.
        return this.#onCommand(message, decodeAll(message.payload.subarray(1)));
      case MSG_DATA_AMF0:
        return this.#onData0(message, message.payload);
      case MSG_DATA_AMF3:
        return this.#onData0(message, message.payload.subarray(1));
      case MSG_AUDIO:
        return this.#media(message, TAG_AUDIO);
      case MSG_VIDEO:
        return this.#media(message, TAG_VIDEO);
      default:
        // Set Chunk Size and Abort are applied by the decoder; acknowledgements and user
        // control events from a publisher need no answer.
        return;
    }
  }

  #media(message: RtmpMessage, type: typeof TAG_AUDIO | typeof TAG_VIDEO): void {
    const publishing = this.#publishing;
    if (!publishing || message.streamId !== publishing.streamId || message.payload.length === 0) return;
    publishing.sink.tag({ type, timestamp: message.timestamp, data: message.payload });
  }

  /** `@setDataFrame("onMetaData", {...})` becomes the FLV script tag `onMetaData {...}`. */
  #onData0(message: RtmpMessage, payload: Buffer): void {
    const publishing = this.#publishing;
    if (!publishing || payload.length === 0) return;
    const first = decodeValue(payload, 0);
    const data = first.value === '@setDataFrame' ? payload.subarray(first.next) : payload;
    if (data.length === 0) return;
    publishing.sink.tag({ type: TAG_SCRIPT, timestamp: message.timestamp, data: Buffer.from(data) });
  }

  #onCommand(message: RtmpMessage, values: AmfValue[]): void {
    const [name, transaction] = values;
    const txn = typeof transaction === 'number' ? transaction : 0;
    switch (name) {
      case 'connect':
        return this.#connect(txn, values[2]);
      case 'createStream':
        this.#socket.write(command(0, ['_result', txn, null, this.#nextStreamId++]));
        return;
      case 'publish':
        return this.#publish(message.streamId, values[3]);
      case 'FCUnpublish':
      case 'deleteStream':
      case 'closeStream':
        return this.#unpublish();
      default:
        // releaseStream, FCPublish, getStreamLength and the like need no answer from us.
        return;
    }
  }

  #connect(txn: number, object: AmfValue): void {
    const info: AmfObject = object && typeof object === 'object' && !Array.isArray(object) && !(object instanceof Date) ? object : {};
    const app = typeof info.app === 'string' ? info.app.replace(/\?.*$/s, '').replace(/\/+$/, '') : '';
    this.#app = app;
    this.#socket.write(
      Buffer.concat([
        setChunkSize(SERVER_CHUNK_SIZE),
        windowAckSize(WINDOW),
        setPeerBandwidth(WINDOW),
        command(0, [
          '_result',
          txn,
          { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
          {
            level: 'status',
            code: 'NetConnection.Connect.Success',
            description: 'Connection succeeded.',
            objectEncoding: typeof info.objectEncoding === 'number' ? info.objectEncoding : 0,
          },
        ]),
      ]),
    );
  }

  #publish(streamId: number, name: AmfValue): void {
    if (this.#publishing) return this.#refuse(streamId, 'NetStream.Publish.BadName', 'Already publishing on this connection.');
    const key = typeof name === 'string' ? name.replace(/\?.*$/s, '') : '';
    const decision = this.#authorize({ app: this.#app ?? '', key, remote: this.remote });
    // "Rejected" is what encoders show as a refused key; "BadName" reads as "stream already exists".
    if (!decision.ok) return this.#refuse(streamId, 'NetStream.Publish.Rejected', decision.description);
    clearTimeout(this.#setupTimer);
    this.#decoder.setLimits(DEFAULT_LIMITS);
    this.#publishing = { streamId, sink: decision.sink };
    this.#socket.write(
      Buffer.concat([
        streamBegin(streamId),
        onStatus(streamId, { level: 'status', code: 'NetStream.Publish.Start', description: 'Publishing started.' }),
      ]),
    );
  }

  #refuse(streamId: number, code: string, description: string): void {
    // The answer is flushed before the connection closes, so the encoder can show it.
    this.#socket.end(onStatus(streamId, { level: 'error', code, description }), () => this.close());
  }

  #unpublish(): void {
    const publishing = this.#publishing;
    this.#publishing = null;
    publishing?.sink.end();
  }
}
