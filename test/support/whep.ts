// A WHEP viewer in Chromium, as the console's preview or the interpreter's page: the page makes
// the offer (receive-only video and audio, with the RTCConfiguration given — TURN servers, a
// relay-only policy), the test posts it with the viewer's credentials and hands the answer back.
// What it received is read from the page's own WebRTC statistics.
import type { Page } from 'playwright-core';

export interface WhepViewer {
  /** The session URL (Location), for DELETE. */
  location: string;
  /** The answer's Link headers (ICE servers, RFC 9725 §4.6). */
  links: string[];
  /** Resolves once this many video frames were decoded and audio was decoded. */
  plays(frames: number, timeoutMs?: number): Promise<WhepStats>;
  stats(): Promise<WhepStats>;
  /** Closes the peer connection and DELETEs the session. */
  close(): Promise<void>;
}

export interface WhepStats {
  framesDecoded: number;
  /** The width of the picture the page's video element shows. */
  frameWidth: number;
  /** Audio samples decoded from what arrived (not concealment of a loss). */
  audioSamples: number;
  /** Candidate types of the selected pair, e.g. "relay" when the media went through TURN. */
  localCandidate: string | null;
  remoteCandidate: string | null;
  connection: string;
}

export class WhepRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`WHEP refused [status:${status}] ${body}`);
  }
}

declare global {
  interface Window {
    whepPc?: RTCPeerConnection;
  }
}

function pageStats(page: Page): Promise<WhepStats> {
  return page.evaluate(async () => {
    const pc = window.whepPc;
    const out: WhepStats = { framesDecoded: 0, frameWidth: 0, audioSamples: 0, localCandidate: null, remoteCandidate: null, connection: pc?.connectionState ?? 'none' };
    if (!pc) return out;
    const reports = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((r: Record<string, unknown>) => reports.set(String(r.id), r));
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    for (const r of reports.values()) {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        out.framesDecoded = num(r.framesDecoded);
        out.frameWidth = document.querySelector('video')?.videoWidth ?? 0;
      }
      if (r.type === 'inbound-rtp' && r.kind === 'audio') out.audioSamples = num(r.totalSamplesReceived) - num(r.concealedSamples);
      if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated === true) {
        out.localCandidate = String(reports.get(String(r.localCandidateId))?.candidateType ?? '');
        out.remoteCandidate = String(reports.get(String(r.remoteCandidateId))?.candidateType ?? '');
      }
    }
    return out;
  });
}

/** Opens a WHEP session from `page` to `${baseUrl}/whep/${room}`; throws WhepRefused on refusal. */
export async function watchWhep(page: Page, baseUrl: string, room: string, headers: Record<string, string>, config: RTCConfiguration = {}): Promise<WhepViewer> {
  const offer = await page.evaluate(async (configuration) => {
    window.whepPc?.close();
    const pc = new RTCPeerConnection(configuration);
    window.whepPc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    // Shown in a video element, as a viewer sees it (its size is the picture's).
    const video = document.querySelector('video') ?? document.body.appendChild(document.createElement('video'));
    video.muted = true;
    const tracks: MediaStreamTrack[] = [];
    // A new stream per track, as the console does: a video element given the same stream again does not reload.
    pc.ontrack = (event) => {
      tracks.push(event.track);
      video.srcObject = new MediaStream(tracks);
      void video.play().catch(() => undefined);
    };
    await pc.setLocalDescription(await pc.createOffer());
    // Non-trickle: the offer carries every candidate (with a relay-only policy, the TURN one).
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
    }
    return pc.localDescription?.sdp ?? '';
  }, config);
  const res = await fetch(`${baseUrl}/whep/${room}`, { method: 'POST', headers: { 'content-type': 'application/sdp', ...headers }, body: offer });
  const body = await res.text();
  if (res.status !== 201) {
    await page.evaluate(() => window.whepPc?.close());
    throw new WhepRefused(res.status, body);
  }
  const location = new URL(res.headers.get('location') ?? '', baseUrl).toString();
  await page.evaluate((sdp) => window.whepPc?.setRemoteDescription({ type: 'answer', sdp }), body);
  return {
    location,
    links: res.headers.get('link')?.split(/,\s*(?=<)/) ?? [],
    stats: () => pageStats(page),
    async plays(frames, timeoutMs = 30_000) {
      // Statistics change without an event to wait for: they are read every 200 ms.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stats = await pageStats(page);
        if (stats.framesDecoded >= frames && stats.audioSamples > 0) return stats;
        if (Date.now() > deadline) throw new Error(`the WHEP viewer did not play ${frames} frames with audio: ${JSON.stringify(stats)}`);
        await page.waitForTimeout(200);
      }
    },
    async close() {
      await page.evaluate(() => window.whepPc?.close());
      await fetch(location, { method: 'DELETE', headers });
    },
  };
}
