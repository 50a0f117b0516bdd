// The archive over HTTP: the public API (/api/deputies, /api/deputies/:id, /api/search), the
// residents' pages (/deputies, /deputies/:id, /search) and the yearly open data (/opendata/).
// Read-only, no login. Query strings are validated by zod; bad ones get {code, message}.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { message, type Lang } from '../../protocol/messages.ts';
import { Id } from '../../protocol/model.ts';
import { errorBody } from '../../protocol/errors.ts';
import type { SittingViews } from '../http/routes/public.ts';
import { httpStatus, refuse, zodIssues as issuesOf } from '../http/errors.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { errorPage } from '../publish/votesPage.ts';
import { type ArchiveQueries, CursorError } from './ArchiveQueries.ts';
import { DEPUTY_SORTS, deputiesPage, memberPage, searchPage, type PageContext } from './archivePages.ts';
import { DATASET_FILES, OpenDataSets } from './openDataSets.ts';
import { oneOf } from '../../protocol/oneOf.ts';
import { openDataPage } from './openDataPage.ts';
import { ftsQuery } from './searchQuery.ts';
import { REPUBLISHING_EVENTS } from './ArchiveProjector.ts';
import { cacheFor } from '../publish/caching.ts';

/** Longest search text accepted: ample for a title's words, far below anything abusive. */
export const QUERY_MAX = 200;
const PAGE_SIZE = 50;

const issue = (key: 'archive.search.empty' | 'archive.search.tooLong' | 'archive.query.date' | 'archive.query.cursor') =>
  `${message(key, 'uk', { max: QUERY_MAX })} / ${message(key, 'en', { max: QUERY_MAX })}`;
const Words = z.string().trim().min(1, issue('archive.search.empty')).max(QUERY_MAX, issue('archive.search.tooLong'));
const Day = z.iso.date(issue('archive.query.date'));
const Cursor = z.string().max(500, issue('archive.query.cursor'));
const Lang = z.enum(['uk', 'en']).default('uk');

const DeputiesQuery = z.object({ body: Id.optional(), lang: Lang });
const DeputiesPageQuery = DeputiesQuery.extend({
  name: z.string().max(100).default(''),
  sort: z.enum(DEPUTY_SORTS).default('name'),
});
const MemberQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  q: Words.optional(),
  sitting: Id.optional(),
  cursor: Cursor.optional(),
  lang: Lang,
});
/** The page's form sends empty fields for "no filter". */
const blankAsMissing = (query: Request['query']) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
const SearchQuery = z.object({ q: Words, cursor: Cursor.optional(), lang: Lang });

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface ArchiveDeps {
  record: CouncilRecord;
  queries: ArchiveQueries;
  views: SittingViews;
  timeZone: string;
}

