// The local HTTP + WebSocket API. Every request body and query is validated by a zod schema;
// every write is audited by the store layer; roles are clerk < supervisor < admin.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { roleAllows, DuplicateWorkerError, type Role } from '../../../edge-core/src/index.js';
import { ApiError } from './errors.js';
import { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';
import { registerRoutes } from './routes.js';
import { registerGateRoutes } from './gate-routes.js';
import { registerLiveViewRoutes } from './live-view-routes.js';
import { registerCameraRoutes } from './camera-routes.js';
import type { LiveView } from '../live-view.js';
import type { LivePassthrough } from '../live-passthrough.js';
import { registerReportRoutes } from './report-routes.js';
import { registerSyncRoutes } from './sync-routes.js';
import { registerComplianceRoutes } from './compliance-routes.js';
import type { SyncService } from '../sync-service.js';
import type { DevicesService } from '../devices-service.js';
import type { GateService } from '../gate-service.js';
import { scrubString } from '../redact.js';
import { storeFailure } from '../store-failures.js';

export interface ApiServerOptions {
  services: CoreServices;
  devices: DevicesService;
  gate: GateService;
  sync: SyncService;
  /** Live view of the lanes' own cameras (absent: no live video routes). */
  live?: LiveView;
  /** H.264/H.265 pass-through of the lanes' network cameras (fMP4 over WebSocket). */
  passthrough?: LivePassthrough;
  uiDir: string | null;
  lan: { enabled: boolean; tlsCertFile?: string; tlsKeyFile?: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    role: Role | null;
  }
}

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    throw new ApiError(
      400,
      'request.invalid',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return r.data;
}

/** True for requests from this machine (the lane kiosks), which may use kiosk routes without a login. */
export function isLoopback(req: FastifyRequest): boolean {
  const a = req.socket.remoteAddress;
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

export function requireRole(req: FastifyRequest, need: Role): Role {
  if (!req.role) throw new ApiError(401, 'auth.required');
  if (!roleAllows(req.role, need)) throw new ApiError(403, 'auth.forbidden');
  return req.role;
}

export async function buildApiServer(opts: ApiServerOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const https =
    opts.lan.enabled && opts.lan.tlsCertFile && opts.lan.tlsKeyFile
      ? { cert: readFileSync(opts.lan.tlsCertFile), key: readFileSync(opts.lan.tlsKeyFile) }
      : null;
  const app = (https ? Fastify({ https, logger: false, bodyLimit: 8 * 1024 * 1024 }) : Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 })) as unknown as FastifyInstance;
  const sessions = new Sessions(() => services.clock.now());

  app.decorateRequest('role', null);
  app.addHook('onRequest', async (req) => {
    // From another machine: only over TLS (whatever the bind address), and the API only
    // after a login (except the login itself and the health probe).
    if (!isLoopback(req) && !(req.socket as { encrypted?: boolean }).encrypted) throw new ApiError(403, 'lan.tls_required');
    const token = presentedToken(req);
    if (!token) return;
    const s = sessions.get(token);
    if (s === 'expired') throw new ApiError(401, 'auth.expired');
    if (s) req.role = s.role;
  });
  app.addHook('preHandler', async (req) => {
    if (isLoopback(req) || req.role || !req.url.startsWith('/api/')) return;
    if (req.method === 'POST' && req.url === '/api/session') return;
    throw new ApiError(401, 'auth.required');
  });

  // Security headers for the UI: no remote content, no framing.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
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
    if (req.url.startsWith('/api/') || req.url === '/health') return reply.status(404).send(new ApiError(404, 'request.not_found').body());
    // SPA fallback: the UI's routes are client-side.
    if (opts.uiDir && existsSync(`${opts.uiDir}/index.html`)) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(new ApiError(404, 'request.not_found').body());
  });

  await app.register(websocket, {
    options: {
      maxPayload: 4 * 1024 * 1024,
      // Only our protocol is ever echoed, never a token offered alongside it.
      handleProtocols: (offered: Set<string>) => (offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
    },
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
  registerRoutes(app, services, sessions);
  registerGateRoutes(app, services, opts.devices, opts.gate);
  if (opts.live) registerLiveViewRoutes(app, opts.live, opts.passthrough, sessions);
  registerCameraRoutes(app, services);
  registerReportRoutes(app, services, opts.gate);
  registerSyncRoutes(app, services, opts.sync);
  registerComplianceRoutes(app, services, opts.devices, opts.gate);
  return app;
}

/** The WebSocket subprotocol of the core's streams; a session token travels as a second one (`sitegate.auth.<token>`). */
export const STREAM_PROTOCOL = 'sitegate.v1';
const AUTH_PROTOCOL_PREFIX = 'sitegate.auth.';

/**
 * The session token a request presents: `Authorization: Bearer`, on a WebSocket handshake the
 * `sitegate.auth.` subprotocol (browsers cannot set headers there), else `?token=`.
 */
export function presentedToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(AUTH_PROTOCOL_PREFIX));
  if (offered) return offered.slice(AUTH_PROTOCOL_PREFIX.length);
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' ? q : null;
}
