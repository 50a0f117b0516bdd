// What the server sends on an RTMP connection: messages split into chunks, the protocol
// control messages, and AMF0 command answers (_result, _error, onStatus).
import { encodeAll, type AmfObject, type AmfValue } from './amf0.ts';

export const MSG_ACKNOWLEDGEMENT = 3;
export const MSG_USER_CONTROL = 4;
export const MSG_WINDOW_ACK_SIZE = 5;
export const MSG_SET_PEER_BANDWIDTH = 6;
export const MSG_AUDIO = 8;
export const MSG_VIDEO = 9;
export const MSG_DATA_AMF3 = 15;
export const MSG_COMMAND_AMF3 = 17;
export const MSG_DATA_AMF0 = 18;
export const MSG_COMMAND_AMF0 = 20;

/** The chunk size the server announces and writes with. */
export const SERVER_CHUNK_SIZE = 4096;

const CSID_CONTROL = 2;
const CSID_COMMAND = 3;

/** Splits one message into chunks: a type-0 header, then type-3 continuation headers. */
export function encodeChunks(csid: number, typeId: number, streamId: number, payload: Buffer, chunkSize: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = csid & 0x3f; // fmt 0; the server only uses chunk stream ids below 64
  header.writeUIntBE(0, 1, 3); // timestamp 0: the server sends no timed media
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = typeId;
  header.writeUInt32LE(streamId, 8);
  const parts: Buffer[] = [header];
  for (let at = 0; at < payload.length; at += chunkSize) {
    if (at > 0) parts.push(Buffer.from([0xc0 | (csid & 0x3f)]));
    parts.push(payload.subarray(at, at + chunkSize));
  }
  return Buffer.concat(parts);
}

function control(typeId: number, payload: Buffer): Buffer {
  return encodeChunks(CSID_CONTROL, typeId, 0, payload, SERVER_CHUNK_SIZE);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** Sent before anything longer than 128 bytes: until the client reads it, 128 applies. */
export function setChunkSize(size: number): Buffer {
  return control(1, uint32(size));
}

export function windowAckSize(size: number): Buffer {
  return control(MSG_WINDOW_ACK_SIZE, uint32(size));
}

export function setPeerBandwidth(size: number): Buffer {
  return control(MSG_SET_PEER_BANDWIDTH, Buffer.concat([uint32(size), Buffer.from([2])]));
}

export function acknowledgement(bytesReceived: number): Buffer {
  return control(MSG_ACKNOWLEDGEMENT, uint32(bytesReceived));
}

/** User Control "Stream Begin" for a message stream. */
export function streamBegin(streamId: number): Buffer {
  const payload = Buffer.alloc(6);
  payload.writeUInt16BE(0, 0);
  payload.writeUInt32BE(streamId, 2);
  return control(MSG_USER_CONTROL, payload);
}

export function command(streamId: number, values: AmfValue[]): Buffer {
  return encodeChunks(CSID_COMMAND, MSG_COMMAND_AMF0, streamId, encodeAll(values), SERVER_CHUNK_SIZE);
}

export function onStatus(streamId: number, info: { level: 'status' | 'error'; code: string; description: string }): Buffer {
  const object: AmfObject = { ...info };
  return command(streamId, ['onStatus', 0, null, object]);
}