export function archiveRoutes(deps: ArchiveDeps): Router {
  const router = Router();
  const { record, queries, views } = deps;
  const openData = new OpenDataSets(queries, views, () => record.registry, deps.timeZone);
  // Regenerated when a sitting closes or a closed one is corrected, off the command's path.
  record.on('appended', (_stream, events) => {
    if (!events.some((e) => REPUBLISHING_EVENTS.has(e.event.type))) return;
    setImmediate(() => {
      for (const g of queries.closedSittingsByYear()) openData.refresh(g.bodyId, g.year);
    });
  });

  const defaultBody = () => [...record.registry.bodies.values()].find((b) => b.kind === 'council')?.id;

  function pageContext(req: Request, lang: Lang): PageContext {
    const memo = new Map<string, Map<string, number>>();
    return {
      lang,
      timeZone: deps.timeZone,
      url: new URL(req.originalUrl, 'http://x'),
      moment(sittingId, kind, id) {
        let marks = memo.get(sittingId);
        if (!marks) {
          marks = new Map((views(sittingId)?.recording?.marks ?? []).map((m) => [`${m.kind}/${m.id}`, Math.floor(m.offset)]));
          memo.set(sittingId, marks);
        }
        return marks.get(`${kind === 'vote' ? 'vote-opened' : 'item'}/${id}`) ?? null;
      },
    };
  }

  const sendPage = (res: Response, lang: Lang, status: number, body: string) =>
    res.status(status).type('html').setHeader('Cache-Control', 'no-cache').setHeader('Content-Language', lang).send(body);
  const langOf = (req: Request): Lang => (req.query.lang === 'en' ? 'en' : 'uk');
  const failPage = (req: Request, res: Response, code: 'invalid' | 'not-found', context?: Record<string, string>) =>
    sendPage(res, langOf(req), httpStatus(code), errorPage(errorBody(code, context), langOf(req)));

  function memberData(memberId: string, q: z.infer<typeof MemberQuery>) {
    const member = queries.member(record.registry, memberId);
    if (!member) return undefined;
    const stats = member.bodies.flatMap((b) => queries.deputies(record.registry, b)?.filter((d) => d.id === memberId) ?? []);
    const votes = queries.memberVotes(memberId, {
      from: q.from,
      to: q.to && dayAfter(q.to),
      sittingId: q.sitting,
      match: q.q === undefined ? null : ftsQuery(q.q),
      cursor: q.cursor,
      limit: PAGE_SIZE,
    });
    return { member, stats: stats[0] ?? null, votes };
  }

  // ---- public API ----

  router.get('/api/deputies', (req, res) => {
    const q = DeputiesQuery.safeParse(req.query);
    if (!q.success) return refuse(res, 'invalid', undefined, issuesOf(q.error));
    const bodyId = q.data.body ?? defaultBody() ?? '';
    const deputies = queries.deputies(record.registry, bodyId);
    if (!deputies) return refuse(res, 'not-found', { what: 'body', id: bodyId });
    res.json(deputies);
  });

  router.get('/api/deputies/:id', (req, res) => {
    const q = MemberQuery.safeParse(req.query);
    if (!q.success) return refuse(res, 'invalid', undefined, issuesOf(q.error));
    try {
      const data = memberData(req.params.id, q.data);
      if (!data) return refuse(res, 'not-found', { what: 'member', id: req.params.id });
      const { member, stats, votes } = data;
      res.json({ ...member, attendance: stats?.attendance ?? null, totals: stats?.votes ?? null, withFactionMajority: stats?.withFactionMajority ?? null, sittings: queries.memberSittings(member.id), votes: votes.items, nextCursor: votes.nextCursor });
    } catch (err) {
      if (err instanceof CursorError) return refuse(res, 'invalid', undefined, [{ path: ['cursor'], message: issue('archive.query.cursor') }]);
      throw err;
    }
  });

  router.get('/api/search', (req, res) => {
    const q = SearchQuery.safeParse(req.query);
    if (!q.success) return refuse(res, 'invalid', undefined, issuesOf(q.error));
    const match = ftsQuery(q.data.q);
    if (match === null) return refuse(res, 'invalid', undefined, [{ path: ['q'], message: issue('archive.search.empty') }]);
    try {
      const page = queries.search(match, q.data.cursor, PAGE_SIZE);
      res.json({ q: q.data.q, items: page.items, nextCursor: page.nextCursor });
    } catch (err) {
      if (err instanceof CursorError) return refuse(res, 'invalid', undefined, [{ path: ['cursor'], message: issue('archive.query.cursor') }]);
      throw err;
    }
  });

  // ---- residents' pages ----

  router.get('/deputies', (req, res) => {
    const q = DeputiesPageQuery.safeParse(blankAsMissing(req.query));
    if (!q.success) return failPage(req, res, 'invalid');
    const bodyId = q.data.body ?? defaultBody() ?? '';
    const body = record.registry.bodies.get(bodyId);
    const deputies = queries.deputies(record.registry, bodyId);
    if (!body || !deputies) return failPage(req, res, 'not-found', { what: 'body', id: bodyId });
    const bodies = [...record.registry.bodies.values()].map((b) => ({ id: b.id, name: b.name }));
    const data = { bodies, bodyId, bodyName: body.name, closedSittings: queries.closedSittings(bodyId), name: q.data.name, sort: q.data.sort, deputies };
    sendPage(res, q.data.lang, 200, deputiesPage(data, pageContext(req, q.data.lang)));
  });

  router.get('/deputies/:id', (req, res) => {
    const q = MemberQuery.safeParse(blankAsMissing(req.query));
    if (!q.success) return failPage(req, res, 'invalid');
    let data;
    try {
      data = memberData(req.params.id, q.data);
    } catch (err) {
      if (err instanceof CursorError) return failPage(req, res, 'invalid');
      throw err;
    }
    if (!data) return failPage(req, res, 'not-found', { what: 'member', id: req.params.id });
    const filter = { from: q.data.from ?? '', to: q.data.to ?? '', q: q.data.q ?? '', sitting: q.data.sitting ?? '' };
    const body = memberPage({ ...data, filter, sittings: queries.memberSittings(req.params.id) }, pageContext(req, q.data.lang));
    sendPage(res, q.data.lang, 200, body);
  });

  router.get('/search', (req, res) => {
    const lang = langOf(req);
    const ctx = pageContext(req, lang);
    if (req.query.q === undefined) return sendPage(res, lang, 200, searchPage({ q: '', error: null, hits: null }, ctx));
    const q = SearchQuery.safeParse(req.query);
    const text = typeof req.query.q === 'string' ? req.query.q.slice(0, QUERY_MAX) : '';
    const match = q.success ? ftsQuery(q.data.q) : null;
    if (!q.success || match === null) {
      const tooLong = typeof req.query.q === 'string' && req.query.q.trim().length > QUERY_MAX;
      const error = message(tooLong ? 'archive.search.tooLong' : 'archive.search.empty', lang, { max: QUERY_MAX });
      return sendPage(res, lang, 400, searchPage({ q: text, error, hits: null }, ctx));
    }
    let hits;
    try {
      hits = queries.search(match, q.data.cursor, PAGE_SIZE);
    } catch (err) {
      if (err instanceof CursorError) return failPage(req, res, 'invalid');
      throw err;
    }
    sendPage(res, lang, 200, searchPage({ q: q.data.q, error: null, hits }, ctx));
  });

  // ---- open data ----

  router.get('/opendata/', (req, res) => {
    const lang = langOf(req);
    sendPage(res, lang, 200, openDataPage(openData.entries(), pageContext(req, lang)));
  });

  router.get('/opendata/catalog.json', (req, res) => {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const council = record.registry.bodies.get(defaultBody() ?? '');
    res.setHeader('Access-Control-Allow-Origin', '*');
    cacheFor(res, false);
    res.json(openData.catalogue(origin, council?.name ?? 'radacast', langOf(req)));
  });

  router.get('/opendata/:body/:year/:file', (req, res) => {
    const { body, year, file } = req.params;
    if (!/^\d{4}$/.test(year) || !oneOf(DATASET_FILES, file)) {
      return refuse(res, 'not-found', { what: 'file', id: req.path });
    }
    const built = openData.file(body, year, file);
    if (!built) return refuse(res, 'not-found', { what: 'file', id: req.path });
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    cacheFor(res, false);
    res.setHeader('ETag', built.etag);
    res.setHeader('Last-Modified', new Date(built.modified).toUTCString());
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${body}-${year}-${file}"`);
    const match = req.get('if-none-match');
    const since = Date.parse(req.get('if-modified-since') ?? '');
    const unchanged = match !== undefined ? match.split(/\s*,\s*/).includes(built.etag) : since >= Math.floor(Date.parse(built.modified) / 1000) * 1000;
    if (unchanged) return res.status(304).end();
    const gzip = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.send(gzip ? built.gzip : built.body);
  });

  return router;
}

