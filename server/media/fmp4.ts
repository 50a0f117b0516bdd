// Reading the fragmented MP4 ffmpeg writes to its stdout: the byte stream split into its
// top-level boxes, the initialisation section (ftyp + moov) and each fragment (moof + mdat)
// with the video's duration and whether it begins with a keyframe. Only what LL-HLS needs is
// parsed (ISO/IEC 14496-12: tkhd, mdhd, hdlr, trex, tfhd, trun); the media bytes are not copied.

export interface Fmp4Init {
  data: Buffer;
}

export interface Fmp4Fragment {
  data: Buffer;
  /** Seconds of video in the fragment. */
  duration: number;
  /** The fragment's first video sample is a sync sample (a keyframe). */
  independent: boolean;
  /** Decode time of its first video sample, seconds on the stream's own clock (tfdt). */
  start: number;
}

export interface Box {
  type: string;
  /** The whole box, header included. */
  data: Buffer;
  /** Offset of the payload within `data`. */
  payload: number;
}

export function* children(data: Buffer, start: number, end = data.length): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = data.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      size = Number(data.readBigUInt64BE(at + 8));
      header = 16;
    }
    if (size < header || at + size > end) return;
    yield { type: data.toString('latin1', at + 4, at + 8), data: data.subarray(at, at + size), payload: header };
    at += size;
  }
}

export const child = (box: Box, type: string, skip = 0): Box | undefined => {
  for (const c of children(box.data, box.payload + skip)) if (c.type === type) return c;
  return undefined;
};

interface Track {
  timescale: number;
  video: boolean;
  defaultDuration: number;
  defaultFlags: number;
}

const NON_SYNC = 0x00010000;

/** Track id → timescale, kind and (from mvex/trex) fragment defaults. */
function readTracks(moov: Box): Map<number, Track> {
  const tracks = new Map<number, Track>();
  for (const trak of children(moov.data, moov.payload)) {
    if (trak.type !== 'trak') continue;
    const tkhd = child(trak, 'tkhd');
    const mdia = child(trak, 'mdia');
    const mdhd = mdia && child(mdia, 'mdhd');
    const hdlr = mdia && child(mdia, 'hdlr');
    if (!tkhd || !mdhd || !hdlr) continue;
    const v1 = (b: Box) => b.data[b.payload] === 1;
    const id = tkhd.data.readUInt32BE(tkhd.payload + (v1(tkhd) ? 20 : 12));
    const timescale = mdhd.data.readUInt32BE(mdhd.payload + (v1(mdhd) ? 20 : 12));
    const handler = hdlr.data.toString('latin1', hdlr.payload + 8, hdlr.payload + 12);
    tracks.set(id, { timescale, video: handler === 'vide', defaultDuration: 0, defaultFlags: 0 });
  }
  const mvex = child(moov, 'mvex');
  if (mvex) {
    for (const trex of children(mvex.data, mvex.payload)) {
      if (trex.type !== 'trex') continue;
      const track = tracks.get(trex.data.readUInt32BE(trex.payload + 4));
      if (!track) continue;
      track.defaultDuration = trex.data.readUInt32BE(trex.payload + 12);
      track.defaultFlags = trex.data.readUInt32BE(trex.payload + 20);
    }
  }
  return tracks;
}

/** Video duration, start (tfdt) and first-sample sync of one traf; null for other tracks. */
function readTraf(traf: Box, tracks: Map<number, Track>): { seconds: number; sync: boolean; start: number } | null {
  const tfhd = child(traf, 'tfhd');
  if (!tfhd) return null;
  const p = tfhd.payload;
  const tfhdFlags = tfhd.data.readUInt32BE(p) & 0xffffff;
  const track = tracks.get(tfhd.data.readUInt32BE(p + 4));
  if (!track?.video) return null;
  let at = p + 8;
  if (tfhdFlags & 0x01) at += 8; // base-data-offset
  if (tfhdFlags & 0x02) at += 4; // sample-description-index
  const defaultDuration = tfhdFlags & 0x08 ? tfhd.data.readUInt32BE(at) : track.defaultDuration;
  if (tfhdFlags & 0x08) at += 4;
  if (tfhdFlags & 0x10) at += 4; // default-sample-size
  const defaultFlags = tfhdFlags & 0x20 ? tfhd.data.readUInt32BE(at) : track.defaultFlags;
  let ticks = 0;
  let firstFlags: number | null = null;
  for (const trun of children(traf.data, traf.payload)) {
    if (trun.type !== 'trun') continue;
    const d = trun.data;
    const flags = d.readUInt32BE(trun.payload) & 0xffffff;
    const count = d.readUInt32BE(trun.payload + 4);
    let q = trun.payload + 8;
    if (flags & 0x01) q += 4; // data-offset
    let first: number | null = null;
    if (flags & 0x04) {
      first = d.readUInt32BE(q);
      q += 4;
    }
    for (let i = 0; i < count; i++) {
      ticks += flags & 0x100 ? d.readUInt32BE(q) : defaultDuration;
      if (flags & 0x100) q += 4;
      if (flags & 0x200) q += 4;
      if (flags & 0x400) {
        if (i === 0 && first === null) first = d.readUInt32BE(q);
        q += 4;
      }
      if (flags & 0x800) q += 4;
    }
    if (firstFlags === null && count > 0) firstFlags = first ?? defaultFlags;
  }
  const tfdt = child(traf, 'tfdt');
  const decodeTime = !tfdt ? 0 : tfdt.data[tfdt.payload] === 1 ? Number(tfdt.data.readBigUInt64BE(tfdt.payload + 4)) : tfdt.data.readUInt32BE(tfdt.payload + 4);
  return { seconds: ticks / track.timescale, sync: firstFlags !== null && (firstFlags & NON_SYNC) === 0, start: decodeTime / track.timescale };
}

