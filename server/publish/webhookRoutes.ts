// Administration of webhooks (admin role only): subscribe a URL to publication events, list
// and remove subscriptions, and read a webhook's delivery log. A generated secret is shown
// once, at creation; it is never listed.
import { randomBytes } from 'node:crypto';
import { auditOf } from '../ops/auditRoutes.ts';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole, signedIn } from '../http/auth.ts';
import { refuse, zodIssues } from '../http/errors.ts';
import { PUBLICATION_EVENTS } from './notification.ts';
import type { WebhookStore } from './WebhookStore.ts';
import { TargetRefused, type WebhookTargets } from './webhookTargets.ts';

const NewWebhook = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  secret: z.string().min(16).max(256).optional(),
  events: z
    .array(z.enum(PUBLICATION_EVENTS))
    .min(1)
    .optional()
    .transform((e) => [...new Set(e ?? PUBLICATION_EVENTS)]),
});
const LogQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export function webhookRoutes(store: WebhookStore, targets: WebhookTargets): Router {
  const router = Router();
  router.use('/api/webhooks', requireRole('admin'));

  router.get('/api/webhooks', (_req, res) => {
    res.json({ webhooks: store.list() });
  });

  router.post('/api/webhooks', async (req, res) => {
    const parsed = NewWebhook.safeParse(req.body);
    if (!parsed.success) return refuse(res, 'invalid', undefined, zodIssues(parsed.error));
    const { url, events } = parsed.data;
    try {
      await targets.check(url);
    } catch (err) {
      if (!(err instanceof TargetRefused)) throw err;
      return refuse(res, 'invalid', undefined, [{ path: ['url'], message: err.message }]);
    }
    const generated = parsed.data.secret === undefined;
    const secret = parsed.data.secret ?? randomBytes(32).toString('base64url');
    const webhook = store.create({ url, secret, events, createdBy: signedIn(req).name }, new Date());
    req.log.info({ webhookId: webhook.id, events }, 'webhook created');
    // The host only: a receiver's URL may carry its own credentials in the path or query.
    auditOf(req).record('webhook.added', signedIn(req).name, webhook.id, { host: new URL(url).host, events: events.join(',') });
    res.status(201).json({ ok: true, webhook, ...(generated ? { secret } : {}) });
  });

  router.get('/api/webhooks/:id', (req, res) => {
    const webhook = store.get(req.params.id);
    if (!webhook) return refuse(res, 'not-found', { what: 'webhook', id: req.params.id });
    res.json(webhook);
  });

  router.delete('/api/webhooks/:id', (req, res) => {
    if (!store.remove(req.params.id)) return refuse(res, 'not-found', { what: 'webhook', id: req.params.id });
    req.log.info({ webhookId: req.params.id }, 'webhook removed');
    auditOf(req).record('webhook.removed', signedIn(req).name, req.params.id);
    res.json({ ok: true });
  });

  router.get('/api/webhooks/:id/deliveries', (req, res) => {
    const query = LogQuery.safeParse(req.query);
    if (!query.success) return refuse(res, 'invalid', undefined, zodIssues(query.error));
    if (!store.get(req.params.id)) return refuse(res, 'not-found', { what: 'webhook', id: req.params.id });
    res.json({ webhookId: req.params.id, deliveries: store.deliveries(req.params.id, query.data.limit) });
  });

  return router;
}
