// The RTMP handshake, server side. C0+C1 in, S0+S1+S2 out. S1 carries a zero version so
// clients that could use the digest ("FP9") handshake fall back to the simple one, which
// every encoder supports (librtmp in OBS, ffmpeg, hardware encoders); S2 echoes C1.
import { randomBytes } from 'node:crypto';

export const RTMP_VERSION = 3;
export const HANDSHAKE_SIZE = 1536;

export class HandshakeError extends Error {
  override name = 'HandshakeError';
}

/** Answers C0+C1 (1 + 1536 bytes) with S0+S1+S2; `uptimeMs` fills S1's time field. */
export function answerHandshake(c0c1: Buffer, uptimeMs: number): Buffer {
  if (c0c1.length !== 1 + HANDSHAKE_SIZE) throw new HandshakeError(`handshake of ${c0c1.length} bytes`);
  const version = c0c1.readUInt8(0);
  if (version !== RTMP_VERSION) throw new HandshakeError(`unsupported RTMP version [version:${version}] (RTMPE is not supported)`);
  const s1 = Buffer.alloc(HANDSHAKE_SIZE);
  s1.writeUInt32BE(uptimeMs >>> 0, 0);
  // bytes 4..7 stay zero: no server version, so no digest handshake
  randomBytes(HANDSHAKE_SIZE - 8).copy(s1, 8);
  const s2 = Buffer.from(c0c1.subarray(1));
  return Buffer.concat([Buffer.from([RTMP_VERSION]), s1, s2]);
}
