// FLV, the container RTMP media is remuxed into for ffmpeg's stdin: the file header, tags, and
// what the server reads from a tag (codec, keyframe, sequence header) without decoding media.

export const TAG_AUDIO = 8;
export const TAG_VIDEO = 9;
export const TAG_SCRIPT = 18;

export interface FlvTag {
  type: typeof TAG_AUDIO | typeof TAG_VIDEO | typeof TAG_SCRIPT;
  /** Milliseconds. */
  timestamp: number;
  data: Buffer;
}

/** The 9-byte file header plus the first (zero) PreviousTagSize. */
export function flvHeader(hasAudio: boolean, hasVideo: boolean): Buffer {
  const out = Buffer.alloc(13);
  out.write('FLV', 0, 'latin1');
  out[3] = 1;
  out[4] = (hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0);
  out.writeUInt32BE(9, 5);
  out.writeUInt32BE(0, 9);
  return out;
}

/** A tag as its three parts (header, data, back-pointer), so the data is written without a copy. */
export function tagParts(tag: FlvTag): [Buffer, Buffer, Buffer] {
  const size = tag.data.length;
  const header = Buffer.alloc(11);
  header[0] = tag.type;
  header.writeUIntBE(size, 1, 3);
  header.writeUIntBE(tag.timestamp & 0xffffff, 4, 3);
  header[7] = (tag.timestamp >>> 24) & 0xff;
  // stream id (3 bytes) stays 0
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(11 + size, 0);
  return [header, tag.data, trailer];
}


/** Video codec ids of the FLV VideoTagHeader. */
const VIDEO_CODECS: Record<number, string> = { 2: 'h263', 3: 'screen', 4: 'vp6', 5: 'vp6a', 6: 'screen2', 7: 'h264', 12: 'hevc' };
/** Audio SoundFormat ids of the FLV AudioTagHeader. */
const AUDIO_CODECS: Record<number, string> = { 0: 'pcm', 1: 'adpcm', 2: 'mp3', 3: 'pcm', 4: 'nellymoser', 5: 'nellymoser', 6: 'nellymoser', 7: 'alaw', 8: 'mulaw', 10: 'aac', 11: 'speex', 14: 'mp3' };

export interface VideoTagInfo {
  codec: string;
  keyframe: boolean;
  /** AVC/HEVC decoder configuration (sent once, needed again by a restarted ffmpeg). */
  sequenceHeader: boolean;
}

export function videoTagInfo(data: Buffer): VideoTagInfo | null {
  if (data.length < 1) return null;
  const frameType = data.readUInt8(0) >> 4;
  const codecId = data.readUInt8(0) & 0x0f;
  const codec = VIDEO_CODECS[codecId] ?? `flv-video-${codecId}`;
  const hasPacketType = codecId === 7 || codecId === 12;
  return { codec, keyframe: frameType === 1, sequenceHeader: hasPacketType && data.length >= 2 && data[1] === 0 };
}

export interface AudioTagInfo {
  codec: string;
  /** AAC AudioSpecificConfig (sent once, needed again by a restarted ffmpeg). */
  sequenceHeader: boolean;
}

export function audioTagInfo(data: Buffer): AudioTagInfo | null {
  if (data.length < 1) return null;
  const format = data.readUInt8(0) >> 4;
  const codec = AUDIO_CODECS[format] ?? `flv-audio-${format}`;
  return { codec, sequenceHeader: format === 10 && data.length >= 2 && data[1] === 0 };
}
