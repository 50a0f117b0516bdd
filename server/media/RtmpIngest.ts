// An accepted RTMP publisher: its FLV tags go to a supervised packager ffmpeg on stdin. ffmpeg
// starts at the first keyframe (by then the codecs are known: AAC audio is copied, anything
// else transcoded); if it dies or stalls while the encoder is still sending, a new one starts
// after a capped backoff, primed with the cached metadata and decoder configurations, from the
// next keyframe — a new run, so the live playlist continues with a discontinuity.
import type { Logger } from '../logger.ts';
import { backoffDelay, nextAttempt, type BackoffPolicy } from './backoff.ts';
import { audioTagInfo, flvHeader, tagParts, TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO, videoTagInfo, type FlvTag } from './flv.ts';
import { HlsPackager } from './HlsPackager.ts';
import type { IngestLease, LiveRoom, Run } from './LiveRoom.ts';
import type { PublishSink } from './rtmp/RtmpSession.ts';

export interface RtmpIngestOptions {
  ffmpegPath: string;
  segmentSeconds: number;
  stallTimeoutMs: number;
  backoff: BackoffPolicy;
  /** A keyframe interval longer than this is reported to the operator. */
  maxKeyframeIntervalSec: number;
  /** ffmpeg not keeping up: more than this many bytes waiting on its stdin. */
  maxPendingBytes: number;
}

export class RtmpIngest implements PublishSink {
  readonly #room: LiveRoom;
  readonly #lease: IngestLease;
  readonly #options: RtmpIngestOptions;
  readonly #logger: Logger;
  #metadata: FlvTag | null = null;
  #videoConfig: FlvTag | null = null;
  #audioConfig: FlvTag | null = null;
  #audioCodec: string | null = null;
  #packager: { packager: HlsPackager; run: Run; primed: boolean } | null = null;
  #attempt = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #lastKeyframe: number | null = null;
  #warnedKeyframes = false;
  #ended = false;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  constructor(room: LiveRoom, lease: IngestLease, options: RtmpIngestOptions, logger: Logger) {
    this.#room = room;
    this.#lease = lease;
    this.#options = options;
    this.#logger = logger;
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  /** Resolves when the publisher has ended and its last ffmpeg has exited. */
  whenDone(): Promise<void> {
    return this.#done;
  }

  tag(tag: FlvTag): void {
    if (this.#ended) return;
    this.#lease.tag(tag);
    let keyframe = false;
    if (tag.type === TAG_SCRIPT) this.#metadata = tag;
    else if (tag.type === TAG_VIDEO) {
      const info = videoTagInfo(tag.data);
      if (info?.sequenceHeader) this.#videoConfig = tag;
      else if (info?.keyframe) {
        keyframe = true;
        this.#keyframeSeen(tag.timestamp);
      }
    } else if (tag.type === TAG_AUDIO) {
      const info = audioTagInfo(tag.data);
      if (info) this.#audioCodec = info.codec;
      if (info?.sequenceHeader) this.#audioConfig = tag;
    }

    if (!this.#packager && keyframe && !this.#restartTimer) this.#start();
    const current = this.#packager;
    if (!current) return;
    if (!current.primed) {
      // A (re)started ffmpeg begins with the decoder configurations, then a keyframe.
      if (!keyframe) return;
      current.primed = true;
      current.run.startedAt = Date.now();
      this.#write([...this.#primer(tag.timestamp), tag]);
      return;
    }
    this.#write([tag]);
  }

  #keyframeSeen(timestamp: number): void {
    if (this.#lastKeyframe !== null && timestamp > this.#lastKeyframe) {
      const seconds = (timestamp - this.#lastKeyframe) / 1000;
      this.#lease.keyframeInterval(seconds);
      if (seconds > this.#options.maxKeyframeIntervalSec && !this.#warnedKeyframes) {
        this.#warnedKeyframes = true;
        this.#lease.problem('long-keyframe-interval');
      }
    }
    this.#lastKeyframe = timestamp;
  }

  #primer(timestamp: number): FlvTag[] {
    const tags = [this.#metadata, this.#videoConfig, this.#audioConfig].filter((t): t is FlvTag => t !== null);
    return tags.map((t) => ({ ...t, timestamp }));
  }

  #write(tags: FlvTag[]): void {
    const current = this.#packager;
    const stdin = current?.packager.stdin;
    if (!current || !stdin) return;
    if (stdin.writableLength > this.#options.maxPendingBytes) {
      this.#logger.warn({ pending: stdin.writableLength }, 'ffmpeg is not reading its input, killed');
      this.#lease.problem('stalled');
      void current.packager.kill();
      return;
    }
    // Corked: the parts of every tag leave in one writev, the media data uncopied.
    stdin.cork();
    for (const tag of tags) for (const part of tagParts(tag)) stdin.write(part);
    stdin.uncork();
  }

  #start(): void {
    const run = this.#room.createRun();
    const audio = this.#audioCodec === null || this.#audioCodec === 'aac' ? 'copy' : 'aac';
    const packager = new HlsPackager({
      ffmpegPath: this.#options.ffmpegPath,
      input: { kind: 'flv-pipe' },
      audio,
      runDir: run.dir,
      segmentSeconds: this.#options.segmentSeconds,
      stallTimeoutMs: this.#options.stallTimeoutMs,
      logger: this.#logger,
    });
    this.#packager = { packager, run, primed: false };
    const hasAudio = this.#audioCodec !== null;
    packager.stdin?.write(flvHeader(hasAudio, true));
    packager.on('streams', (info) => this.#lease.streams(info, audio === 'aac'));
    packager.on('segments', (segments) => this.#lease.segments(run, segments, Date.now()));
    packager.on('part', (part) => this.#lease.part(run, part, Date.now()));
    let problemReported = false;
    packager.on('problem', (code) => {
      problemReported = true;
      this.#lease.problem(code);
    });
    packager.once('exit', (exit) => {
      this.#packager = null;
      this.#room.endRun(run);
      if (this.#ended) return this.#finish();
      // The encoder is still sending: this ffmpeg failed.
      if (exit.spawnError) {
        this.#logger.error({ err: exit.spawnError.message, ffmpeg: this.#options.ffmpegPath }, 'ffmpeg could not be started');
        this.#lease.problem('ffmpeg-missing');
      } else {
        this.#logger.error({ code: exit.code, signal: exit.signal, recent: exit.recentLines }, 'ffmpeg exited while the encoder was publishing');
        if (!exit.stopped && !problemReported) this.#lease.problem('ffmpeg-crashed');
      }
      const delay = backoffDelay(this.#options.backoff, this.#attempt);
      this.#attempt = nextAttempt(this.#options.backoff, this.#attempt, exit.ranMs);
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        // Starts again at the next keyframe (see tag()).
      }, delay);
    });
  }

  /** The publisher stopped (or its connection ended): ffmpeg finishes the last segment. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    if (this.#packager) void this.#packager.packager.stop();
    else this.#finish();
  }

  #finish(): void {
    this.#lease.release();
    this.#resolveDone();
  }
}
