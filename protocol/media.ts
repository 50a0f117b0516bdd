// The media path as clients see it: a room's ingest status (GET /api/rooms/:room/status and the
// clerk channel), the encoder settings (GET /api/rooms/:room/ingest) and the problems the
// server can explain to an operator, each with advice from the message catalogue.

export const MEDIA_PROBLEMS = [
  'ffmpeg-missing',
  'ffmpeg-failed',
  'ffmpeg-crashed',
  'stalled',
  'no-video',
  'unsupported-codec',
  'timestamps',
  'invalid-input',
  'disk-full',
  'port-busy',
  'srt-wrong-passphrase',
  'second-publisher',
  'long-keyframe-interval',
  'playlist-restarted',
  // renditions (issue 16)
  'renditions-behind',
] as const;
export type MediaProblemCode = (typeof MEDIA_PROBLEMS)[number];

export interface MediaProblem {
  code: MediaProblemCode;
  /** Ukrainian advice for the operator. */
  message: string;
  messages: { uk: string; en: string };
  at: string;
}

/** `whip`: WebRTC from a browser or OBS, through mediasoup (server/media/webrtc). */
export type IngestProtocol = 'rtmp' | 'srt' | 'whip';

export interface IngestStatus {
  room: string;
  state: 'offline' | 'live';
  /** When the current state began; null while the room has never been live since start-up. */
  since: string | null;
  protocol: IngestProtocol | null;
  video: { codec: string; profile: string | null; width: number; height: number; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null; channels: string | null; transcoded: boolean } | null;
  /** Seconds between keyframes: measured on the RTMP stream; over SRT, the longest recent segment. */
  keyframeInterval: number | null;
  /** Over the segments in the live window, container overhead included. */
  bitrateKbps: number | null;
  /** EXT-X-TARGETDURATION of the live playlist (fixed until the playlist restarts); null without one. */
  targetDuration: number | null;
  lastSegmentAt: string | null;
  storage: { liveBytes: number; recordingBytes: number; recordings: number };
  problem: MediaProblem | null;
}

export interface EncoderSettings {
  video: {
    codec: 'H.264';
    profile: 'high' | 'main';
    keyframeIntervalSeconds: number;
    bFrames: number;
    rateControl: 'CBR';
    resolution: string;
    frameRate: number;
    bitrateKbps: number;
  };
  audio: { codec: 'AAC-LC'; sampleRateHz: number; channels: number; bitrateKbps: number };
}

export interface IngestInfo {
  room: string;
  rtmp: { server: string; key: string; url: string };
  /** Null when no SRT port is free for this room (or SRT is off). */
  srt: { url: string; port: number; streamid: string; passphrase: string } | null;
  settings: EncoderSettings;
}
