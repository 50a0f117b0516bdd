// Reassembles RTMP messages from the chunk stream a client sends after the handshake. Applies
// the chunk layer's own control messages (Set Chunk Size, Abort) at once, because they change
// how the very next chunk is read. Pure: bytes in, messages out. Linear in the bytes pushed:
// a chunk arriving in many TCP reads is joined once, when it is complete, and the bytes held
// for unfinished messages are capped (tighter before a publisher is accepted).

import { joined } from '../joined.ts';

export interface RtmpMessage {
  chunkStreamId: number;
  typeId: number;
  streamId: number;
  /** Milliseconds, as the encoder stamped them (wraps after 2^32). */
  timestamp: number;
  payload: Buffer;
}

export const MSG_SET_CHUNK_SIZE = 1;
export const MSG_ABORT = 2;

interface ChunkStreamState {
  /** The last timestamp field read: absolute after a type-0 header, a delta otherwise. */
  timestampField: number;
  extended: boolean;
  timestamp: number;
  length: number;
  typeId: number;
  streamId: number;
  parts: Buffer[];
  received: number;
}

export class RtmpProtocolError extends Error {
  override name = 'RtmpProtocolError';
}

export interface ChunkDecoderLimits {
  /** Largest message accepted (a keyframe of a high-bitrate 4K stream fits easily). */
  maxMessageSize: number;
  /** Most chunk streams a client may use at once. */
  maxChunkStreams: number;
  /** Most bytes held at once: unfinished messages of every chunk stream plus a partial chunk. */
  maxHeldBytes: number;
}

export const DEFAULT_LIMITS: ChunkDecoderLimits = { maxMessageSize: 16 * 1024 * 1024, maxChunkStreams: 64, maxHeldBytes: 32 * 1024 * 1024 };

export class ChunkDecoder {
  #chunkSize = 128;
  /** Bytes of a chunk not complete yet, kept as they came (joined once, when enough is here). */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** How many pending bytes the next chunk needs before it can be read. */
  #need = 1;
  /** Bytes of unfinished messages, over every chunk stream. */
  #unfinished = 0;
  readonly #streams = new Map<number, ChunkStreamState>();
  readonly #limits: ChunkDecoderLimits;

  constructor(limits: Partial<ChunkDecoderLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get chunkSize(): number {
    return this.#chunkSize;
  }

  /** Changes the limits, e.g. raised once a publisher is accepted. */
  setLimits(limits: Partial<ChunkDecoderLimits>): void {
    Object.assign(this.#limits, limits);
  }

  /** Consumes bytes; returns every message completed by them, in order. */
  push(data: Buffer): RtmpMessage[] {
    this.#pending.push(data);
    this.#pendingLength += data.length;
    if (this.#unfinished + this.#pendingLength > this.#limits.maxHeldBytes) {
      throw new RtmpProtocolError(`too many bytes held [limit:${this.#limits.maxHeldBytes}]`);
    }
    if (this.#pendingLength < this.#need) return [];
    const buf = joined(this.#pending, this.#pendingLength);
    const messages: RtmpMessage[] = [];
    let at = 0;
    for (;;) {
      const read = this.#readChunk(buf, at);
      if (typeof read === 'number') {
        this.#need = read;
        break;
      }
      at = read.next;
      if (read.message) messages.push(read.message);
    }
    // A view, not a copy: media flows through here at the stream's bitrate.
    this.#pending = at < buf.length ? [buf.subarray(at)] : [];
    this.#pendingLength = buf.length - at;
    return messages;
  }

  /** Reads the chunk at `start`, or tells how many bytes from `start` it needs at least. */
  #readChunk(buf: Buffer, start: number): { next: number; message: RtmpMessage | null } | number {
    let at = start;
    const needs = (end: number) => Math.max(end - start, buf.length - start + 1);
    if (at >= buf.length) return 1;
    const first = buf.readUInt8(at);
    const fmt = first >> 6;
    let csid = first & 0x3f;
    at += 1;
    if (csid === 0) {
      if (at + 1 > buf.length) return needs(at + 1);
      csid = 64 + buf.readUInt8(at);
      at += 1;
    } else if (csid === 1) {
      if (at + 2 > buf.length) return needs(at + 2);
      csid = 64 + buf.readUInt16LE(at);
      at += 2;
    }

    const headerSize = fmt === 0 ? 11 : fmt === 1 ? 7 : fmt === 2 ? 3 : 0;
    if (at + headerSize > buf.length) return needs(at + headerSize);
    const previous = this.#streams.get(csid);
    if (!previous && fmt !== 0) throw new RtmpProtocolError(`chunk stream starts without a full header [csid:${csid}, fmt:${fmt}]`);
    const state: ChunkStreamState =
      previous ??
      { timestampField: 0, extended: false, timestamp: 0, length: 0, typeId: 0, streamId: 0, parts: [], received: 0 };
    const startsMessage = state.received === 0;

    let timestampField = state.timestampField;
    let extended = state.extended;
    let length = state.length;
    let typeId = state.typeId;
    let streamId = state.streamId;
    if (fmt <= 2) {
      timestampField = buf.readUIntBE(at, 3);
      extended = timestampField === 0xffffff;
    }
    if (fmt <= 1) {
      length = buf.readUIntBE(at + 3, 3);
      typeId = buf.readUInt8(at + 6);
    }
    if (fmt === 0) streamId = buf.readUInt32LE(at + 7);
    at += headerSize;
    if (extended) {
      if (at + 4 > buf.length) return needs(at + 4);
      if (fmt <= 2) timestampField = buf.readUInt32BE(at);
      at += 4;
    }

    if (startsMessage && length > this.#limits.maxMessageSize) {
      throw new RtmpProtocolError(`message too large [csid:${csid}, length:${length}]`);
    }
    const remaining = (startsMessage ? length : state.length) - state.received;
    const size = Math.min(remaining, this.#chunkSize);
    if (at + size > buf.length) return needs(at + size);

    // Only now that the whole chunk is here does the state change.
    if (!previous) {
      if (this.#streams.size >= this.#limits.maxChunkStreams) {
        throw new RtmpProtocolError(`too many chunk streams [limit:${this.#limits.maxChunkStreams}]`);
      }
      this.#streams.set(csid, state);
    }
    if (startsMessage) {
      state.timestamp = fmt === 0 ? timestampField : (state.timestamp + timestampField) >>> 0;
      state.timestampField = timestampField;
      state.extended = extended;
      state.length = length;
      state.typeId = typeId;
      state.streamId = streamId;
    }
    state.parts.push(buf.subarray(at, at + size));
    state.received += size;
    this.#unfinished += size;
    at += size;
    if (state.received < state.length) return { next: at, message: null };

    const payload = joined(state.parts, state.received);
    this.#unfinished -= state.received;
    state.parts = [];
    state.received = 0;
    const message: RtmpMessage = { chunkStreamId: csid, typeId: state.typeId, streamId: state.streamId, timestamp: state.timestamp, payload };
    this.#control(message);
    return { next: at, message };
  }

  #control(message: RtmpMessage): void {
    if (message.typeId === MSG_SET_CHUNK_SIZE && message.payload.length >= 4) {
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size < 1 || size > 0xffffff) throw new RtmpProtocolError(`invalid chunk size [size:${size}]`);
      this.#chunkSize = size;
    } else if (message.typeId === MSG_ABORT && message.payload.length >= 4) {
      const stream = this.#streams.get(message.payload.readUInt32BE(0));
      if (stream) {
        this.#unfinished -= stream.received;
        stream.parts = [];
        stream.received = 0;
      }
    }
  }
}
