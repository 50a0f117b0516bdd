// POST /api/commands: one command per request, validated against the shared union, executed
// on the record and answered with {ok, seq, events} or {ok:false, error}.
import { Router } from 'express';
import { Command } from '../../../protocol/commands.ts';
import type { CouncilRecord } from '../../store/CouncilRecord.ts';
import { requireRole, signedIn } from '../auth.ts';
import { httpStatus, refuse, zodIssues } from '../errors.ts';

export function commandRoutes(record: CouncilRecord): Router {
  const router = Router();
  router.post('/api/commands', requireRole('clerk'), (req, res) => {
    const parsed = Command.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const command = parsed.data;
    const answer = record.execute(command, { actor: signedIn(req).name, at: new Date().toISOString() });
    req.log.info(
      { command: command.type, commandId: command.commandId, ok: answer.ok, ...(answer.ok ? { seq: answer.seq } : { code: answer.error.code }) },
      'command',
    );
    res.status(answer.ok ? 200 : httpStatus(answer.error.code)).json(answer);
  });
  return router;
}
