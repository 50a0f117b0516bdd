// Interpreter and preview links over HTTP (issue 17):
// - the console (clerks): GET/POST /api/rooms/:room/links, DELETE /api/rooms/:room/links/:id —
//   created and revoked through the audit trail like API tokens, the token shown once;
// - the interpreter page: GET /api/interpret (its token as Bearer) says which room and whether
//   there is a program; POST /whip/:room/interpreter publishes the camera (PATCH/DELETE on the
//   session as for WHIP);
// - WHEP: `LinkWatchers` lets a room's link holders watch its program besides staff, for as
//   long as their link lives;
// - residents: /interpreter/:room/index.m3u8 (live), /interpreter/:room/recording.m3u8?from&to
//   (a sitting's time, ms), and the segments.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { NewRoomLink, type InterpreterSeat, type IssuedRoomLink, type RoomLinkInfo } from '../../../protocol/roomLinks.ts';
import { requireRole, signedIn } from '../../http/auth.ts';
import { refuse, zodIssues } from '../../http/errors.ts';
import { auditOf } from '../../ops/auditRoutes.ts';
import { InterpreterBusy, type InterpreterDesk } from './interpreter.ts';
import type { RoomLinks } from './interpreterLinks.ts';
import { bearer, failed, offer, ROOM, sdpBody, sessionRoute, type WatchAccess } from './routes.ts';
import type { WebRtcService } from './WebRtcService.ts';

export interface InterpreterRouteDeps {
  links: RoomLinks;
  desk: InterpreterDesk;
  webrtc: WebRtcService;
  watchers: LinkWatchers;
  /** The room's name, or undefined for a room that does not exist. */
  roomName: (room: string) => string | undefined;
}

/** Longest stretch one request may ask for: a sitting's day. A stranger cannot ask for every run ever kept at once. */
const MAX_RANGE_MS = 24 * 3_600_000;
const RecordingRange = z
  .object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() })
  .refine((r) => r.to >= r.from && r.to - r.from <= MAX_RANGE_MS, { message: '`to` must be at most 24 hours after `from`', path: ['to'] });

/**
 * WHEP: staff (a console login or an API token), or a valid preview or interpreter link of this
 * room. A session opened with a link lives no longer than the link: revoking it, or its expiry,
 * ends the session, as it takes an interpreter off air.
 */
export class LinkWatchers implements WatchAccess {
  readonly #links: RoomLinks;
  readonly #webrtc: WebRtcService;
  /** The link each request let through came with (until its session is opened). */
  readonly #admitted = new WeakMap<Response, RoomLinkInfo>();
  /** Per link id: its WHEP sessions, and the timer that ends them at its expiry. */
  readonly #sessions = new Map<string, { ids: Set<string>; expiry: NodeJS.Timeout }>();

  constructor(links: RoomLinks, webrtc: WebRtcService) {
    this.#links = links;
    this.#webrtc = webrtc;
  }

  readonly mayWatch: RequestHandler = (req: Request, res: Response, next) => {
    if (req.principal) return next();
    const room = typeof req.params.room === 'string' ? req.params.room : '';
    const token = bearer(req);
    if (!token) return refuse(res, 'unauthorized');
    const check = this.#links.check(token, room, ['preview', 'interpreter'], new Date());
    if (!check.ok) return refuse(res, check.code, { room });
    this.#admitted.set(res, check.link);
    next();
  };

  opened(res: Response, session: string): void {
    const link = this.#admitted.get(res);
    if (!link) return;
    let held = this.#sessions.get(link.id);
    if (!held) {
      const expiry = setTimeout(() => void this.revoked(link.id), Math.max(0, Date.parse(link.expiresAt) - Date.now()));
      expiry.unref();
      held = { ids: new Set(), expiry };
      this.#sessions.set(link.id, held);
    }
    held.ids.add(session);
  }

