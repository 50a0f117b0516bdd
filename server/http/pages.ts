// The built pages (vite build → dist/) and the URLs they answer: one table, so every page
// entry in vite.config.ts has exactly one place here. HTML is never cached (a new release
// shows at once); hashed assets are immutable.
import express, { Router, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * URL patterns (express 5 syntax) → the built HTML file under dist/; `frameable`: may be shown
 * in an iframe on any website (the embeddable player).
 */
export const PAGES: { paths: string[]; file: string; frameable?: boolean }[] = [
  { paths: ['/'], file: 'client/index.html' },
  { paths: ['/overlay', '/overlay/'], file: 'overlay/index.html' },
  { paths: ['/console', '/console/{*rest}'], file: 'client/console/index.html' },
  { paths: ['/live/:room', '/sittings/:id'], file: 'client/watch/index.html' },
  { paths: ['/embed/:room', '/embed/sittings/:id'], file: 'client/embed/index.html', frameable: true },
  { paths: ['/interpret/:token'], file: 'client/interpret/index.html' },
];

/**
 * Helmet forbids framing by other sites (CSP frame-ancestors 'self', X-Frame-Options
 * SAMEORIGIN); the embeddable player is meant for the council's own website, so for it alone
 * any ancestor is allowed and X-Frame-Options is dropped. The rest of the CSP stays as it is.
 */
function allowFraming(res: Response): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string') res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  res.removeHeader('X-Frame-Options');
}

export function pageRoutes(pagesDir: string): Router {
  const router = Router();
  if (!existsSync(pagesDir)) return router;
  router.use('/assets', express.static(join(pagesDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  for (const page of PAGES) {
    const file = join(pagesDir, page.file);
    router.get(page.paths, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      if (page.frameable) allowFraming(res);
      res.sendFile(file);
    });
  }
  return router;
}
