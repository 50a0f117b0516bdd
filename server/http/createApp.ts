// The express application: security headers, request ids and logs, JSON bodies with a size
// limit, the API routes, the built pages, and one error handler that never leaks a stack.
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { UserStore } from '../auth/UserStore.ts';
import type { Logger } from '../logger.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { authenticate } from './auth.ts';
import { refuse } from './errors.ts';
import { LoginLimiter } from './LoginLimiter.ts';
import { metricsRoutes } from '../ops/metricsRoutes.ts';
import { auditRoutes } from '../ops/auditRoutes.ts';
import { readinessRoutes } from '../ops/readiness.ts';
import type { Db } from '../store/database.ts';
import type { AuditTrail } from '../ops/AuditTrail.ts';
import type { Metrics } from '../ops/metrics.ts';
import { DeviceCookies } from '../auth/deviceCookie.ts';
import { refuseForgedRequests } from './sameOrigin.ts';
import { refuseIllFormedInput, verifyUtf8 } from './wellFormedInput.ts';
import { adminRoutes } from './routes/admin.ts';
import { commandRoutes } from './routes/commands.ts';
import { publicRoutes, type SittingViews } from './routes/public.ts';
import { overlayRoutes } from './routes/overlay.ts';
import { sessionRoutes } from './routes/session.ts';
import { pageRoutes } from './pages.ts';
import { publicationRoutes } from '../publish/publicationRoutes.ts';
import { webhookRoutes } from '../publish/webhookRoutes.ts';
import type { WebhookStore } from '../publish/WebhookStore.ts';
import type { WebhookTargets } from '../publish/webhookTargets.ts';
import type { MediaService } from '../media/MediaService.ts';
import { mediaRoutes } from '../media/routes.ts';
import type { RestreamService } from '../media/restream/RestreamService.ts';
import { restreamRoutes } from '../media/restream/routes.ts';
import type { WebRtcService } from '../media/webrtc/WebRtcService.ts';
import { webrtcRoutes } from '../media/webrtc/routes.ts';
import type { InterpreterDesk } from '../media/webrtc/interpreter.ts';
import type { RoomLinks } from '../media/webrtc/interpreterLinks.ts';
import { interpreterRoutes, LinkWatchers } from '../media/webrtc/interpreterRoutes.ts';
import type { ArchiveQueries } from '../archive/ArchiveQueries.ts';
import { archiveRoutes } from '../archive/archiveRoutes.ts';

export interface AppDeps {
  record: CouncilRecord;
  sittingView: SittingViews;
  users: UserStore;
  logger: Logger;
  bodyLimit: string;
  trustProxy: boolean;
  metrics: Metrics;
  audit: AuditTrail;
  /** The database, for the readiness probe's write. */
  db: Db;
  /** Origins besides the server's own allowed to send state-changing requests (sameOrigin.ts). */
  allowedOrigins: readonly string[];
  /** The server's secret key (device cookies of the login limiter). */
  secret: Buffer;
  /** Folder of the built pages (vite build); pages are not served when it does not exist. */
  pagesDir: string;
  startedAt: Date;
  webhooks: WebhookStore;
  /** Which addresses webhooks may point at. */
  webhookTargets: WebhookTargets;
  /** The council's time zone, for times on published pages. */
  timeZone: string;
  /** Origins that may frame the published vote tables. */
  embedOrigins: string[];
  /** Ingest status, encoder settings, HLS and recordings. */
  media: MediaService;
  /** Restream destinations of each room (issue 14). */
  restream: RestreamService;
  /** WHIP and WHEP (issue 17). */
  webrtc: WebRtcService;
  /** Interpreter and preview links, the interpreter's WHIP and picture (issue 17). */
  interpreter: { links: RoomLinks; desk: InterpreterDesk };
  /** Reads of the archive's projections: deputies, search, yearly open data. */
  archive: ArchiveQueries;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.locals.audit = deps.audit;
  // No upgrade-insecure-requests: on a council's LAN the pages are served over plain http (an OBS
  // browser source at http://<server>:8080/overlay/), and upgrading their assets to https would
  // leave them blank. Behind an https proxy every URL is https already.
  // The residents' player (hls.js) feeds the video from a MediaSource (a blob: URL) and runs its
  // demuxer in a blob: worker; both are same-page objects, so they are allowed.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { upgradeInsecureRequests: null, mediaSrc: ["'self'", 'blob:'], workerSrc: ["'self'", 'blob:'] },
      },
    }),
  );
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
      // Every viewer fetches a playlist and a segment each second: not worth a log line each.
      autoLogging: { ignore: (req) => /^\/(hls|recordings)\//.test(req.url ?? '') },
    }),
  );
  app.use(refuseForgedRequests({ allowed: deps.allowedOrigins, trustProxy: deps.trustProxy }));
  app.use(express.json({ limit: deps.bodyLimit, verify: verifyUtf8 }));
  app.use(refuseIllFormedInput);
  app.use(authenticate(deps.users));

  // `read-only`: the record failed verification at start-up; every page shows the alarm.
  app.get('/api/health', (_req, res) => {
    res.json({
      ok: true,
      status: deps.record.readOnly ? 'read-only' : 'ready',
      integrity: { ok: !deps.record.readOnly, faults: deps.record.faults },
      startedAt: deps.startedAt.toISOString(),
      time: new Date().toISOString(),
    });
  });
  app.use(readinessRoutes({ db: deps.db, readOnly: () => deps.record.readOnly }));
  app.use(sessionRoutes(deps.users, new LoginLimiter(), new DeviceCookies(deps.secret)));
  app.use(commandRoutes(deps.record));
  app.use(publicRoutes(deps.record, deps.sittingView));
  app.use(overlayRoutes(deps.record, deps.sittingView, { timeZone: deps.timeZone }));
  app.use(adminRoutes(deps.users));
  app.use(publicationRoutes(deps.sittingView, { timeZone: deps.timeZone, embedOrigins: deps.embedOrigins }));
  app.use(webhookRoutes(deps.webhooks, deps.webhookTargets));
  app.use(mediaRoutes(deps.media));
  app.use(metricsRoutes(deps.metrics));
  app.use(auditRoutes());
  app.use(restreamRoutes(deps.restream));
  const watchers = new LinkWatchers(deps.interpreter.links, deps.webrtc);
  app.use(interpreterRoutes({ ...deps.interpreter, webrtc: deps.webrtc, watchers, roomName: (room) => deps.record.registry.rooms.get(room)?.name }));
  app.use(webrtcRoutes(deps.webrtc, watchers));
  app.use(archiveRoutes({ record: deps.record, queries: deps.archive, views: deps.sittingView, timeZone: deps.timeZone }));
  app.use('/api', (_req, res) => refuse(res, 'not-found', { what: 'route', id: _req.path }));

  app.use(pageRoutes(deps.pagesDir));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // What body-parser and the router put on their errors.
    const type = typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' ? err.type : undefined;
    const status = typeof err === 'object' && err !== null && 'status' in err ? err.status : undefined;
    if (type === 'entity.too.large') return refuse(res, 'payload-too-large');
    const invalid = ['entity.parse.failed', 'entity.verify.failed', 'encoding.unsupported', 'charset.unsupported'];
    if (type !== undefined && invalid.includes(type)) return refuse(res, 'invalid');
    // The router's own client errors, e.g. a malformed %-escape in a path parameter.
    if (status === 400) return refuse(res, 'invalid');
    req.log.error({ err }, 'unhandled error');
    if (!res.headersSent) refuse(res, 'internal');
  });
  return app;
}
