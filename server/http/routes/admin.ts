// Administration (admin role only): clerk accounts and bearer API tokens for integrations
// such as an electronic voting system. Tokens are shown once, at creation.
import { Router } from 'express';
import { z } from 'zod';
import type { UserStore } from '../../auth/UserStore.ts';
import { requireRole, signedIn } from '../auth.ts';
import { refuse, zodIssues } from '../errors.ts';
import { auditOf } from '../../ops/auditRoutes.ts';

const Role = z.enum(['admin', 'clerk']);
const Username = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.@-]+$/);
const Password = z.string().min(8).max(256);
const NewUser = z.object({ username: Username, password: Password, role: Role.default('clerk') });
const NewPassword = z.object({ password: Password });
const NewToken = z.object({ name: z.string().trim().min(1).max(100), role: Role.default('clerk') });

export function adminRoutes(users: UserStore): Router {
  const router = Router();
  router.use(['/api/users', '/api/tokens'], requireRole('admin'));

  router.get('/api/users', (_req, res) => {
    res.json({ users: users.listUsers() });
  });

  router.post('/api/users', async (req, res) => {
    const parsed = NewUser.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const { username, password, role } = parsed.data;
    if (!(await users.createUser(username, password, role, new Date()))) return refuse(res, 'duplicate-id', { id: username });
    req.log.info({ username, role }, 'user created');
    auditOf(req).record('user.created', signedIn(req).name, username, { role });
    res.status(201).json({ ok: true, user: { username, role } });
  });

  router.put('/api/users/:username/password', async (req, res) => {
    const parsed = NewPassword.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    if (!(await users.setPassword(req.params.username, parsed.data.password))) {
      return refuse(res, 'not-found', { what: 'user', id: req.params.username });
    }
    auditOf(req).record('user.password-reset', signedIn(req).name, req.params.username);
    res.json({ ok: true });
  });

  router.delete('/api/users/:username', (req, res) => {
    if (req.params.username === signedIn(req).name) return refuse(res, 'forbidden');
    if (!users.deleteUser(req.params.username)) return refuse(res, 'not-found', { what: 'user', id: req.params.username });
    auditOf(req).record('user.deleted', signedIn(req).name, req.params.username);
    res.json({ ok: true });
  });

  router.get('/api/tokens', (_req, res) => {
    res.json({ tokens: users.listTokens() });
  });

  router.post('/api/tokens', (req, res) => {
    const parsed = NewToken.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const { token, info } = users.createToken(parsed.data.name, parsed.data.role, signedIn(req).name, new Date());
    req.log.info({ tokenId: info.id, name: info.name }, 'API token created');
    auditOf(req).record('token.issued', signedIn(req).name, info.id, { name: info.name, role: info.role });
    res.status(201).json({ ok: true, token, info });
  });

  router.delete('/api/tokens/:id', (req, res) => {
    if (!users.revokeToken(req.params.id, new Date())) return refuse(res, 'not-found', { what: 'token', id: req.params.id });
    auditOf(req).record('token.revoked', signedIn(req).name, req.params.id);
    res.json({ ok: true });
  });

  return router;
}
