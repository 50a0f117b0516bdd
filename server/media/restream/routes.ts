// HTTP for restream destinations: staff read a room's destinations (keys never included, only
// a hint), admins create, replace and delete them. Bad input is a 400 naming the field.
import { auditOf } from '../../ops/auditRoutes.ts';
import { Router } from 'express';
import { Id } from '../../../protocol/model.ts';
import { DestinationInput } from '../../../protocol/restream.ts';
import { requireRole, signedIn } from '../../http/auth.ts';
import { refuse, zodIssues } from '../../http/errors.ts';
import type { RestreamService } from './RestreamService.ts';

export function restreamRoutes(restream: RestreamService): Router {
  const router = Router();
  const staff = requireRole('clerk');
  const admin = requireRole('admin');
  // Reads for staff, writes for admins.
  router.use('/api/rooms/:room/destinations', (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? staff : admin)(req, res, next));
  router.use('/api/rooms/:room/destinations', (_req, res, next) => {
    // Status changes by the second, and the answer is for staff only.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/rooms/:room/destinations', (req, res) => {
    const list = restream.list(req.params.room);
    if (!list) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    res.json(list);
  });

  router.put('/api/rooms/:room/destinations/:id', (req, res) => {
    const id = Id.safeParse(req.params.id);
    if (!id.success) return refuse(res, 'invalid', undefined, zodIssues(id.error).map((i) => ({ ...i, path: ['id', ...i.path] })));
    const parsed = DestinationInput.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const result = restream.put(req.params.room, id.data, parsed.data, signedIn(req).name);
    if (!result.ok) return refuse(res, 'invalid', { field: result.field }, [{ path: [result.field], message: result.issue }]);
    auditOf(req).record('destination.saved', signedIn(req).name, `${req.params.room}/${id.data}`, {
      kind: parsed.data.kind,
      enabled: parsed.data.enabled,
      created: result.created,
      // Whether a new credential was given, never the credential itself.
      replacedCredential: parsed.data.key !== undefined,
    });
    res.status(result.created ? 201 : 200).json({ ok: true, destination: result.destination });
  });

  router.delete('/api/rooms/:room/destinations/:id', (req, res) => {
    if (!restream.hasRoom(req.params.room)) return refuse(res, 'not-found', { what: 'room', id: req.params.room });
    if (!restream.delete(req.params.room, req.params.id, signedIn(req).name)) {
      return refuse(res, 'not-found', { what: 'destination', id: req.params.id });
    }
    auditOf(req).record('destination.deleted', signedIn(req).name, `${req.params.room}/${req.params.id}`);
    res.json({ ok: true });
  });

  return router;
}
