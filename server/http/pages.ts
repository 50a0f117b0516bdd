// The built pages (vite build → dist/) and the URLs they answer: one table, so every page
// entry in vite.config.ts has exactly one place here. HTML is never cached (a new release
// shows at once); hashed assets are immutable.
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** URL patterns (express 5 syntax) → the built HTML file under dist/. */
export const PAGES: { paths: string[]; file: string }[] = [
  { paths: ['/'], file: 'client/index.html' },
  { paths: ['/overlay', '/overlay/'], file: 'overlay/index.html' },
  { paths: ['/console', '/console/{*rest}'], file: 'client/console/index.html' },
];

export function pageRoutes(pagesDir: string): Router {
  const router = Router();
  if (!existsSync(pagesDir)) return router;
  router.use('/assets', express.static(join(pagesDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  for (const page of PAGES) {
    const file = join(pagesDir, page.file);
    router.get(page.paths, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(file);
    });
  }
  return router;
}
