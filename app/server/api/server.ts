// The local HTTP + WebSocket API. Every request body and query is validated by a zod schema;
// every write is audited by the store layer; roles are clerk < supervisor < admin.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { DuplicateWorkerError } from '../../../edge-core/src/index.js';
import { ApiError } from './errors.js';
import { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerEventsRoutes } from './events-routes.js';
import { registerOrgRoutes } from './org-routes.js';
import { registerWorkerRoutes } from './worker-routes.js';
import { registerAttendanceRoutes } from './attendance-routes.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerGateRoutes } from './gate-routes.js';
import { registerLiveViewRoutes } from './live-view-routes.js';
import type { LiveView } from '../live-view.js';
import type { LivePassthrough } from '../live-passthrough.js';
import { registerCameraRoutes } from './camera-routes.js';
import { registerReportRoutes } from './report-routes.js';
import { registerSyncRoutes } from './sync-routes.js';
import { registerComplianceRoutes } from './compliance-routes.js';
import { registerCalendarRoutes } from './calendar-routes.js';
import { registerVisitorRoutes } from './visitor-routes.js';
import type { VisitorService } from '../visitor-service.js';
import type { RemoteCommandService } from '../remote-commands.js';
import { registerRemoteRoutes } from './remote-routes.js';
import { registerDemoRoutes } from './demo-routes.js';
import { registerSetupRoutes } from './setup-routes.js';
import { registerWorkerDetailRoutes } from './worker-detail-routes.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import type { SyncService } from '../sync-service.js';
import type { DevicesService } from '../devices-service.js';
import type { GateService } from '../gate-service.js';
import { scrubString } from '../redact.js';
import { storeFailure } from '../store-failures.js';
import { RateLimiter } from './rate-limit.js';
import { SECURITY_HEADERS, defaultRouteAccess, guardRequest, isLoopback, isUpgrade, routeAccess, sourceOf, type HostPolicy } from './request-guard.js';

export interface ApiServerOptions {
  services: CoreServices;
  devices: DevicesService;
  gate: GateService;
  sync: SyncService;
  /** Live view of the lanes' own cameras (absent: no live video routes). */
  live?: LiveView;
  /** H.264/H.265 pass-through of the lanes' network cameras (fMP4 over WebSocket). */
  passthrough?: LivePassthrough;
  visitors: VisitorService;
  remote: RemoteCommandService;
  uiDir: string | null;
  lan: { enabled: boolean; tlsCertFile?: string; tlsKeyFile?: string };
  /** The configuration file the first-run wizard writes (null when the core was given none). */
  configFile?: string | null;
  /** Starts the core again with its configuration file (after the first-run wizard saved it). */
  requestReload?: (() => void) | null;
}

/** The WebSocket subprotocol of the live stream; the token travels as a second one (`sitegate.auth.<token>`). */
export const EVENTS_PROTOCOL = 'sitegate.v1';
const AUTH_PROTOCOL_PREFIX = 'sitegate.auth.';

