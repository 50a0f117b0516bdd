// What a relay needs from a room's live FLV to join mid-stream: the metadata and the decoder
// configurations seen so far, so a (re)started ffmpeg gets a file header and those, stamped
// with the keyframe it starts at, before the keyframe itself.
import { audioTagInfo, flvHeader, TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO, videoTagInfo, type FlvTag } from '../flv.ts';

export class FlvFeed {
  #metadata: FlvTag | null = null;
  #videoConfig: FlvTag | null = null;
  #audioConfig: FlvTag | null = null;
  #hasAudio = false;

  /** Takes one tag of the stream; true when it is a video keyframe (a relay may start there). */
  observe(tag: FlvTag): boolean {
    if (tag.type === TAG_SCRIPT) this.#metadata = tag;
    else if (tag.type === TAG_AUDIO) {
      this.#hasAudio = true;
      if (audioTagInfo(tag.data)?.sequenceHeader) this.#audioConfig = tag;
    } else if (tag.type === TAG_VIDEO) {
      const info = videoTagInfo(tag.data);
      if (info?.sequenceHeader) this.#videoConfig = tag;
      else if (info?.keyframe) return true;
    }
    return false;
  }

  /** A new publisher: nothing of the previous stream applies. */
  reset(): void {
    this.#metadata = this.#videoConfig = this.#audioConfig = null;
    this.#hasAudio = false;
  }

  /** The file header and the cached tags a relay starting at `keyframe` must see first. */
  opening(keyframe: FlvTag): { header: Buffer; tags: FlvTag[] } {
    const cached = [this.#metadata, this.#videoConfig, this.#audioConfig].filter((t): t is FlvTag => t !== null);
    return { header: flvHeader(this.#hasAudio, true), tags: cached.map((t) => ({ ...t, timestamp: keyframe.timestamp })) };
  }
}