/** Feed it stdout chunks; it calls back with the init section once and each complete fragment. */
export class Fmp4Reader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #initBoxes: Buffer[] = [];
  #tracks: Map<number, Track> | null = null;
  #moof: { box: Buffer; seconds: number; sync: boolean; start: number } | null = null;
  readonly #onInit: (init: Fmp4Init) => void;
  readonly #onFragment: (fragment: Fmp4Fragment) => void;

  constructor(onInit: (init: Fmp4Init) => void, onFragment: (fragment: Fmp4Fragment) => void) {
    this.#onInit = onInit;
    this.#onFragment = onFragment;
  }

  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    for (;;) {
      const size = this.#nextBoxSize();
      if (size === null || this.#pendingBytes < size) return;
      this.#box(this.#take(size));
    }
  }

  #nextBoxSize(): number | null {
    if (this.#pendingBytes < 8) return null;
    const size = this.#peek(8).readUInt32BE(0);
    if (size === 1) return this.#pendingBytes < 16 ? null : Number(this.#peek(16).readBigUInt64BE(8));
    if (size < 8) throw new Error(`fMP4 box of ${size} bytes`);
    return size;
  }

  /** The first pending chunk, joined with the ones after it when it holds fewer than `bytes`. */
  #front(bytes: number): Buffer {
    const first = this.#pending[0];
    if (first && first.length >= bytes) return first;
    const joined = Buffer.concat(this.#pending);
    this.#pending = [joined];
    return joined;
  }

  #peek(bytes: number): Buffer {
    return this.#front(bytes).subarray(0, bytes);
  }

  #take(bytes: number): Buffer {
    const first = this.#front(bytes);
    const box = first.subarray(0, bytes);
    if (first.length === bytes) this.#pending.shift();
    else this.#pending[0] = first.subarray(bytes);
    this.#pendingBytes -= bytes;
    return box;
  }

  #box(data: Buffer): void {
    const [box] = children(data, 0);
    if (!box) return;
    switch (box.type) {
      case 'ftyp':
        this.#initBoxes = [data];
        return;
      case 'moov':
        this.#tracks = readTracks(box);
        this.#initBoxes.push(data);
        this.#onInit({ data: Buffer.concat(this.#initBoxes) });
        return;
      case 'moof': {
        let video = { seconds: 0, sync: false, start: 0 };
        for (const traf of children(data, box.payload)) {
          if (traf.type !== 'traf' || !this.#tracks) continue;
          video = readTraf(traf, this.#tracks) ?? video;
        }
        this.#moof = { box: data, ...video };
        return;
      }
      case 'mdat': {
        const moof = this.#moof;
        this.#moof = null;
        if (moof) this.#onFragment({ data: Buffer.concat([moof.box, data]), duration: moof.seconds, independent: moof.sync, start: moof.start });
        return;
      }
      default:
        // styp, sidx, mfra: nothing a live part needs.
        return;
    }
  }
}

/**
 * Whether a fragment's video is presented in another order than it is decoded (B-frames): its
 * samples' composition offsets differ. WebRTC carries frames in decoding order only, and browsers
 * show them as they come, so such video must be re-encoded for a WHEP viewer.
 */
export function videoReorders(init: Buffer, fragment: Buffer): boolean {
  const moov = [...children(init, 0)].find((b) => b.type === 'moov');
  const tracks = moov ? readTracks(moov) : new Map<number, Track>();
  for (const moof of children(fragment, 0)) {
    if (moof.type !== 'moof') continue;
    for (const traf of children(moof.data, moof.payload)) {
      const tfhd = traf.type === 'traf' ? child(traf, 'tfhd') : undefined;
      if (!tfhd || !tracks.get(tfhd.data.readUInt32BE(tfhd.payload + 4))?.video) continue;
      const offsets: number[] = [];
      for (const trun of children(traf.data, traf.payload)) {
        if (trun.type !== 'trun') continue;
        const d = trun.data;
        const flags = d.readUInt32BE(trun.payload) & 0xffffff;
        if (!(flags & 0x800)) continue;
        const count = d.readUInt32BE(trun.payload + 4);
        let q = trun.payload + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
        for (let i = 0; i < count; i++) {
          q += (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0);
          offsets.push(d.readInt32BE(q));
          q += 4;
        }
      }
      if (offsets.some((o) => o !== offsets[0])) return true;
    }
  }
  return false;
}
