// The guards of the local API, in one module that the server and every route file import:
// - per handler: `parse` (a zod schema, the documented 400 on failure), `requireRole` (401/403),
//   `isLoopback` (this machine, i.e. the lane kiosks), `sourceOf` (for lockouts and limits);
// - per request, before any route runs: who may reach which route, decided on the route the
//   router matched — never on the raw URL
// (the router decodes `/%61pi/lanes` to `/api/lanes`; a check on the raw text would not).
// Each route carries its access in its own options (`config.access`), defaulted when it is
// registered: API routes need a login from another machine, the rest (the UI's files,
// /health) is public. Before any route runs, every request is also checked for:
// - its Host: only the names and addresses the appliance answers to (DNS rebinding);
// - its Origin, on WebSocket upgrades and state-changing methods: only the core's own page;
// - Sec-Fetch-Site on non-public routes: a browser loading them for another site is refused.
import { hostname as osHostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { accountActor, roleAllows, type AccountRef, type Role } from '../../../edge-core/src/index.js';
import { ApiError } from './errors.js';

/**
 * - `public`: anyone (the UI's files, /health, the login itself);
 * - `local`: this machine only, whatever the session (first-run set-up, kiosk credential);
 * - `session`: from this machine the route's own role checks apply; from another machine a
 *   user session is required first (the default for every /api route).
 */
export type RouteAccess = 'public' | 'local' | 'session';
/** Rate-limit classes (rate-limit.ts). */
export type RateClass = 'login' | 'expensive' | 'frames';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in role (a user session), or null. */
    role: Role | null;
    /** The signed-in person (a user session), or null. */
    account: AccountRef | null;
    /** A kiosk session on this machine (the lane display's live stream). */
    kiosk: boolean;
    /** The session's token, when one was presented and is valid. */
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    rateLimit?: RateClass;
  }
}

/** The headers every answer carries (also those sent outside the route pipeline). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new ApiError(400, 'request.invalid', describeIssues(r.error.issues));
  return r.data;
}

/** A `:id` route parameter: a positive integer (400 with the path `id` otherwise). */
export function idParam(params: unknown): number {
  const id = Number((params as { id?: string }).id);
  if (!Number.isInteger(id) || id <= 0) throw new ApiError(400, 'request.invalid', [{ path: 'id', message: 'positive integer' }]);
  return id;
}

/** Each problem with its path; an unknown key says which, so a typo is not taken for a missing field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): Array<{ path: string; message: string }> {
  return issues.map((i) => ({
    path: i.path.join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}: check the spelling; nothing was changed` : i.message,
  }));
}

/**
 * Refuses a request without a session of at least `need`; returns who is acting, as the audit
 * log names them (`admin#3 张三`: role, account number, name).
 */
export function requireRole(req: FastifyRequest, need: Role): string {
  if (!req.role || !req.account) throw new ApiError(401, 'auth.required');
  if (!roleAllows(req.role, need)) throw new ApiError(403, 'auth.forbidden');
  return accountActor(req.account);
}

/** True for requests from this machine (the lane kiosks). */
export function isLoopback(req: FastifyRequest): boolean {
  const a = req.socket.remoteAddress;
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

/** Where a request comes from, for lockouts and rate limits: 'kiosk' (this machine) or the client's address. */
export function sourceOf(req: FastifyRequest): string {
  if (isLoopback(req)) return 'kiosk';
  return normalizeAddress(req.socket.remoteAddress ?? 'unknown');
}

function normalizeAddress(a: string): string {
  const lower = a.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** The host name of a Host header or URL host (port and IPv6 brackets removed), lower case. */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export interface HostPolicy {
  /** Extra names from the configuration (server.host, server.lan.hostnames). */
  names: string[];
  lan: boolean;
}

/**
 * The names the appliance answers to: loopback always; the address the client actually
 * connected to (an IP literal cannot be rebound); with LAN access on, this machine's host name
 * (and `.local`) and the configured names.
 */
export function hostAllowed(req: FastifyRequest, policy: HostPolicy): boolean {
  const header = req.headers.host;
  if (header === undefined) return true; // not a browser (HTTP/1.0 tool): nothing to rebind
  const name = hostnameOf(header);
  if (name === 'localhost' || name === '127.0.0.1' || name === '::1') return true;
  const local = req.socket.localAddress;
  if (local && name === normalizeAddress(local)) return true;
  if (policy.names.some((n) => n.toLowerCase() === name)) return true;
  if (policy.lan) {
    const me = osHostname().toLowerCase();
    if (name === me || name === `${me}.local`) return true;
  }
  return false;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isUpgrade(req: FastifyRequest): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * A browser sends Origin on every WebSocket handshake and every POST/PUT/PATCH/DELETE: it must be
 * the core's own origin (same scheme, the Host the request was sent to). Absent: not a browser.
 */
export function originAllowed(req: FastifyRequest): boolean {
  if (SAFE_METHODS.has(req.method) && !isUpgrade(req)) return true;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // 'null' (sandboxed frames, file:) and junk
  }
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https:' : 'http:';
  return u.protocol === scheme && u.host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
}

/** `Sec-Fetch-Site` of a browser request made for another site (or another local port). */
export function crossSiteFetch(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

/** Gives every route its access when it is registered: API routes `session`, others `public`. */
export function defaultRouteAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.access) return;
    const url = typeof route.url === 'string' ? route.url : '';
    route.config = { ...route.config, access: url.startsWith('/api/') ? 'session' : 'public' };
  });
}

/** The access of the matched route; no route matched (a 404) is public. */
export function routeAccess(req: FastifyRequest): RouteAccess {
  return req.routeOptions.config?.access ?? 'public';
}

/** Throws the refusal for a request the checks above do not let through. */
export function guardRequest(req: FastifyRequest, policy: HostPolicy): void {
  if (!hostAllowed(req, policy)) throw new ApiError(421, 'request.bad_host', { host: String(req.headers.host).slice(0, 100) });
  if (!originAllowed(req)) throw new ApiError(403, 'request.cross_origin');
  if (routeAccess(req) !== 'public' && crossSiteFetch(req)) throw new ApiError(403, 'request.cross_origin');
}