export async function buildApiServer(opts: ApiServerOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const https =
    opts.lan.enabled && opts.lan.tlsCertFile && opts.lan.tlsKeyFile
      ? { cert: readFileSync(opts.lan.tlsCertFile), key: readFileSync(opts.lan.tlsKeyFile) }
      : null;
  const base = {
    logger: false,
    bodyLimit: 8 * 1024 * 1024,
    // A URL the router cannot decode (`/%E0%A4%A`): the documented error shape, not Fastify's.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      void reply
        .status(400)
        .headers(SECURITY_HEADERS)
        .type('application/json; charset=utf-8')
        .send(new ApiError(400, 'request.invalid', { reason: err.code === 'FST_ERR_BAD_URL' ? 'the URL is not validly percent-encoded' : 'the URL is not acceptable' }).body());
    },
  } as const;
  const app = (https ? Fastify({ ...base, https }) : Fastify(base)) as unknown as FastifyInstance;
  const sessions = new Sessions(() => services.clock.now());
  const limiter = new RateLimiter(() => services.clock.now());
  const hostPolicy: HostPolicy = {
    names: [services.config.server.host, ...(services.config.server.lan.hostnames ?? [])].filter((n) => n !== '0.0.0.0' && n !== '::'),
    lan: services.config.server.lan.enabled,
  };

  // First, so that its hooks mark upgrade requests before ours may refuse one (a refused
  // handshake's socket is then closed with the answer).
  await app.register(websocket, {
    options: {
      maxPayload: 4 * 1024 * 1024,
      // Only our protocol is ever echoed (never the token the client sent alongside it).
      handleProtocols: (offered: Set<string>) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
    },
  });
  app.decorateRequest('role', null);
  app.decorateRequest('account', null);
  app.decorateRequest('kiosk', false);
  app.decorateRequest('sessionToken', null);
  defaultRouteAccess(app);
  app.addHook('onRequest', async (req, reply) => {
    // Security headers on every answer — refusals and streams written directly (the live
    // camera view) too: no framing, no embedding by other sites, no sniffing.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
    // From another machine: only over TLS (whatever the bind address).
    const local = isLoopback(req);
    if (!local && !(req.socket as { encrypted?: boolean }).encrypted) throw new ApiError(403, 'lan.tls_required');
    guardRequest(req, hostPolicy);
    // Access by the matched route (its own options), never by the raw URL.
    const access = routeAccess(req);
    if (access === 'local' && !local) throw new ApiError(403, 'lan.local_only');
    const cls = req.routeOptions.config?.rateLimit;
    if (cls) {
      const source = sourceOf(req);
      const waitMs = limiter.take(cls, source);
      if (waitMs !== null) {
        if (cls === 'login') services.pins.loginAudit.repeated('anonymous', 'login.rate_limited', null, source);
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        throw new ApiError(429, 'rate.limited', { retryAfterS: Math.ceil(waitMs / 1000) });
      }
    }
    const token = presentedToken(req);
    if (token) {
      const found = sessions.get(token);
      // A live stream is told in its close code (4401), which a browser can read; a status is not.
      if (found === 'expired' && !isUpgrade(req)) throw new ApiError(401, 'auth.expired');
      const s = found === 'expired' ? null : found;
      if (s?.kind === 'user') {
        // The person as they are now: a disabled account's sessions end (also ended when it is
        // disabled), and a rename shows in the next audit entry.
        const account = services.accounts.get(s.accountId);
        if (account?.enabled) {
          req.role = account.role;
          req.account = { id: account.id, role: account.role, name: account.name };
          req.sessionToken = token;
        } else sessions.revoke(token);
      } else if (s?.kind === 'kiosk' && local) {
        // A kiosk token counts on this machine only.
        req.kiosk = true;
        req.sessionToken = token;
      }
    }
    if (access === 'session' && !local && !req.role) throw new ApiError(401, 'auth.required');
  });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiError) return reply.status(err.status).send(err.body());
    if (err instanceof DuplicateWorkerError) return reply.status(409).send(new ApiError(409, 'worker.duplicate').body());
    // The disk or the database failing under a request: said in plain words, not as an
    // internal error. Nothing of the request was committed (its transaction rolled back).
    const store = storeFailure(err);
    if (store) {
      if (store.status === 503) services.logger.error({ err, url: req.url, method: req.method }, 'request failed: data store');
      return reply.status(store.status).send(new ApiError(store.status, store.message).body());
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    // Safety net behind the routes' own checks: a reference to a row that does not exist, or a
    // second row where one must be unique, is the request's fault, not the server's.
    if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return reply.status(400).send(new ApiError(400, 'request.invalid', { reason: 'unknown reference' }).body());
    if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return reply.status(409).send(new ApiError(409, 'request.conflict').body());
    if (e.statusCode === 413) return reply.status(413).send(new ApiError(413, 'request.too_large').body());
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send(new ApiError(400, 'request.invalid', { reason: scrubString(e.message ?? '') }).body());
    }
    services.logger.error({ err, url: req.url, method: req.method }, 'request failed');
    return reply.status(500).send(new ApiError(500, 'server.error').body());
  });
  app.setNotFoundHandler((req, reply) => {
    const path = decodedPath(req.url);
    if (path === null || path.startsWith('/api/') || path === '/health') return reply.status(404).send(new ApiError(404, 'request.not_found').body());
    // SPA fallback: the UI's routes are client-side.
    if (opts.uiDir && existsSync(`${opts.uiDir}/index.html`)) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(new ApiError(404, 'request.not_found').body());
  });

  if (opts.uiDir && existsSync(opts.uiDir)) {
    await app.register(fastifyStatic, { root: opts.uiDir, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>SiteGate</title><h1>SiteGate 工地闸机</h1><p>界面尚未构建：运行 <code>npm run build:ui</code>。 The UI is not built yet: run <code>npm run build:ui</code>.</p><p><a href="/health">/health</a></p>',
        ),
    );
  }

  app.addContentTypeParser(['image/jpeg'], { parseAs: 'buffer', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  registerHealthRoutes(app, services);
  registerEventsRoutes(app, services, sessions);
  registerOrgRoutes(app, services);
  registerWorkerRoutes(app, services);
  registerAttendanceRoutes(app, services);
  registerAdminRoutes(app, services);
  registerAccountRoutes(app, services, sessions);
  const enrollment = registerGateRoutes(app, services, opts.devices, opts.gate);
  if (opts.live) registerLiveViewRoutes(app, opts.live, opts.passthrough, sessions);
  registerCameraRoutes(app, services);
  registerReportRoutes(app, services, opts.gate);
  registerSyncRoutes(app, services, opts.sync);
  registerComplianceRoutes(app, services, opts.devices, opts.gate);
  registerCalendarRoutes(app, services);
  registerVisitorRoutes(app, services, opts.devices, opts.visitors);
  registerRemoteRoutes(app, services, opts.remote);
  registerDemoRoutes(app, services, opts.devices, opts.gate);
  registerSetupRoutes(app, services, { configFile: opts.configFile ?? null, requestReload: opts.requestReload ?? null });
  registerWorkerDetailRoutes(app, services, opts.devices, enrollment);
  registerLedgerRoutes(app, services);
  return app;
}

/** The session token a request presents: `Authorization: Bearer`, or on a WebSocket handshake the `sitegate.auth.` subprotocol (browsers cannot set headers there). */
function presentedToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  if (isUpgrade(req)) {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const auth = offered.find((p) => p.startsWith(AUTH_PROTOCOL_PREFIX));
    if (auth) return auth.slice(AUTH_PROTOCOL_PREFIX.length);
  }
  return null;
}

/** The request path, percent-decoded; null when it cannot be decoded. */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '');
  } catch {
    return null;
  }
}
