// A room's program fed by RTMP or SRT, as WebRTC producers for WHEP viewers. A supervised ffmpeg
// (no shell) reads the program as the room packages it — the run's init section, then every part
// from a keyframe on, the same fragmented MP4 the LL-HLS parts are — on stdin, and sends RTP over
// loopback to mediasoup PlainTransports, where it becomes producers that viewers consume exactly
// as a WHIP publisher's. H.264 without B-frames is copied (WebRTC carries frames in decoding order
// only); anything else is encoded constrained baseline, capped in size and rate, with no
// lookahead. AAC becomes Opus. The feed ends with its run: when the program ends, a new run
// (encoder reconnect, packager restart) or ffmpeg stops; the owner (ProgramFeeds) decides when
// one is needed.
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../../logger.ts';
import { FfmpegProcess } from '../FfmpegProcess.ts';
import { cappedVideoRate } from '../ffmpegArgs.ts';
import { videoReorders } from '../fmp4.ts';
import type { PackagedInit, PackagedPart } from '../HlsPackager.ts';
import type { LiveRoom } from '../LiveRoom.ts';

/** How long a first viewer may wait for the program's next keyframe before being refused. */
export const FIRST_KEYFRAME_MS = 10_000;
/** ffmpeg not keeping up: more than this many bytes waiting on its stdin. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
const VIDEO_PT = 102;
const AUDIO_PT = 111;
/** The encoded picture's size and rate at most: a preview, not the broadcast. */
export const ENCODE_MAX_HEIGHT = 720;
export const ENCODE_KBPS = 1500;
/** H.264 profiles (profile_idc) browsers decode from WebRTC: baseline, main, high (8-bit 4:2:0). */
const COPYABLE_PROFILES = new Set(['42', '4d', '64']);

export type VideoPlan = { mode: 'copy'; profileLevelId: string } | { mode: 'encode'; profileLevelId: '42e01f' };

export interface FeedPlan {
  video: VideoPlan | null;
  audio: boolean;
}

/** What the feed does with this run's program, judged from its init section and first keyframe part. */
export function feedPlan(init: PackagedInit, keyframePart: Buffer): FeedPlan {
  const avc = /^avc1\.([0-9a-f]{6})$/i.exec(init.codecs.video ?? '');
  const profileLevelId = avc?.[1]?.toLowerCase();
  const video: VideoPlan | null =
    init.codecs.video === null
      ? null
      : profileLevelId && COPYABLE_PROFILES.has(profileLevelId.slice(0, 2)) && !videoReorders(init.data, keyframePart)
        ? { mode: 'copy', profileLevelId }
        : { mode: 'encode', profileLevelId: '42e01f' };
  return { video, audio: init.codecs.audio !== null };
}

interface RtpTarget {
  rtp: number;
  rtcp: number;
  ssrc: number;
}

const rtpOut = (target: RtpTarget, payloadType: number): string[] => [
  '-f',
  'rtp',
  '-ssrc',
  String(target.ssrc),
  '-payload_type',
  String(payloadType),
  `rtp://127.0.0.1:${target.rtp}?rtcpport=${target.rtcp}&pkt_size=1200`,
];

/** ffmpeg: fragmented MP4 on stdin → H.264 RTP (copied or encoded) and Opus RTP. */
export function feedArgs(plan: FeedPlan, video: RtpTarget | null, audio: RtpTarget | null): string[] {
  const videoOut =
    plan.video && video
      ? [
          '-map',
          '0:v:0',
          ...(plan.video.mode === 'copy'
            ? // SPS/PPS in-band before every keyframe: a WebRTC decoder gets no other copy.
              ['-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb']
            : [
                '-vf',
                `scale=-2:'min(${ENCODE_MAX_HEIGHT},ih)'`,
                '-c:v',
                'libx264',
                '-preset',
                'veryfast',
                '-tune',
                'zerolatency',
                '-profile:v',
                'baseline',
                '-pix_fmt',
                'yuv420p',
                ...cappedVideoRate(ENCODE_KBPS),
                // A keyframe each second: a viewer joining a running feed waits at most that long.
                '-force_key_frames',
                'expr:gte(t,n_forced)',
                '-x264-params',
                'repeat-headers=1',
              ]),
          ...rtpOut(video, VIDEO_PT),
        ]
      : [];
  const audioOut =
    plan.audio && audio
      ? ['-map', '0:a:0', '-c:a', 'libopus', '-b:a', '96k', '-ar', '48000', '-ac', '2', '-application', 'lowdelay', ...rtpOut(audio, AUDIO_PT)]
      : [];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'warning',
    // The input is live and its codecs are in the init section: start at once.
    '-fflags',
    'nobuffer',
    '-probesize',
    '32768',
    '-analyzeduration',
    '0',
    '-f',
    'mp4',
    '-i',
    'pipe:0',
    ...videoOut,
    ...audioOut,
  ];
}

function producerParameters(kind: types.MediaKind, plan: FeedPlan, ssrc: number): types.RtpParameters {
  const codec: types.RtpCodecParameters =
    kind === 'video'
      ? {
          mimeType: 'video/H264',
          payloadType: VIDEO_PT,
          clockRate: 90000,
          parameters: { 'packetization-mode': 1, 'profile-level-id': plan.video?.profileLevelId ?? '42e01f', 'level-asymmetry-allowed': 1 },
          rtcpFeedback: [],
        }
      : { mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] };
  return { codecs: [codec], headerExtensions: [], encodings: [{ ssrc }], rtcp: { cname: 'radacast-feed', reducedSize: false } };
}

