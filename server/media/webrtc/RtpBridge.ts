// Hands a WebRTC publisher's media to the room's usual pipeline: mediasoup PlainTransports send
// the producers' RTP over loopback to an ffmpeg that reads them through an SDP file and writes FLV
// (H.264 copied; VP8 encoded to H.264; Opus encoded to AAC) on its stdout. Those FLV tags go to the
// same ingest as an RTMP encoder's, so HLS, recording, restream and status need nothing new.
// Browsers send a keyframe only when asked; a keyframe is requested every two seconds so the
// HLS segments have the length the packager expects.
import { createSocket } from 'node:dgram';
import { rmSync, writeFileSync } from 'node:fs';
import type { types } from 'mediasoup';
import type { Logger } from '../../logger.ts';
import type { FlvTag } from '../flv.ts';
import { FfmpegProcess, type ExitInfo } from '../FfmpegProcess.ts';
import { AAC_48K } from '../ffmpegArgs.ts';
import { FlvReader } from './FlvReader.ts';
import { isCopyableH264 } from './sdp.ts';

export const KEYFRAME_EVERY_MS = 2000;

/** An even UDP port on loopback whose odd neighbour is free too (RTP and RTCP for ffmpeg). */
async function freePortPair(): Promise<number> {
  const bind = (port: number) =>
    new Promise<ReturnType<typeof createSocket>>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve(socket));
    });
  for (let tries = 0; tries < 50; tries++) {
    const first = await bind(0);
    const port = first.address().port;
    if (port % 2 === 0 && port < 65535) {
      const second = await bind(port + 1).catch(() => null);
      if (second) {
        first.close();
        second.close();
        return port;
      }
    }
    first.close();
  }
  throw new Error('no free UDP port pair on loopback');
}

interface Leg {
  transport: types.PlainTransport;
  consumer: types.Consumer;
  port: number;
}

/** The SDP ffmpeg reads: one section per consumer, on its loopback port. */
export function bridgeSdp(legs: Array<{ kind: string; port: number; rtpParameters: types.RtpParameters }>): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=radacast whip', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const leg of legs) {
    const codec = leg.rtpParameters.codecs[0];
    if (!codec) throw new Error(`the bridge's ${leg.kind} consumer has no codec`);
    const [, name] = codec.mimeType.split('/');
    lines.push(`m=${leg.kind} ${leg.port} RTP/AVP ${codec.payloadType}`);
    lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`);
    const params = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    if (params.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${params.join(';')}`);
    lines.push('a=recvonly');
  }
  return lines.join('\n') + '\n';
}

export function bridgeArgs(sdpFile: string, video: 'copy' | 'h264'): string[] {
  const videoCodec =
    video === 'copy'
      ? ['-c:v', 'copy']
      : ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-bf', '0', '-b:v', '2500k'];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'warning',
    '-protocol_whitelist',
    'file,udp,rtp',
    // Enough to see the first keyframe (with its SPS/PPS, which browsers send in-band).
    '-analyzeduration',
    '3000000',
    '-i',
    sdpFile,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    ...videoCodec,
    ...AAC_48K,
    '-f',
    'flv',
    '-flvflags',
    'no_duration_filesize',
    'pipe:1',
  ];
}

export class RtpBridge {
  readonly #legs: Leg[];
  readonly #ffmpeg: FfmpegProcess;
  readonly #sdpFile: string;
  readonly #keyframes: NodeJS.Timeout;

  private constructor(legs: Leg[], ffmpeg: FfmpegProcess, sdpFile: string) {
    this.#legs = legs;
    this.#ffmpeg = ffmpeg;
    this.#sdpFile = sdpFile;
    const video = legs.find((l) => l.consumer.kind === 'video')?.consumer;
    this.#keyframes = setInterval(() => void video?.requestKeyFrame().catch(() => {}), KEYFRAME_EVERY_MS);
  }

  static async open(
    router: types.Router,
    producers: types.Producer[],
    options: {
      ffmpegPath: string;
      sdpFile: string;
      logger: Logger;
      /** FLV out for the room's ingest; or `args`, ffmpeg's arguments for another output (the interpreter's rendition). */
      output: { onTag: (tag: FlvTag) => void } | { args: (sdpFile: string) => string[] };
      onExit: (exit: ExitInfo) => void;
    },
  ): Promise<RtpBridge> {
    const legs: Leg[] = [];
    try {
      for (const producer of producers) {
        const port = await freePortPair();
        const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: false });
        await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
        legs.push({ transport, consumer, port });
      }
    } catch (err) {
      for (const leg of legs) leg.transport.close();
      throw err;
    }
    writeFileSync(
      options.sdpFile,
      bridgeSdp(legs.map((l) => ({ kind: l.consumer.kind, port: l.port, rtpParameters: l.consumer.rtpParameters }))),
    );
    const videoCodec = legs.find((l) => l.consumer.kind === 'video')?.consumer.rtpParameters.codecs[0];
    const output = options.output;
    const ffmpeg =
      'args' in output
        ? new FfmpegProcess(options.ffmpegPath, output.args(options.sdpFile))
        : (() => {
            const reader = new FlvReader(output.onTag);
            return new FfmpegProcess(options.ffmpegPath, bridgeArgs(options.sdpFile, videoCodec && isCopyableH264(videoCodec) ? 'copy' : 'h264'), {
              stdout: (chunk) => reader.push(chunk),
            });
          })();
    ffmpeg.on('line', (line) => options.logger.debug({ ffmpeg: line }, 'WHIP bridge'));
    ffmpeg.once('exit', options.onExit);
    const bridge = new RtpBridge(legs, ffmpeg, options.sdpFile);
    for (const leg of legs) {
      await leg.consumer.resume();
      if (leg.consumer.kind === 'video') await leg.consumer.requestKeyFrame();
    }
    return bridge;
  }

  /** ffmpeg's recent stderr, for the log when it failed. */
  get recentLines(): string[] {
    return this.#ffmpeg.recentLines;
  }

  async close(): Promise<void> {
    clearInterval(this.#keyframes);
    for (const leg of this.#legs) leg.transport.close();
    // No more RTP: ffmpeg would wait for it; SIGTERM ends it after flushing what it has.
    await this.#ffmpeg.stop();
    rmSync(this.#sdpFile, { force: true });
  }
}
