// The RTMP pieces without a network: AMF0 values, the chunk stream (split messages, extended
// timestamps, a changed chunk size), the handshake answer, and the FLV the server writes.
import { describe, expect, it } from 'vitest';
import { AmfError, decodeAll, encodeAll, encodeValue } from '../../server/media/rtmp/amf0.ts';
import { ChunkDecoder, RtmpProtocolError } from '../../server/media/rtmp/ChunkDecoder.ts';
import { answerHandshake, HandshakeError, HANDSHAKE_SIZE } from '../../server/media/rtmp/handshake.ts';
import { encodeChunks, setChunkSize } from '../../server/media/rtmp/messages.ts';
import { audioTagInfo, flvHeader, TAG_VIDEO, tagParts, videoTagInfo } from '../../server/media/flv.ts';

/** A chunk with a type-0 header written by hand, as an encoder would, timestamp possibly extended. */
function rawChunk(csid: number, timestamp: number, typeId: number, streamId: number, payload: Buffer, length = payload.length): Buffer {
  const extended = timestamp >= 0xffffff;
  const header = Buffer.alloc(12 + (extended ? 4 : 0));
  header[0] = csid;
  header.writeUIntBE(extended ? 0xffffff : timestamp, 1, 3);
  header.writeUIntBE(length, 4, 3);
  header[7] = typeId;
  header.writeUInt32LE(streamId, 8);
  if (extended) header.writeUInt32BE(timestamp, 12);
  return Buffer.concat([header, payload]);
}

describe('AMF0', () => {
  it('reads back what it writes: the values of a connect command', () => {
    const values = ['connect', 1, { app: 'live', tcUrl: 'rtmp://h/live', fpad: false, audioCodecs: 3575, nested: { a: null } }, null, [1, 'x']];
    expect(decodeAll(encodeAll(values))).toEqual(values);
  });

  it('reads an ECMA array (metadata) and rejects truncated input', () => {
    const ecma = Buffer.concat([Buffer.from([0x08, 0, 0, 0, 1]), encodeValue({ width: 1920 }).subarray(1)]);
    expect(decodeAll(ecma)).toEqual([{ width: 1920 }]);
    expect(() => decodeAll(encodeValue('publish').subarray(0, 4))).toThrow(AmfError);
    expect(() => decodeAll(Buffer.from([0x0d]))).toThrow(AmfError);
  });
});

describe('chunk stream', () => {
  it('reassembles a message split into 128-byte chunks, whatever the TCP segmentation', () => {
    const payload = Buffer.alloc(300, 7);
    const bytes = encodeChunks(4, 9, 1, payload, 128);
    const decoder = new ChunkDecoder();
    const messages = [];
    for (let i = 0; i < bytes.length; i += 5) messages.push(...decoder.push(bytes.subarray(i, i + 5)));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ chunkStreamId: 4, typeId: 9, streamId: 1, timestamp: 0 });
    expect(messages[0]!.payload.equals(payload)).toBe(true);
  });

  it('applies Set Chunk Size to the very next chunk', () => {
    const big = Buffer.alloc(1000, 1);
    const bytes = Buffer.concat([setChunkSize(4096), encodeChunks(4, 8, 1, big, 4096)]);
    const messages = new ChunkDecoder().push(bytes);
    expect(messages.map((m) => m.typeId)).toEqual([1, 8]);
    expect(messages[1]!.payload.length).toBe(1000);
  });

  it('reads extended timestamps, also on continuation chunks, and deltas after them', () => {
    const payload = Buffer.alloc(200, 2);
    const first = rawChunk(6, 0x1000000, 9, 1, payload.subarray(0, 128), 200);
    // continuation (fmt 3) repeats the 4-byte extended timestamp
    const ext = Buffer.alloc(4);
    ext.writeUInt32BE(0x1000000, 0);
    const continuation = Buffer.concat([Buffer.from([0xc0 | 6]), ext, payload.subarray(128)]);
    // next message: fmt 2 with a 40 ms delta
    const delta = Buffer.concat([Buffer.from([0x80 | 6, 0, 0, 40]), payload]);
    const messages = new ChunkDecoder().push(Buffer.concat([first, continuation, delta.subarray(0, 4 + 128), Buffer.from([0xc0 | 6]), payload.subarray(128)]));
    expect(messages.map((m) => m.timestamp)).toEqual([0x1000000, 0x1000000 + 40]);
    expect(messages.every((m) => m.payload.length === 200)).toBe(true);
  });

  it('refuses a message larger than the limit and a stream that starts without a full header', () => {
    expect(() => new ChunkDecoder({ maxMessageSize: 100 }).push(rawChunk(4, 0, 9, 1, Buffer.alloc(101)))).toThrow(RtmpProtocolError);
    expect(() => new ChunkDecoder().push(Buffer.from([0xc0 | 5, 1, 2, 3]))).toThrow(RtmpProtocolError);
  });
});

describe('handshake', () => {
  it('answers C0+C1 with version 3, an S1 without server version, and S2 echoing C1', () => {
    const c1 = Buffer.alloc(HANDSHAKE_SIZE, 9);
    c1.writeUInt32BE(0x80000702, 4); // a client offering the digest handshake
    const answer = answerHandshake(Buffer.concat([Buffer.from([3]), c1]), 1234);
    expect(answer.length).toBe(1 + 2 * HANDSHAKE_SIZE);
    expect(answer[0]).toBe(3);
    expect(answer.readUInt32BE(1)).toBe(1234);
    expect(answer.readUInt32BE(5)).toBe(0);
    expect(answer.subarray(1 + HANDSHAKE_SIZE).equals(c1)).toBe(true);
  });

  it('refuses RTMPE (version 6) clearly', () => {
    expect(() => answerHandshake(Buffer.concat([Buffer.from([6]), Buffer.alloc(HANDSHAKE_SIZE)]), 0)).toThrow(HandshakeError);
  });
});

describe('FLV', () => {
  it('writes a header and tags with their back-pointers, timestamps above 24 bits included', () => {
    expect(flvHeader(true, true).subarray(0, 5).toString('latin1')).toBe('FLV\x01\x05');
    const tag = Buffer.concat(tagParts({ type: TAG_VIDEO, timestamp: 0x01020304, data: Buffer.from([0x17, 1, 0, 0, 0]) }));
    expect(tag[0]).toBe(9);
    expect(tag.readUIntBE(1, 3)).toBe(5);
    expect(tag.readUIntBE(4, 3)).toBe(0x020304);
    expect(tag[7]).toBe(0x01);
    expect(tag.readUInt32BE(tag.length - 4)).toBe(16);
  });

  it('tells keyframes and decoder configurations apart', () => {
    expect(videoTagInfo(Buffer.from([0x17, 0]))).toEqual({ codec: 'h264', keyframe: true, sequenceHeader: true });
    expect(videoTagInfo(Buffer.from([0x17, 1]))).toEqual({ codec: 'h264', keyframe: true, sequenceHeader: false });
    expect(videoTagInfo(Buffer.from([0x27, 1]))).toEqual({ codec: 'h264', keyframe: false, sequenceHeader: false });
    expect(audioTagInfo(Buffer.from([0xaf, 0]))).toEqual({ codec: 'aac', sequenceHeader: true });
    expect(audioTagInfo(Buffer.from([0x2f]))).toEqual({ codec: 'mp3', sequenceHeader: false });
  });
});
