// A WHIP publisher in Node, like OBS: werift's RTCPeerConnection sending H.264 + Opus that a
// real ffmpeg encodes from a test pattern (with the wall clock in the picture, for glass-to-glass)
// and sends as RTP to two loopback UDP sockets. Used by the WebRTC tests and bench/webrtc.ts.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { MediaStreamTrack, RTCPeerConnection, useH264, useOPUS } from 'werift';

export interface WhipPublisher {
  /** The session URL from the Location header. */
  location: string;
  connected: Promise<void>;
  /** DELETE the session and stop everything. */
  stop(): Promise<void>;
}

async function udpSocket(onPacket: (packet: Buffer) => void): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', onPacket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

/** The ffmpeg encoder: a 25 fps test pattern with the wall clock in milliseconds, and a tone. */
export function rtpEncoderArgs(videoPort: number, audioPort: number): string[] {
  const clock = "drawtext=text='%{localtime\\:%T}.%{eif\\:1000*mod(t\\,1)\\:d\\:3}':fontsize=40:fontcolor=white:box=1:boxcolor=black:x=20:y=20";
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-map',
    '0:v',
    '-vf',
    clock,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-profile:v',
    'baseline',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-bf',
    '0',
    '-x264-params',
    'repeat-headers=1',
    '-f',
    'rtp',
    '-payload_type',
    '96',
    `rtp://127.0.0.1:${videoPort}?pkt_size=1200`,
    '-map',
    '1:a',
    '-c:a',
    'libopus',
    '-ac',
    '2',
    '-b:a',
    '64k',
    '-f',
    'rtp',
    '-payload_type',
    '111',
    `rtp://127.0.0.1:${audioPort}?pkt_size=1200`,
  ];
}

/** Publishes to `${baseUrl}/whip/${room}` with `key`; throws with the status on refusal. */
export async function publishWhip(baseUrl: string, room: string, key: string): Promise<WhipPublisher> {
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
  const encoder = spawn('/usr/bin/ffmpeg', rtpEncoderArgs(videoIn.address().port, audioIn.address().port), { stdio: 'ignore' });
  const encoderExited = new Promise<void>((resolve) => encoder.once('close', () => resolve()));
  return {
    location,
    connected,
    async stop() {
      encoder.kill('SIGKILL');
      await encoderExited;
      videoIn.close();
      audioIn.close();
      await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
      await pc.close();
    },
  };
}
