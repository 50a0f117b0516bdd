// WHIP and WHEP from the browser: one offer/answer over HTTP (the server is ICE-lite, so no
// candidates need trickling), the session URL kept for DELETE. WHIP authorises with the room's
// stream key; WHEP with the console login (cookie + X-Requested-With, as every console change).
import type { ErrorBody } from '../../../../protocol/errors.ts';

export interface WebRtcSession {
  pc: RTCPeerConnection;
  /** Ends the session on the server and closes the connection. */
  close(): Promise<void>;
}

export class WebRtcRefusal extends Error {
  readonly error: ErrorBody | null;
  constructor(error: ErrorBody | null, status: number) {
    super(error?.message ?? `HTTP ${status}`);
    this.error = error;
  }
}

async function negotiate(pc: RTCPeerConnection, url: string, headers: Record<string, string>): Promise<WebRtcSession> {
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', ...headers },
    body: pc.localDescription!.sdp,
    credentials: 'same-origin',
  });
  if (res.status !== 201) {
    pc.close();
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new WebRtcRefusal(body?.error ?? null, res.status);
  }
  const location = res.headers.get('location')!;
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  return {
    pc,
    async close() {
      pc.close();
      await fetch(location, { method: 'DELETE', headers, credentials: 'same-origin' }).catch(() => undefined);
    },
  };
}

/** Publishes the tracks to the room (H.264 preferred: HLS then carries the video untouched). */
export function publish(room: string, streamKey: string, tracks: MediaStreamTrack[]): Promise<WebRtcSession> {
  return publishTo(`/whip/${encodeURIComponent(room)}`, streamKey, tracks);
}

/** Publishes the tracks to a WHIP endpoint with `bearer` (a stream key; the interpreter's link). */
export async function publishTo(url: string, bearer: string, tracks: MediaStreamTrack[]): Promise<WebRtcSession> {
  const pc = new RTCPeerConnection();
  for (const track of tracks) {
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
    if (track.kind === 'video') {
      const codecs = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
      const h264 = codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''));
      if (h264.length > 0) transceiver.setCodecPreferences([...h264, ...codecs.filter((c) => !h264.includes(c))]);
    }
  }
  return negotiate(pc, url, { authorization: `Bearer ${bearer}` });
}

/**
 * Receives the room's program; `ontrack` gets the stream to show. The console's login by default;
 * the interpreter page passes its link as the Bearer token.
 */
export async function preview(room: string, onStream: (stream: MediaStream) => void, headers: Record<string, string> = { 'x-requested-with': 'radacast' }): Promise<WebRtcSession> {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const tracks: MediaStreamTrack[] = [];
  // A new stream per track: a video element given the same stream object again does not reload.
  pc.ontrack = (event) => {
    tracks.push(event.track);
    onStream(new MediaStream(tracks));
  };
  return negotiate(pc, `/whep/${encodeURIComponent(room)}`, headers);
}
