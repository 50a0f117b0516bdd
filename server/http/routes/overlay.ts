// GET /api/rooms/:room/overlay.json: a room's on-air picture as flat fields for vMix and
// CasparCG-style data sources, from the same pure function the overlay page runs. Polled every
// second or so: no I/O, one view built, and never cached by the poller (ETag revalidation only).
import { Router } from 'express';
import { z } from 'zod';
import { LANGS } from '../../../protocol/messages.ts';
import { Id, Scene } from '../../../protocol/model.ts';
import { overlayFields } from '../../../protocol/onAirFields.ts';
import { onAirScene } from '../../../protocol/onAirScene.ts';
import { roomSitting } from '../../realtime/roomSitting.ts';
import type { CouncilRecord } from '../../store/CouncilRecord.ts';
import { refuse, zodIssues } from '../errors.ts';
import type { SittingViews } from './public.ts';

/** Unknown parameters (e.g. a poller's cache-buster) are ignored; known ones must be valid. */
const Query = z.object({
  lang: z.enum(LANGS).default('uk'),
  /** Pins one scene, as the page's `scene` option does. */
  scene: Scene.optional(),
});

export interface OverlayRouteOptions {
  /** The council's time zone, for the clock and the break's end. */
  timeZone: string;
  now?: () => Date;
}

export function overlayRoutes(record: CouncilRecord, views: SittingViews, options: OverlayRouteOptions): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());

  router.get('/api/rooms/:room/overlay.json', (req, res) => {
    const room = Id.safeParse(req.params.room);
    if (!room.success) return refuse(res, 'invalid', undefined, zodIssues(room.error));
    const query = Query.safeParse(req.query);
    if (!query.success) return refuse(res, 'invalid', undefined, zodIssues(query.error));
    const info = record.registry.rooms.get(room.data);
    if (!info) return refuse(res, 'not-found', { what: 'room', id: room.data });

    const at = now();
    const sittingId = roomSitting(record.sittings(), room.data, at);
    const view = sittingId === null ? null : (views(sittingId) ?? null);
    const picture = onAirScene(view, record.onAir(room.data), at.getTime(), query.data.scene);
    res.setHeader('Cache-Control', 'no-cache');
    res.json(
      overlayFields(picture, {
        room: room.data,
        roomName: info.name,
        sittingId: view?.id ?? null,
        sittingTitle: view?.title ?? '',
        council: view?.body.name ?? '',
        lang: query.data.lang,
        timeZone: options.timeZone,
        now: at.getTime(),
      }),
    );
  });

  return router;
}
