// HTTP for the media path: encoder settings and key rotation (staff), ingest status (public),
// and the HLS files — live playlists with short caching (gzip-compressed for clients that
// accept it: a player reloads them every second; segments are compressed media already),
// segments immutable, both open to other origins so the council's website can embed the player.
import { gzipSync } from 'node:zlib';
import { auditOf } from '../ops/auditRoutes.ts';
import { Router, type Request, type Response } from 'express';
import { requireRole } from '../http/auth.ts';
import { refuse } from '../http/errors.ts';
import { INIT_FILE, SEGMENT_FILE } from './ffmpegArgs.ts';
import type { MediaService } from './MediaService.ts';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/** Headers every HLS response carries: any origin may fetch, and (for Safari's native player) embed. */
function openToEmbedding(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

function sendPlaylist(req: Request, res: Response, text: string, cacheControl: string): void {
  openToEmbedding(res);
  res.setHeader('Content-Type', PLAYLIST_TYPE);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return void res.send(text);
  // A live playlist is a few hundred bytes to a few kilobytes: compressing it takes microseconds.
  res.setHeader('Content-Encoding', 'gzip');
  res.send(gzipSync(text));
}

function sendMedia(res: Response, path: string, file: string): void {
  openToEmbedding(res);
  res.sendFile(
    path,
    {
      // Applied only when the file is sent: a 404 must not be cached forever.
      headers: {
        'Content-Type': file === INIT_FILE ? 'video/mp4' : 'video/iso.segment',
        // Segment and init names never repeat (run ids are unique), so caches may keep them.
        'Cache-Control': 'public, max-age=31536000, immutable',
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
    req.log.info({ room: req.params.room, by: req.principal!.name }, 'stream key rotated');
    auditOf(req).record('stream-key.rotated', req.principal!.name, req.params.room);
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

  router.get('/hls/:room/index.m3u8', (req, res) => {
    const text = media.livePlaylist(req.params.room);
    if (text === null) {
      openToEmbedding(res);
      res.setHeader('Cache-Control', 'no-cache');
      return refuse(res, 'not-found', { what: 'live stream', id: req.params.room });
    }
    sendPlaylist(req, res, text, 'public, max-age=1');
  });

  router.get('/hls/:room/:run/:file', (req, res) => {
    const { room, run, file } = req.params;
    const path = mediaName(file) ? media.liveFile(room, run, file) : null;
    if (!path) return refuse(res, 'not-found', { what: 'segment', id: `${room}/${run}/${file}` });
    sendMedia(res, path, file);
  });

  router.get('/recordings/:sittingId/index.m3u8', (req, res) => {
    const playlist = media.recordingPlaylist(req.params.sittingId);
    if (!playlist) return refuse(res, 'not-found', { what: 'recording', id: req.params.sittingId });
    sendPlaylist(req, res, playlist.text, playlist.complete ? 'public, max-age=60' : 'public, max-age=1');
  });

  router.get('/recordings/:sittingId/:run/:file', (req, res) => {
    const { sittingId, run, file } = req.params;
    const path = mediaName(file) ? media.recordingFile(sittingId, run, file) : null;
    if (!path) return refuse(res, 'not-found', { what: 'recording file', id: `${sittingId}/${run}/${file}` });
    sendMedia(res, path, file);
  });

  return router;
}
