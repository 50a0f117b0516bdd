// GET /metrics in Prometheus' text format: on the main port for admins (session or admin token),
// never for anonymous requests; and, when RADACAST_METRICS_PORT is set, on a port of its own
// bound to 127.0.0.1 without login, for a local Prometheus agent.
import { createServer, type Server } from 'node:http';
import { Router } from 'express';
import { requireRole } from '../http/auth.ts';
import type { Metrics } from './metrics.ts';

export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', requireRole('admin'), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.text());
  });
  return router;
}

/** The loopback-only metrics listener; resolves once it listens. */
export async function serveMetricsLocally(metrics: Metrics, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
