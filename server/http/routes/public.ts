// The public, read-only API: bodies, rooms, sittings, a sitting's public view and its
// hash-chained log (publicLog.ts). No login needed; nothing here changes the record.
import { Router } from 'express';
import type { BodyView, SittingView } from '../../../protocol/views.ts';
import type { CouncilRecord } from '../../store/CouncilRecord.ts';
import { refuse } from '../errors.ts';
import { logRoute } from './publicLog.ts';

/** Builds the public view of a sitting; the server composes it from the record and other capabilities. */
export type SittingViews = (sittingId: string) => SittingView | undefined;

export function publicRoutes(record: CouncilRecord, views: SittingViews): Router {
  const router = Router();

  router.get('/api/bodies', (_req, res) => {
    const bodies: BodyView[] = [...record.registry.bodies.values()];
    res.json({ bodies });
  });

  router.get('/api/bodies/:id', (req, res) => {
    const body = record.registry.bodies.get(req.params.id);
    if (!body) return refuse(res, 'not-found', { what: 'body', id: req.params.id });
    res.json(body);
  });

  router.get('/api/rooms', (_req, res) => {
    res.json({ rooms: [...record.registry.rooms.values()] });
  });

  router.get('/api/sittings', (req, res) => {
    const { bodyId, status, room } = req.query;
    const sittings = record
      .sittings()
      .filter((s) => (typeof bodyId !== 'string' || s.bodyId === bodyId) && (typeof status !== 'string' || s.status === status))
      .filter((s) => typeof room !== 'string' || s.room === room);
    res.json({ sittings });
  });

  router.get('/api/sittings/:id', (req, res) => {
    const view = views(req.params.id);
    if (!view) return refuse(res, 'not-found', { what: 'sitting', id: req.params.id });
    res.json(view);
  });

  router.get('/api/sittings/:id/log', (req, res) => logRoute(record, req, res));

  return router;
}
