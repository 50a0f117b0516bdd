// WHIP and WHEP from the browser: one offer/answer over HTTP (the server is ICE-lite, so no
// candidates need trickling), the session URL kept for DELETE. WHIP authorises with the room's
// stream key; WHEP with the console login (cookie + X-Requested-With, as every console change).
// Before the offer, the server is asked for ICE servers (TURN with short-lived credentials, when
// configured), so a laptop on a network that lets no UDP through still connects.
import { z } from 'zod';
import { ERROR_CODES, type ErrorBody } from '../../../../protocol/errors.ts';
import { IceServersAnswer } from '../../../../protocol/webrtc.ts';

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

/** The room's ICE servers for this caller; none (host candidates only) when the server has none or cannot say. */
async function iceServers(room: string, headers: Record<string, string>): Promise<RTCIceServer[]> {
  const res = await fetch(`/api/webrtc/ice-servers/${encodeURIComponent(room)}`, { headers, credentials: 'same-origin' }).catch(() => null);
  const answer = IceServersAnswer.safeParse(res?.ok ? await res.json().catch(() => null) : null);
  return answer.success ? answer.data.iceServers : [];
}

/** A refusal's `{error}` body, read as far as the console shows it. */
const Refusal = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    messages: z.object({ uk: z.string(), en: z.string() }),
    context: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
});

async function negotiate(pc: RTCPeerConnection, url: string, headers: Record<string, string>): Promise<WebRtcSession> {
  await pc.setLocalDescription(await pc.createOffer());
  // Non-trickle: with TURN servers, the offer waits for the relay candidates.
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
  }
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', ...headers },
    body: pc.localDescription?.sdp ?? '',
    credentials: 'same-origin',
  });
  const location = res.headers.get('location');
  if (res.status !== 201 || location === null) {
    pc.close();
    const refusal = Refusal.safeParse(await res.json().catch(() => null));
    throw new WebRtcRefusal(refusal.success ? refusal.data.error : null, res.status);
  }
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
  return publishTo(room, `/whip/${encodeURIComponent(room)}`, streamKey, tracks);
}

/** Publishes the tracks to a room's WHIP endpoint with `bearer` (a stream key; the interpreter's link). */
export async function publishTo(room: string, url: string, bearer: string, tracks: MediaStreamTrack[]): Promise<WebRtcSession> {
  const auth = { authorization: `Bearer ${bearer}` };
  const pc = new RTCPeerConnection({ iceServers: await iceServers(room, auth) });
  for (const track of tracks) {
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
    if (track.kind === 'video') {
      const codecs = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
      const h264 = codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''));
      if (h264.length > 0) transceiver.setCodecPreferences([...h264, ...codecs.filter((c) => !h264.includes(c))]);
    }
  }
  return negotiate(pc, url, auth);
}

/**
 * Receives the room's program; `ontrack` gets the stream to show. The console's login by default;
 * the interpreter page passes its link as the Bearer token.
 */
export async function preview(room: string, onStream: (stream: MediaStream) => void, headers: Record<string, string> = { 'x-requested-with': 'radacast' }): Promise<WebRtcSession> {
  const pc = new RTCPeerConnection({ iceServers: await iceServers(room, headers) });
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