/** The first keyframe part of the room's current run (and the parts after it), or null. */
function nextKeyframe(room: LiveRoom, timeoutMs: number): Promise<{ parts: PackagedPart[]; init: PackagedInit; stop: () => void } | null> {
  return new Promise((resolve) => {
    const parts: PackagedPart[] = [];
    let init: PackagedInit | null = null;
    const onPart = (part: PackagedPart) => {
      if (init === null) {
        if (!part.independent || !part.init) return;
        init = part.init;
        clearTimeout(timer);
        room.off('released', onReleased);
        resolve({ parts, init, stop: () => room.off('packaged', onPart) });
      }
      parts.push(part);
    };
    const onReleased = () => finish();
    const finish = () => {
      clearTimeout(timer);
      room.off('packaged', onPart);
      room.off('released', onReleased);
      resolve(null);
    };
    const timer = setTimeout(finish, timeoutMs);
    room.on('packaged', onPart);
    room.on('released', onReleased);
  });
}

export type ProgramFeedEvents = {
  ended: [];
};

export class ProgramFeed extends EventEmitter<ProgramFeedEvents> {
  readonly producers: types.Producer[];
  readonly plan: FeedPlan;
  readonly #room: LiveRoom;
  readonly #transports: types.PlainTransport[];
  readonly #ffmpeg: FfmpegProcess;
  readonly #init: PackagedInit;
  readonly #logger: Logger;
  #ended = false;
  readonly #onPart = (part: PackagedPart) => this.#write(part);
  readonly #onReleased = () => void this.close();

  private constructor(
    room: LiveRoom,
    init: PackagedInit,
    plan: FeedPlan,
    parts: { transports: types.PlainTransport[]; producers: types.Producer[]; ffmpeg: FfmpegProcess },
    logger: Logger,
  ) {
    super();
    this.#room = room;
    this.#init = init;
    this.plan = plan;
    this.#transports = parts.transports;
    this.producers = parts.producers;
    this.#ffmpeg = parts.ffmpeg;
    this.#logger = logger;
    this.#ffmpeg.once('exit', (exit) => {
      if (!exit.stopped) logger.warn({ code: exit.code, recent: this.#ffmpeg.recentLines.slice(-8) }, 'WHEP feed ffmpeg exited');
      void this.close();
    });
    this.#ffmpeg.on('line', (line) => logger.debug({ ffmpeg: line }, 'WHEP feed'));
    room.on('packaged', this.#onPart);
    room.on('released', this.#onReleased);
  }

  /** Starts at the program's next keyframe; null when the room has no program within FIRST_KEYFRAME_MS. */
  static async open(room: LiveRoom, router: types.Router, options: { ffmpegPath: string; logger: Logger; timeoutMs?: number }): Promise<ProgramFeed | null> {
    const start = await nextKeyframe(room, options.timeoutMs ?? FIRST_KEYFRAME_MS);
    if (!start) return null;
    const first = start.parts[0];
    const transports: types.PlainTransport[] = [];
    try {
      if (!first) throw new Error('no keyframe part');
      const plan = feedPlan(start.init, first.data);
      const producers: types.Producer[] = [];
      const targets: Partial<Record<types.MediaKind, RtpTarget>> = {};
      const kinds: types.MediaKind[] = [...(plan.video ? ['video' as const] : []), ...(plan.audio ? ['audio' as const] : [])];
      for (const kind of kinds) {
        const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
        transports.push(transport);
        const ssrc = randomInt(1, 2 ** 31);
        const rtcp = transport.rtcpTuple?.localPort;
        if (rtcp === undefined) throw new Error('PlainTransport without an RTCP port');
        targets[kind] = { rtp: transport.tuple.localPort, rtcp, ssrc };
        producers.push(await transport.produce({ kind, rtpParameters: producerParameters(kind, plan, ssrc) }));
      }
      const args = feedArgs(plan, targets.video ?? null, targets.audio ?? null);
      const ffmpeg = new FfmpegProcess(options.ffmpegPath, args, { stdin: true });
      const logger = options.logger.child({ room: room.id, feed: plan.video?.mode ?? 'audio' });
      logger.info({ pid: ffmpeg.pid, plan }, 'WHEP feed of the program started');
      const feed = new ProgramFeed(room, start.init, plan, { transports, producers, ffmpeg }, logger);
      start.stop();
      ffmpeg.stdin?.write(start.init.data);
      for (const part of start.parts) feed.#write(part);
      return feed;
    } catch (err) {
      start.stop();
      for (const transport of transports) transport.close();
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.#ffmpeg.pid;
  }

  get ended(): boolean {
    return this.#ended;
  }

  #write(part: PackagedPart): void {
    // A part of another run: a new program (its codecs may differ), which this feed does not carry.
    if (part.init !== this.#init) return void this.close();
    const stdin = this.#ffmpeg.stdin;
    if (!stdin) return;
    if (stdin.writableLength > MAX_PENDING_BYTES) {
      this.#logger.warn({ pending: stdin.writableLength }, 'WHEP feed is not keeping up, stopped');
      return void this.close();
    }
    stdin.write(part.data);
  }

  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#room.off('packaged', this.#onPart);
    this.#room.off('released', this.#onReleased);
    for (const transport of this.#transports) transport.close();
    this.emit('ended');
    await this.#ffmpeg.stop();
    this.#logger.info('WHEP feed of the program stopped');
  }
}
