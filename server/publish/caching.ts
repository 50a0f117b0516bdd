// How long nginx, a CDN or a browser may serve a published table before asking radacast again
// (docs/scaling.md, "Published tables"). Their URLs name a sitting, not a version: the content
// changes with every vote while the sitting is live, and rarely after (a correction). So they
// are cached briefly and then revalidated by an ETag made from the sitting's view before
// anything is rendered: a 304 costs no rendering of a table, a spreadsheet or a document, and a
// crowd opening a decisive vote's table costs radacast about one answer per few seconds.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SittingView } from '../../protocol/views.ts';

/** While a sitting is live its tables change with each vote: kept this long (seconds). */
export const LIVE_TABLE_MAX_AGE_S = 5;
/** Any other sitting's tables (scheduled, closed; corrected rarely), and the yearly datasets. */
export const SETTLED_TABLE_MAX_AGE_S = 60;

/** Differs with each start, so a new release (which may render differently) never answers 304 for an old body. */
const STARTED = Date.now().toString(36);

export function cacheFor(res: Response, live: boolean): void {
  res.setHeader('Cache-Control', `public, max-age=${live ? LIVE_TABLE_MAX_AGE_S : SETTLED_TABLE_MAX_AGE_S}`);
}

/**
 * Sets the caching headers of one rendering (`variant`: the file and its language) of a
 * sitting's publication; true when the client's copy is still current (answer 304 at once).
 */
export function cachePublished(req: Request, res: Response, sitting: SittingView, variant: string): boolean {
  cacheFor(res, sitting.status === 'live');
  const digest = createHash('sha256').update(JSON.stringify(sitting)).digest('base64url').slice(0, 22);
  res.setHeader('ETag', `"${digest}-${STARTED}-${variant}"`);
  return req.fresh;
}
