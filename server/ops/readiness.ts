// Alive versus ready, for a load balancer or systemd: alive is "the process answers"; ready is
// "the record verified at start-up and the database takes a write now" (a full disk or a
// read-only record is not ready). The probe write is one row, overwritten each time.
import { Router } from 'express';
import type { Db } from '../store/database.ts';

export interface ReadinessSources {
  db: Db;
  readOnly(): boolean;
}

export function readinessRoutes({ db, readOnly }: ReadinessSources): Router {
  db.exec('CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)');
  const probe = db.prepare('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
  const router = Router();
  router.get('/api/health/live', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, status: 'alive' });
  });
  router.get('/api/health/ready', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (readOnly()) return res.status(503).json({ ok: false, status: 'read-only' });
    try {
      probe.run(new Date().toISOString());
    } catch (err) {
      return res.status(503).json({ ok: false, status: 'not-writable', reason: err instanceof Error ? err.message : String(err) });
    }
    res.json({ ok: true, status: 'ready' });
  });
  return router;
}
