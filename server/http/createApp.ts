// The express application: security headers, request ids and logs, JSON bodies with a size
// limit, the API routes, the built pages, and one error handler that never leaks a stack.
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UserStore } from '../auth/UserStore.ts';
import type { Logger } from '../logger.ts';
import type { SittingRecord } from '../store/SittingRecord.ts';
import { authenticate } from './auth.ts';
import { refuse } from './errors.ts';
import { LoginLimiter } from './LoginLimiter.ts';
import { adminRoutes } from './routes/admin.ts';
import { commandRoutes } from './routes/commands.ts';
import { publicRoutes, type SittingViews } from './routes/public.ts';
import { sessionRoutes } from './routes/session.ts';

export interface AppDeps {
  record: SittingRecord;
  sittingView: SittingViews;
  users: UserStore;
  logger: Logger;
  bodyLimit: string;
  trustProxy: boolean;
  /** Folder of the built pages (vite build); pages are not served when it does not exist. */
  pagesDir: string;
  startedAt: Date;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(express.json({ limit: deps.bodyLimit }));
  app.use(authenticate(deps.users));

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, status: 'ready', startedAt: deps.startedAt.toISOString(), time: new Date().toISOString() });
  });
  app.use(sessionRoutes(deps.users, new LoginLimiter()));
  app.use(commandRoutes(deps.record));
  app.use(publicRoutes(deps.record, deps.sittingView));
  app.use(adminRoutes(deps.users));
  app.use('/api', (_req, res) => refuse(res, 'not-found', { what: 'route', id: _req.path }));

  if (existsSync(deps.pagesDir)) {
    app.use(express.static(deps.pagesDir, { index: false, maxAge: '1h' }));
    app.get('/', (_req, res) => res.sendFile(join(deps.pagesDir, 'client', 'index.html')));
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return refuse(res, 'payload-too-large');
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuse(res, 'invalid');
    }
    req.log.error({ err }, 'unhandled error');
    if (!res.headersSent) refuse(res, 'internal');
  });
  return app;
}
