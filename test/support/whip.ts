// A WHIP publisher in Node, like OBS: werift's RTCPeerConnection sending H.264 + Opus that a
// real ffmpeg encodes from the glass-to-glass clock picture and a tone, and sends as RTP to two
// loopback UDP sockets. Used by the WebRTC tests and bench/webrtc.ts.
import { createSocket, type Socket } from 'node:dgram';
import { MediaStreamTrack, RTCPeerConnection, useH264, useOPUS } from 'werift';
import { clockSource, type ClockSource } from './glassToGlass.ts';

export interface WhipPublisher {
  /** The session URL from the Location header. */
  location: string;
  connected: Promise<void>;
  /** The source: its picture carries its clock (test/support/glassToGlass.ts). */
  clock: ClockSource;
  /** DELETE the session and stop everything. */
  stop(): Promise<void>;
}

async function udpSocket(onPacket: (packet: Buffer) => void): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', onPacket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

/** ffmpeg outputs for the clock source: H.264 (SPS/PPS with every keyframe) and Opus as RTP. */
export function rtpOutputs(videoPort: number, audioPort: number): string[] {
  return [
    '-profile:v', 'baseline', '-x264-params', 'repeat-headers=1',
    '-map', '0:v', '-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${videoPort}?pkt_size=1200`,
    '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-b:a', '64k',
    '-f', 'rtp', '-payload_type', '111', `rtp://127.0.0.1:${audioPort}?pkt_size=1200`,
  ]; // prettier-ignore
}

/** Publishes to `${baseUrl}/whip/${room}` with `key`; throws with the status on refusal. */
export async function publishWhip(baseUrl: string, room: string, key: string, seconds = 600): Promise<WhipPublisher> {
  const pc = new RTCPeerConnection({ codecs: { video: [useH264()], audio: [useOPUS()] } });
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  pc.addTransceiver(audio, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(`${baseUrl}/whip/${room}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` },
    body: pc.localDescription!.sdp,
  });
  if (res.status !== 201) {
    await pc.close();
    throw Object.assign(new Error(`WHIP refused [status:${res.status}] ${await res.text()}`), { status: res.status });
  }
  const location = new URL(res.headers.get('location')!, baseUrl).toString();
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  const connected = new Promise<void>((resolve) => {
    const check = () => pc.connectionState === 'connected' && resolve();
    pc.connectionStateChange.subscribe(check);
    check();
  });
  const videoIn = await udpSocket((p) => video.writeRtp(p));
  const audioIn = await udpSocket((p) => audio.writeRtp(p));
  await connected;
  const clock = clockSource(seconds, rtpOutputs(videoIn.address().port, audioIn.address().port));
  return {
    location,
    connected,
    clock,
    async stop() {
      await clock.kill();
      videoIn.close();
      audioIn.close();
      await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
      await pc.close();
    },
  };
}
