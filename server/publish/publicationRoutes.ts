// The public publication routes: the human page /sittings/:id/votes and the machine-readable
// files under /api/sittings/:id/ (open-data CSVs and their .xlsx, Popolo JSON, the .docx for the
// minutes). Read-only, no login; the files may be fetched from other origins (they are open data).
import { Router, type Response } from 'express';
import { z } from 'zod';
import { errorBody, type ErrorCode } from '../../protocol/errors.ts';
import type { SittingViews } from '../http/routes/public.ts';
import { httpStatus, refuse } from '../http/errors.ts';
import { cachePublished } from './caching.ts';
import { minutesDocx } from './minutes.ts';
import { motionsCsv, votingsCsv } from './openData.ts';
import { motionsXlsx, votingsXlsx } from './spreadsheet.ts';
import { popoloDocument } from './popolo.ts';
import { publication, type Publication } from './publication.ts';
import { errorPage, votesPage } from './votesPage.ts';

const PageQuery = z.object({ lang: z.enum(['uk', 'en']).default('uk') });

function openData(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

function sendFile(res: Response, pub: Publication, name: string, ext: keyof typeof FILE_TYPES, body: string | Buffer): void {
  openData(res);
  res.setHeader('Content-Type', FILE_TYPES[ext]);
  res.setHeader('Content-Disposition', `attachment; filename="${pub.sitting.id}-${name}.${ext}"`);
  res.send(body);
}

/**
 * Who may show the page in a frame: the origins in RADACAST_EMBED_ORIGINS (a council's website
 * embedding its table), nobody when none is set. Replaces helmet's frame-ancestors 'self'.
 */
function frameAncestors(res: Response, origins: string[]): void {
  const csp = res.getHeader('Content-Security-Policy');
  const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
  if (typeof csp === 'string') res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`));
  // X-Frame-Options cannot name origins; browsers that know CSP ignore it when frame-ancestors is set.
  if (origins.length > 0) res.removeHeader('X-Frame-Options');
  else res.setHeader('X-Frame-Options', 'DENY');
}

export function publicationRoutes(views: SittingViews, options: { timeZone: string; embedOrigins: string[] }): Router {
  const router = Router();
  const find = (id: string): Publication | undefined => {
    const view = views(id);
    return view && publication(view);
  };

  router.get('/sittings/:id/votes', (req, res) => {
    frameAncestors(res, options.embedOrigins);
    const page = (status: number, body: string) => res.status(status).type('html').send(body);
    const fail = (code: ErrorCode, context?: Record<string, string>) => {
      const lang = req.query.lang === 'en' ? 'en' : 'uk';
      res.setHeader('Cache-Control', 'no-cache');
      page(httpStatus(code), errorPage(errorBody(code, context), lang));
    };
    const query = PageQuery.safeParse(req.query);
    if (!query.success) return fail('invalid');
    const pub = find(req.params.id);
    if (!pub) return fail('not-found', { what: 'sitting', id: req.params.id });
    res.setHeader('Content-Language', query.data.lang);
    if (cachePublished(req, res, pub.sitting, `votes.${query.data.lang}`)) return res.status(304).end();
    page(200, votesPage(pub, { lang: query.data.lang, timeZone: options.timeZone }));
  });

  /** A file of the sitting's publication; an unknown sitting answers 404 with the usual error body. */
  const file = (name: string, ext: keyof typeof FILE_TYPES, render: (pub: Publication) => string | Buffer | Promise<Buffer>) =>
    router.get(`/api/sittings/:id/${name}.${ext}`, async (req, res) => {
      const pub = find(req.params.id);
      if (!pub) return refuse(res, 'not-found', { what: 'sitting', id: req.params.id });
      if (cachePublished(req, res, pub.sitting, `${name}.${ext}`)) return res.status(304).end();
      sendFile(res, pub, name, ext, await render(pub));
    });
  const { timeZone } = options;
  file('motions', 'csv', (pub) => motionsCsv(pub, { timeZone }));
  file('votings', 'csv', (pub) => votingsCsv(pub));
  file('motions', 'xlsx', (pub) => motionsXlsx(pub, { timeZone }));
  file('votings', 'xlsx', (pub) => votingsXlsx(pub, { timeZone }));
  file('minutes', 'docx', (pub) => minutesDocx(pub, { lang: 'uk', timeZone }));

  router.get('/api/sittings/:id/votes.json', (req, res) => {
    const pub = find(req.params.id);
    if (!pub) return refuse(res, 'not-found', { what: 'sitting', id: req.params.id });
    openData(res);
    if (cachePublished(req, res, pub.sitting, 'votes.json')) return res.status(304).end();
    res.json(popoloDocument(pub, { timeZone }));
  });

  return router;
}