  /** The link was revoked (or expired): its viewers' sessions end. */
  async revoked(linkId: string): Promise<void> {
    const held = this.#sessions.get(linkId);
    if (!held) return;
    this.#sessions.delete(linkId);
    clearTimeout(held.expiry);
    await Promise.all([...held.ids].map((id) => this.#webrtc.end(id)));
  }
}

const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

export function interpreterRoutes(deps: InterpreterRouteDeps): Router {
  const { links, desk, webrtc } = deps;
  const router = Router();

  router.use('/api/rooms/:room/links', requireRole('clerk'));
  router.get('/api/rooms/:room/links', (req, res) => {
    if (deps.roomName(req.params.room) === undefined) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    noStore(res);
    res.json({ links: links.active(req.params.room, new Date()) });
  });

  router.post('/api/rooms/:room/links', (req, res) => {
    const { room } = req.params;
    if (deps.roomName(room) === undefined) return refuse(res, 'not-found', { what: 'room', id: room });
    const parsed = NewRoomLink.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const { kind, hours, label } = parsed.data;
    const by = signedIn(req).name;
    const { token, info } = links.create(room, kind, label, hours, by, new Date());
    auditOf(req).record('room-link.issued', by, info.id, { room, kind, label, expiresAt: info.expiresAt });
    req.log.info({ room, kind, linkId: info.id }, 'room link issued');
    const url = kind === 'interpreter' ? `/interpret/${token}` : `/whep/${encodeURIComponent(room)}`;
    const answer: IssuedRoomLink = { ok: true, token, url, info };
    noStore(res);
    res.status(201).json(answer);
  });

  router.delete('/api/rooms/:room/links/:id', async (req, res) => {
    const { room, id } = req.params;
    if (!links.revoke(room, id, new Date())) return refuse(res, 'not-found', { what: 'link', id });
    desk.revoked(id);
    await deps.watchers.revoked(id);
    auditOf(req).record('room-link.revoked', signedIn(req).name, id, { room });
    res.json({ ok: true });
  });

  router.get('/api/interpret', (req, res) => {
    const token = bearer(req);
    if (!token) return refuse(res, 'unauthorized');
    const check = links.find(token, new Date());
    if (!check.ok) return refuse(res, check.code, { room: '' });
    if (check.link.kind !== 'interpreter') return refuse(res, 'bad-link', { room: check.link.room });
    const { room, expiresAt } = check.link;
    const seat: InterpreterSeat = { room, roomName: deps.roomName(room) ?? room, expiresAt, program: webrtc.hasProgram(room), onAir: desk.onAir(room) };
    noStore(res);
    res.json(seat);
  });

  router.post('/whip/:room/interpreter', sdpBody, async (req: Request<{ room: string }>, res: Response) => {
    const { room } = req.params;
    if (!ROOM.test(room)) return refuse(res, 'not-found', { id: room.slice(0, 64) });
    const token = bearer(req);
    if (!token) return refuse(res, 'unauthorized');
    const check = links.check(token, room, ['interpreter'], new Date());
    if (!check.ok) return refuse(res, check.code, { room });
    const sdp = offer(req, res);
    if (sdp === null) return;
    try {
      const answer = await desk.publish(room, sdp, check.link);
      req.log.info({ room, linkId: check.link.id, session: answer.session }, 'interpreter connected');
      res.setHeader('Location', `/whip/${room}/interpreter/${answer.session}`);
      res.status(201).type('application/sdp').send(answer.sdp);
    } catch (err) {
      if (err instanceof InterpreterBusy) return refuse(res, 'interpreter-busy', { room });
      failed(res, err, room);
    }
  });
  router.patch('/whip/:room/interpreter/:id', sdpBody, sessionRoute(webrtc, 'interpreter'));
  router.delete('/whip/:room/interpreter/:id', sessionRoute(webrtc, 'interpreter'));

  // Residents: the interpreter's picture, live and in a sitting's recording (of rooms that exist:
  // the room is part of a path on disk).
  router.use('/interpreter/:room', (req, res, next) => {
    if (deps.roomName(req.params.room) === undefined) return refuse(res, 'not-found', { what: 'room', id: req.params.room.slice(0, 64) });
    next();
  });
  router.get('/interpreter/:room/index.m3u8', (req, res) => {
    const playlist = desk.livePlaylist(req.params.room);
    if (playlist === null) return refuse(res, 'not-found', { what: 'interpreter', id: req.params.room });
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/vnd.apple.mpegurl').send(playlist);
  });
  router.get('/interpreter/:room/recording.m3u8', (req, res) => {
    const range = RecordingRange.safeParse(req.query);
    if (!range.success) return refuse(res, 'invalid', undefined, zodIssues(range.error));
    const playlist = desk.runs.recordingPlaylist(req.params.room, range.data.from, range.data.to);
    if (playlist === null) return refuse(res, 'not-found', { what: 'interpreter', id: req.params.room });
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/vnd.apple.mpegurl').send(playlist);
  });
  router.get('/interpreter/:room/:run/:file', (req, res) => {
    const file = desk.runs.file(req.params.room, req.params.run, req.params.file);
    if (file === null) return refuse(res, 'not-found', { what: 'segment', id: req.params.file });
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type('video/mp2t').sendFile(file);
  });
  return router;
}
