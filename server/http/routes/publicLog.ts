// GET /api/sittings/:id/log — a sitting's hash chain, public. Cheap to ask again and again:
// verification is incremental (CouncilRecord.logPage), the answer is paginated
// (`?after=<seq>&limit=<n>`) and carries an ETag from the head hash, so an unchanged log is a
// 304. Staff accounts are not named in public: the actor is "clerk" for a login, "integration"
// for an API token and "system" for the server's own (demo data); admins see the names.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { LogEntry } from '../../../protocol/answers.ts';
import { sittingStream } from '../../../protocol/events.ts';
import { LOG_PAGE_MAX, type CouncilRecord } from '../../store/CouncilRecord.ts';
import { refuse, zodIssues } from '../errors.ts';

const LogQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).default(LOG_PAGE_MAX),
});

/** What the public sees of who did it: a role, not a person. */
export function publicActor(actor: string): string {
  if (actor.startsWith('token:')) return 'integration';
  return actor.startsWith('system:') ? 'system' : 'clerk';
}

export function logRoute(record: CouncilRecord, req: Request<{ id: string }>, res: Response): void {
  const { id } = req.params;
  if (!record.sittingState(id)) return refuse(res, 'not-found', { what: 'sitting', id });
  const query = LogQuery.safeParse(req.query);
  if (!query.success) return refuse(res, 'invalid', undefined, zodIssues(query.error));
  const { after, limit } = query.data;
  const stream = sittingStream(id);
  const named = req.principal?.role === 'admin';
  // The page is fixed by the head, the page bounds and whether names are shown; verification
  // of a head never changes once done, so the head hash stands for all of it.
  const head = record.head(stream);
  const etag = `"${head?.hash ?? 'empty'}-${after}-${limit}${named ? '-named' : ''}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Cookie, Authorization');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  const page = record.logPage(stream, after, limit);
  const events = named ? page.events : page.events.map((e): LogEntry => ({ ...e, actor: publicActor(e.actor) }));
  res.json({ sittingId: id, ...page, events });
}
