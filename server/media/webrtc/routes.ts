// WHIP (RFC 9725) and WHEP over HTTP. WHIP: POST /whip/<room> with the room's stream key as the
// Bearer token and an SDP offer → 201, Location of the session, the SDP answer; PATCH there for an
// ICE restart; DELETE ends it. WHEP: POST /whep/<room> for staff only (a console login or an API
// token): the program with well under a second of delay. Encoders send no Origin; a browser page
// must be this server's own (the console), as for every other state-changing request.
// ICE servers (TURN with short-lived credentials) go only to authorised callers: in `Link` headers
// of WHIP/WHEP answers (RFC 9725 §4.6, for OBS and other clients) and from
// GET /api/webrtc/ice-servers/<room> for staff and holders of a room credential, before an offer.
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { requireRole } from '../../http/auth.ts';
import { refuse } from '../../http/errors.ts';
import { SdpError } from './sdp.ts';
import { iceServerLinks } from './turn.ts';
import { WebRtcRefused, type SessionKind, type WebRtcService } from './WebRtcService.ts';
import { SETUP_COMMAND } from './workerBinary.ts';

const SDP = 'application/sdp';
const SDP_FRAG = 'application/trickle-ice-sdpfrag';
export const ROOM = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function failed(res: Response, err: unknown, room: string): void {
  if (err instanceof SdpError) return refuse(res, 'bad-sdp', { reason: err.message });
  if (err instanceof WebRtcRefused) {
    if (err.code === 'webrtc-unavailable' || err.code === 'unavailable') return refuse(res, 'webrtc-unavailable', { setup: SETUP_COMMAND });
    if (err.code === 'not-found') return refuse(res, 'not-found', { id: room });
    return refuse(res, err.code, { room });
  }
  throw err;
}

export function bearer(req: Request): string | null {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : null;
}

/** An SDP body, parsed as text (WHIP and WHEP requests). */
export const sdpBody: RequestHandler = express.text({ type: [SDP, SDP_FRAG], limit: '64kb' });

/** The SDP offer of a POST, or null after answering 415. */
export function offer(req: Request, res: Response): string | null {
  if (!req.is(SDP) || typeof req.body !== 'string') {
    res.status(415).type('text/plain').send(`expected ${SDP}`);
    return null;
  }
  return req.body;
}

/** TURN servers with credentials for `who`, as `Link` headers of a 201 answer. */
export function linkIceServers(webrtc: WebRtcService, res: Response, who: string): void {
  const links = iceServerLinks(webrtc.iceServers(who).iceServers);
  if (links.length > 0) res.setHeader('Link', links);
}

/** A session's resource: PATCH (ICE restart) and DELETE. */
export function sessionRoute(webrtc: WebRtcService, kind: SessionKind) {
  return async (req: Request<{ room: string; id: string }>, res: Response) => {
    const { room, id } = req.params;
    if (!webrtc.has(room, kind, id)) return refuse(res, 'not-found', { id });
    if (req.method === 'DELETE') {
      await webrtc.end(id);
      return void res.status(200).end();
    }
    if (!req.is(SDP_FRAG) || typeof req.body !== 'string') return void res.status(415).type('text/plain').send(`expected ${SDP_FRAG}`);
    try {
      const answer = await webrtc.patch(id, req.body);
      if (answer === null) return void res.status(204).end();
      res.status(200).type(SDP_FRAG).send(answer);
    } catch (err) {
      failed(res, err, room);
    }
  };
}

/** Who may open a WHEP session, and what is told of each session opened. */
export interface WatchAccess {
  mayWatch: RequestHandler;
  /** A WHEP session was opened for the request `mayWatch` let through. */
  opened(res: Response, session: string): void;
}

/** Staff only: a console login or an API token. */
const STAFF_WATCH: WatchAccess = { mayWatch: requireRole('clerk'), opened: () => undefined };

/** `access`: staff by default; with interpreter links, a room's link holders too. */
export function webrtcRoutes(webrtc: WebRtcService, access: WatchAccess = STAFF_WATCH): Router {
  const router = Router();
  const { mayWatch } = access;
  const session = (kind: SessionKind) => sessionRoute(webrtc, kind);

  router.post('/whip/:room', sdpBody, async (req: Request<{ room: string }>, res: Response) => {
    const { room } = req.params;
    if (!ROOM.test(room)) return refuse(res, 'not-found', { id: room.slice(0, 64) });
    const key = bearer(req);
    if (!key) return refuse(res, 'bad-stream-key', { room });
    const sdp = offer(req, res);
    if (sdp === null) return;
    try {
      const answer = await webrtc.publish(room, key, sdp, req.ip ?? 'unknown');
      res.setHeader('Location', `/whip/${room}/${answer.session}`);
      linkIceServers(webrtc, res, `${room}-whip`);
      res.status(201).type(SDP).send(answer.sdp);
    } catch (err) {
      failed(res, err, room);
    }
  });
  router.patch('/whip/:room/:id', sdpBody, session('whip'));
  router.delete('/whip/:room/:id', session('whip'));

  router.post('/whep/:room', mayWatch, sdpBody, async (req: Request<{ room: string }>, res: Response) => {
    const { room } = req.params;
    const sdp = offer(req, res);
    if (sdp === null) return;
    try {
      const answer = await webrtc.view(room, sdp);
      access.opened(res, answer.session);
      res.setHeader('Location', `/whep/${room}/${answer.session}`);
      linkIceServers(webrtc, res, req.principal ? `staff-${req.principal.name}` : `${room}-whep`);
      res.status(201).type(SDP).send(answer.sdp);
    } catch (err) {
      failed(res, err, room);
    }
  });
  router.patch('/whep/:room/:id', mayWatch, sdpBody, session('whep'));
  router.delete('/whep/:room/:id', mayWatch, session('whep'));

  /** TURN credentials before an offer: staff, or the bearer of a room credential (stream key, granted tokens). */
  router.get('/api/webrtc/ice-servers/:room', (req: Request<{ room: string }>, res: Response) => {
    const { room } = req.params;
    if (!ROOM.test(room)) return refuse(res, 'not-found', { id: room.slice(0, 64) });
    const key = bearer(req);
    const who = req.principal ? `staff-${req.principal.name}` : key !== null && webrtc.mayUseIce(room, key) ? `${room}-guest` : null;
    if (who === null) return refuse(res, 'unauthorized');
    res.setHeader('Cache-Control', 'no-store');
    res.json(webrtc.iceServers(who));
  });

  /** Whether the console may offer WebRTC (and why not). */
  router.get('/api/webrtc', requireRole('clerk'), (_req, res) => {
    const reason = webrtc.unavailable;
    res.json({ available: reason === null, reason, setup: SETUP_COMMAND });
  });
  return router;
}
