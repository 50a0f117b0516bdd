// Reads an FLV byte stream (ffmpeg's stdout) back into tags, so media that arrived over WebRTC
// enters the same RTMP ingest path (packager, recording, restream) as an encoder's FLV.
import { TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO, type FlvTag } from '../flv.ts';

const FILE_HEADER = 9 + 4;
const TAG_HEADER = 11;

export class FlvReader {
  readonly #onTag: (tag: FlvTag) => void;
  #buffer: Buffer = Buffer.alloc(0);
  #headerSeen = false;

  constructor(onTag: (tag: FlvTag) => void) {
    this.#onTag = onTag;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (!this.#headerSeen) {
      if (this.#buffer.length < FILE_HEADER) return;
      if (this.#buffer.toString('latin1', 0, 3) !== 'FLV') throw new Error('not an FLV stream');
      this.#buffer = this.#buffer.subarray(FILE_HEADER);
      this.#headerSeen = true;
    }
    while (this.#buffer.length >= TAG_HEADER) {
      const size = this.#buffer.readUIntBE(1, 3);
      if (this.#buffer.length < TAG_HEADER + size + 4) return;
      const type = this.#buffer.readUInt8(0) & 0x1f;
      const timestamp = (this.#buffer.readUIntBE(4, 3) | (this.#buffer.readUInt8(7) << 24)) >>> 0;
      // Copied: the tag outlives this chunk (the ingest keeps decoder configurations).
      const data = Buffer.from(this.#buffer.subarray(TAG_HEADER, TAG_HEADER + size));
      this.#buffer = this.#buffer.subarray(TAG_HEADER + size + 4);
      if (type === TAG_AUDIO || type === TAG_VIDEO || type === TAG_SCRIPT) this.#onTag({ type, timestamp, data });
    }
  }
}
