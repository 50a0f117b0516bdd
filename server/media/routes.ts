// HTTP for the media path: encoder settings and key rotation (staff), ingest status (public),
// and the HLS files — live playlists with short caching (gzip-compressed for clients that
// accept it: a player reloads them every second; segments are compressed media already),
// segments immutable, both open to other origins so the council's website can embed the player.
// Low-Latency HLS: blocking playlist reloads (`_HLS_msn`, `_HLS_part`) held until the room
// reports that part, and the parts themselves from memory; both cacheable by a reverse proxy
// (whose cache key includes the query string).
import { gzipSync } from 'node:zlib';
import { auditOf } from '../ops/auditRoutes.ts';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireRole, signedIn } from '../http/auth.ts';
import { refuse, zodIssues } from '../http/errors.ts';
import { AUDIO_INIT_FILE, AUDIO_SEGMENT_FILE, INIT_FILE, SEGMENT_FILE } from './ffmpegArgs.ts';
import { PART_FILE, type RenditionName } from './LiveRoom.ts';
import type { MediaService } from './MediaService.ts';
import { dropOldest } from '../dropOldest.ts';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/** Headers every HLS response carries: any origin may fetch, and (for Safari's native player) embed. */
function openToEmbedding(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/** The last playlists compressed: the requests a part releases all get the same text. */
const gzipped = new Map<string, Buffer>();
const GZIP_CACHE = 16;

function gzipOnce(text: string): Buffer {
  let body = gzipped.get(text);
  if (!body) {
    // A live playlist is a few hundred bytes to a few kilobytes: compressing it takes microseconds.
    body = gzipSync(text);
    gzipped.set(text, body);
    if (gzipped.size > GZIP_CACHE) dropOldest(gzipped);
  }
  return body;
}

function sendPlaylist(req: Request, res: Response, text: string, cacheControl: string): void {
  openToEmbedding(res);
  res.setHeader('Content-Type', PLAYLIST_TYPE);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return void res.send(text);
  res.setHeader('Content-Encoding', 'gzip');
  res.send(gzipOnce(text));
}

/** A part from memory; its name never repeats, so it may be cached like a segment. */
function sendPart(res: Response, part: Buffer): void {
  openToEmbedding(res);
  res.setHeader('Content-Type', 'video/iso.segment');
  res.setHeader('Cache-Control', IMMUTABLE);
  res.send(part);
}

/** The media playlists beneath a room's multivariant playlist (index.m3u8). */
const MEDIA_PLAYLIST = /^(source|audio|\d{3,4}p)\.m3u8$/;
/** The rendition names MEDIA_PLAYLIST and PART_FILE capture. */
const isRendition = (name: string): name is RenditionName => name === 'source' || name === 'audio' || /^\d{3,4}p$/.test(name);
/** A transcoded rendition's init section and segments, in the program's run folder. */
const RUNG_FILE = /^\d{3,4}p-(?:init\.mp4|seg-\d+\.m4s)$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A blocking reload's answer holds the part asked for, whenever it is read: a proxy may keep it briefly. */
const BLOCKING_CACHE = 'public, max-age=2';

const count = z.string().regex(/^\d{1,15}$/).transform(Number);
/** Delivery directives of RFC 8216bis §6.2.5; `_HLS_skip` (delta updates) is not offered and ignored. */
const blockingQuery = z
  .object({ _HLS_msn: count.optional(), _HLS_part: count.optional(), _HLS_skip: z.string().optional() })
  .refine((q) => q._HLS_part === undefined || q._HLS_msn !== undefined, { message: '_HLS_part needs _HLS_msn', path: ['_HLS_part'] });

function sendMedia(res: Response, path: string, file: string): void {
  openToEmbedding(res);
  res.sendFile(
    path,
    {
      // Applied only when the file is sent: a 404 must not be cached forever.
      headers: {
        'Content-Type': file === INIT_FILE ? 'video/mp4' : 'video/iso.segment',
        // Segment and init names never repeat (run ids are unique), so caches may keep them.
        'Cache-Control': IMMUTABLE,
      },
      cacheControl: false,
      lastModified: false,
      // The path is ours (names checked against the playlist), and the data folder may well sit
      // under a dot-folder such as ~/.local/share.
      dotfiles: 'allow',
    },
    (err) => {
      // The file slid out of the live window between the lookup and the read.
      if (err && !res.headersSent) refuse(res, 'not-found', { what: 'segment', id: file });
    },
  );
}

function mediaName(file: string): boolean {
  return file === INIT_FILE || SEGMENT_FILE.test(file);
}

/** Files of a live room: the program's, its audio rendition's and the transcoded ones'. */
function liveMediaName(file: string): boolean {
  return mediaName(file) || file === AUDIO_INIT_FILE || AUDIO_SEGMENT_FILE.test(file) || RUNG_FILE.test(file);
}

export function mediaRoutes(media: MediaService): Router {
  const router = Router();
  router.use('/api/rooms/:room/ingest', requireRole('clerk'));
  router.use('/api/rooms/:room/stream-key', requireRole('admin'));

  router.get('/api/rooms/:room/ingest', (req, res) => {
    const info = media.ingestInfo(req.params.room, req.hostname);
    if (!info) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    res.setHeader('Cache-Control', 'no-store');
    res.json(info);
  });

  router.post('/api/rooms/:room/stream-key/rotate', (req, res) => {
    const info = media.rotateKey(req.params.room, req.hostname);
    if (!info) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    req.log.info({ room: req.params.room, by: signedIn(req).name }, 'stream key rotated');
    auditOf(req).record('stream-key.rotated', signedIn(req).name, req.params.room);
    res.setHeader('Cache-Control', 'no-store');
    res.json(info);
  });

  router.get('/api/rooms/:room/status', (req, res) => {
    const status = media.status(req.params.room);
    if (!status) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    res.setHeader('Cache-Control', 'no-cache');
    res.json(status);
  });

  router.options(['/hls/*path', '/recordings/*path'], (_req, res) => {
    openToEmbedding(res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
  });

  const notLive = (res: Response, room: string) => {
    openToEmbedding(res);
    res.setHeader('Cache-Control', 'no-cache');
    refuse(res, 'not-found', { what: 'live stream', id: room });
  };

  router.get('/hls/:room/index.m3u8', (req, res) => {
    const text = media.liveRoom(req.params.room)?.multivariant() ?? null;
    if (text === null) return notLive(res, req.params.room);
    sendPlaylist(req, res, text, 'public, max-age=1');
  });

  router.get('/hls/:room/:playlist', async (req, res, next) => {
    const rendition = MEDIA_PLAYLIST.exec(req.params.playlist)?.[1];
    if (!rendition || !isRendition(rendition)) return next();
    const room = media.liveRoom(req.params.room);
    if (!room) return notLive(res, req.params.room);
    const query = blockingQuery.safeParse(req.query);
    if (!query.success) {
      openToEmbedding(res);
      return refuse(res, 'invalid', undefined, zodIssues(query.error));
    }
    const msn = query.data._HLS_msn;
    let cacheControl = 'public, max-age=1';
    if (msn !== undefined) {
      const answer = room.blockFor(msn, query.data._HLS_part ?? null, room.blockingTimeoutMs, rendition);
      if (answer === 'too-far') {
        openToEmbedding(res);
        res.setHeader('Cache-Control', 'no-cache');
        return refuse(res, 'invalid', undefined, [{ path: ['_HLS_msn'], message: 'further ahead than the live playlist will be within two segments or three parts' }]);
      }
      // Timed out (no picture for three target durations): the playlist as it is, not to be cached.
      cacheControl = answer === 'ready' || (await answer) ? BLOCKING_CACHE : 'no-cache';
    }
    const text = room.playlist(rendition);
    if (text === null) return notLive(res, req.params.room);
    sendPlaylist(req, res, text, cacheControl);
  });

  router.get('/hls/:room/:run/:file', async (req, res) => {
    const { room, run, file } = req.params;
    const live = media.liveRoom(room);
    const part = live && PART_FILE.exec(file);
    const rendition = part?.[1] ?? 'source';
    if (live && part && isRendition(rendition)) {
      // The preload hint names the next part before it exists: the request waits for it.
      const answer = live.blockFor(Number(part[2]), Number(part[3]), live.blockingTimeoutMs, rendition);
      if (answer !== 'too-far' && answer !== 'ready') await answer;
      const found = live.part(run, file);
      if (!found) return refuse(res, 'not-found', { what: 'part', id: `${room}/${run}/${file}` });
      return sendPart(res, found);
    }
    const path = liveMediaName(file) ? media.liveFile(room, run, file) : null;
    if (!path) return refuse(res, 'not-found', { what: 'segment', id: `${room}/${run}/${file}` });
    sendMedia(res, path, file);
  });

  const recordingPlaylist = (rendition: 'source' | 'audio') => (req: Request<{ sittingId: string }>, res: Response) => {
    const playlist = media.recordingPlaylist(req.params.sittingId, rendition);
    if (!playlist) return refuse(res, 'not-found', { what: 'recording', id: req.params.sittingId });
    sendPlaylist(req, res, playlist.text, playlist.complete ? 'public, max-age=60' : 'public, max-age=1');
  };
  router.get('/recordings/:sittingId/index.m3u8', recordingPlaylist('source'));
  // The audio alone, a light download of the sitting.
  router.get('/recordings/:sittingId/audio.m3u8', recordingPlaylist('audio'));

  router.get('/recordings/:sittingId/:run/:file', (req, res) => {
    const { sittingId, run, file } = req.params;
    const path = media.recordingFile(sittingId, run, file);
    if (!path) return refuse(res, 'not-found', { what: 'recording file', id: `${sittingId}/${run}/${file}` });
    sendMedia(res, path, file);
  });

  return router;
}
