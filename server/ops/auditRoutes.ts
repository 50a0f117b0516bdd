// GET /api/audit (admins): the audit trail, newest first, filtered by action, actor and time,
// paged with ?before=<seq>. Route modules record into it through `auditOf(req)`.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/auth.ts';
import { refuse, zodIssues } from '../http/errors.ts';
import { describeFault } from '../store/hashChain.ts';
import { AUDIT_ACTIONS, type AuditPage } from '../../protocol/audit.ts';
import type { AuditTrail } from './AuditTrail.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    audit: AuditTrail;
  }
}

/** The server's audit trail, for a route that does something an admin must be able to trace. */
export function auditOf(req: Request): AuditTrail {
  return req.app.locals.audit;
}

const Query = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function auditRoutes(): Router {
  const router = Router();
  router.get('/api/audit', requireRole('admin'), (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const trail = auditOf(req);
    const entries = trail.list(parsed.data);
    const fault = trail.verify();
    const page: AuditPage = { verified: fault === null, fault: fault && describeFault(fault), entries };
    res.json(page);
  });
  return router;
}
