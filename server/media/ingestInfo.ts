// What an encoder operator types in: the RTMP server and key, the SRT URL, and the recommended
// encoder settings (H.264, a keyframe every second, no B-frames, AAC audio).
import type { EncoderSettings, IngestInfo } from '../../protocol/media.ts';

export const RTMP_APP = 'live';

export const ENCODER_SETTINGS: EncoderSettings = {
  video: {
    codec: 'H.264',
    profile: 'high',
    keyframeIntervalSeconds: 1,
    bFrames: 0,
    rateControl: 'CBR',
    resolution: '1920x1080',
    frameRate: 25,
    bitrateKbps: 4500,
  },
  audio: { codec: 'AAC-LC', sampleRateHz: 48000, channels: 2, bitrateKbps: 128 },
};

/** IPv6 literals need brackets in URLs. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function ingestInfo(options: {
  room: string;
  host: string;
  rtmpPort: number;
  key: string;
  srtPort: number | null;
}): IngestInfo {
  const host = urlHost(options.host);
  const server = `rtmp://${host}:${options.rtmpPort}/${RTMP_APP}`;
  const key = options.key;
  return {
    room: options.room,
    rtmp: { server, key, url: `${server}/${key}` },
    srt:
      options.srtPort === null
        ? null
        : {
            url: `srt://${host}:${options.srtPort}?streamid=${key}&passphrase=${key}`,
            port: options.srtPort,
            streamid: key,
            passphrase: key,
          },
    settings: ENCODER_SETTINGS,
  };
}
