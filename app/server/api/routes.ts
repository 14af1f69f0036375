// Route table of the local API.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localDate, StoreError, type WorkerRecord } from '../../../edge-core/src/index.js';
import {
  attendanceQuery,
  demoPassageRequest,
  employerRequest,
  teamRequest,
  workerListQuery,
  workerRequest,
  workerStatusRequest,
  workerPatchRequest,
  type HealthResponse,
} from '../../shared/api-types.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './request-guard.js';
import type { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';
import { recordPassage } from '../passage.js';
import { isValidResidentId } from '../../../edge-core/src/index.js';

const idParam = (params: unknown): number => {
  const id = Number((params as { id?: string }).id);
  if (!Number.isInteger(id) || id <= 0) throw new ApiError(400, 'request.invalid', [{ path: 'id', message: 'positive integer' }]);
  return id;
};

/**
 * Refuses an employer or team id that does not exist (400 with the field's path), before the
 * write would hit the foreign key and surface as a 500.
 */
/** A resident ID number (type 01) must carry a valid GB 11643 check digit. */
export function requireValidIdNumber(w: { idType: string; idNumber: string }, prefix: string): void {
  if (w.idType === '01' && !isValidResidentId(w.idNumber.toUpperCase())) {
    throw new ApiError(400, 'request.invalid', [{ path: `${prefix}idNumber`, message: 'not a valid resident ID number (18 characters, check digit)' }]);
  }
}

export function requireKnownRefs(s: CoreServices, refs: { employerId?: number | null; teamId?: number | null }, prefix = ''): void {
  const missing: Array<{ path: string; message: string }> = [];
  if (refs.employerId != null && !s.workers.listEmployers().some((e) => e.id === refs.employerId)) missing.push({ path: `${prefix}employerId`, message: 'no such employer' });
  if (refs.teamId != null && !s.workers.listTeams().some((t) => t.id === refs.teamId)) missing.push({ path: `${prefix}teamId`, message: 'no such team' });
  if (missing.length) throw new ApiError(400, 'request.invalid', missing);
}

/** What screens get of a worker: masked numbers only. */
function workerView(w: WorkerRecord) {
  const { idNumber: _id, bankCard: _bank, ...rest } = w;
  return { ...rest, bankCardMasked: w.bankCard ? `****${w.bankCard.slice(-4)}` : null };
}

export function registerRoutes(app: FastifyInstance, s: CoreServices, sessions: Sessions): void {
  const today = () => localDate(s.clock.now(), s.attendance.siteTimeZone());

  app.get('/health', async (): Promise<HealthResponse> => {
    let storeOk = true;
    let detail: string | undefined;
    try {
      s.store.db.prepare('SELECT 1').get();
    } catch (err) {
      storeOk = false;
      detail = (err as Error).message;
    }
    s.health.set('store', storeOk ? { ok: true } : { ok: false, detail: detail ?? 'unavailable' });
    return {
      status: s.health.allOk() ? 'ok' : 'degraded',
      version: s.version,
      demo: s.config.demo,
      uptimeS: Math.round((s.clock.now() - s.startedAt) / 1000),
      components: s.health.snapshot(),
    };
  });

  // --- sessions (first-run set-up, sign-in, accounts: account-routes.ts) ------------------
  // The kiosk credential of a lane display (docs/decisions/0007-kiosk-sessions-and-web-security.md): issued
  // without a PIN, to this machine only and to the core's own page only (the Origin and Host
  // checks refuse any other web page); it opens the live event stream and nothing else.
  app.post('/api/kiosk/session', { config: { access: 'local' } }, async (req) => {
    parse(z.strictObject({}), req.body);
    const { token, session } = sessions.createKiosk();
    return { token, expiresAt: session.expiresAt };
  });

  // --- employers, teams, workers ---------------------------------------------------------
  app.get('/api/employers', async (req) => {
    requireRole(req, 'clerk');
    return s.workers.listEmployers();
  });
  app.post('/api/employers', async (req, reply) => {
    const actor = requireRole(req, 'clerk');
    const body = parse(employerRequest, req.body);
    // The credit code is unique; say so instead of letting the constraint surface as a 500.
    if (s.workers.listEmployers().some((e) => e.creditCode === body.creditCode)) {
      throw new ApiError(409, 'employer.duplicate', [{ path: 'creditCode', message: 'an employer with this credit code is already registered' }]);
    }
    reply.status(201);
    return s.workers.createEmployer(body, actor);
  });
  app.get('/api/teams', async (req) => {
    requireRole(req, 'clerk');
    return s.workers.listTeams();
  });
  app.post('/api/teams', async (req, reply) => {
    const actor = requireRole(req, 'clerk');
    const body = parse(teamRequest, req.body);
    requireKnownRefs(s, { employerId: body.employerId });
    // Team names are unique per employer.
    if (s.workers.listTeams().some((t) => t.employerId === body.employerId && t.name === body.name)) {
      throw new ApiError(409, 'team.duplicate', [{ path: 'name', message: 'this employer already has a team of this name' }]);
    }
    reply.status(201);
    return s.workers.createTeam(body, actor);
  });

  app.get('/api/workers', async (req) => {
    requireRole(req, 'clerk');
    const q = parse(workerListQuery, req.query);
    return s.workers.list(q);
  });
  app.get('/api/workers/:id', async (req) => {
    requireRole(req, 'clerk');
    const w = s.workers.get(idParam(req.params));
    if (!w) throw new ApiError(404, 'worker.not_found');
    return workerView(w);
  });
  app.post('/api/workers', async (req, reply) => {
    const actor = requireRole(req, 'clerk');
    const body = parse(workerRequest, req.body);
    if ((body.role === 'manager') !== Boolean(body.managementRole)) {
      throw new ApiError(400, 'request.invalid', [{ path: 'managementRole', message: 'required for managers, absent for workers' }]);
    }
    requireKnownRefs(s, body);
    requireValidIdNumber(body, '');
    const w = s.workers.create({ ...body, source: 'local' }, actor);
    s.events.publish({ type: 'worker.saved', workerId: w.id, at: s.clock.now() });
    reply.status(201);
    return { id: w.id, name: w.name, idNumberMasked: w.idNumberMasked };
  });
  app.patch('/api/workers/:id', async (req) => {
    const actor = requireRole(req, 'clerk');
    const id = idParam(req.params);
    const body = parse(workerPatchRequest, req.body);
    const current = s.workers.get(id);
    if (!current) throw new ApiError(404, 'worker.not_found');
    const role = body.role ?? current.role;
    const managementRole = body.managementRole !== undefined ? body.managementRole : current.managementRole;
    if ((role === 'manager') !== Boolean(managementRole)) {
      throw new ApiError(400, 'request.invalid', [{ path: 'managementRole', message: 'required for managers, absent for workers' }]);
    }
    requireKnownRefs(s, body);
    const saved = workerView(s.workers.updateAssignment(id, body, actor));
    // The edit is queued for the platform with the change: wake the sync.
    s.events.publish({ type: 'worker.saved', workerId: id, at: s.clock.now() });
    return saved;
  });

  app.post('/api/workers/:id/status', async (req) => {
    const actor = requireRole(req, 'clerk');
    const body = parse(workerStatusRequest, req.body);
    const id = idParam(req.params);
    if (!s.workers.get(id)) throw new ApiError(404, 'worker.not_found');
    s.workers.setStatus(id, body.status, actor, body.reason);
    // A departure or re-entry is queued for the platform with the change: wake the sync.
    s.events.publish({ type: 'worker.saved', workerId: id, at: s.clock.now() });
    return { ok: true };
  });

  // --- attendance and dashboard -------------------------------------------------------------
  app.get('/api/attendance', async (req) => {
    requireRole(req, 'supervisor');
    const q = parse(attendanceQuery, req.query);
    return s.attendance.list({ localDate: q.date, workerId: q.workerId, laneId: q.laneId, limit: q.limit, beforeSeq: q.beforeSeq });
  });
  // The passage photo: a supervisor's session, from this machine too (any web page on it could
  // otherwise load it); the UI fetches it with its token (fetch + blob).
  app.get('/api/attendance/:eventId/photo', async (req, reply) => {
    requireRole(req, 'supervisor');
    const eventId = String((req.params as { eventId?: string }).eventId ?? '');
    if (!/^[0-9a-f-]{36}$/.test(eventId)) throw new ApiError(400, 'request.invalid', [{ path: 'eventId', message: 'a UUID' }]);
    const photo = s.attendance.photo(eventId);
    if (!photo) throw new ApiError(404, 'request.not_found');
    reply.header('cache-control', 'no-store');
    return reply.type('image/jpeg').send(photo);
  });

  app.get('/api/dashboard/today', async (req) => {
    requireRole(req, 'supervisor');
    return s.dashboard.today(today());
  });
  app.get('/api/lanes', async () =>
    s.project.lanes().map((l) => {
      const c = s.config.lanes.find((x) => x.id === l.id)?.camera.type ?? 'browser';
      return { ...l, camera: c === 'browser' ? 'browser' : 'core' };
    }),
  );

  app.get('/api/audit', async (req) => {
    requireRole(req, 'admin');
    return s.audit.list({ limit: 200 });
  });

  app.post('/api/admin/backup', { config: { rateLimit: 'expensive' } }, async (req) => {
    const actor = requireRole(req, 'admin');
    const pruned: string[] = [];
    let path: string;
    try {
      path = await s.store.autoBackup({ reserveBytes: s.config.storage.criticalFreeMb * 1024 * 1024, onPruned: (p) => pruned.push(p) });
    } catch (err) {
      if (err instanceof StoreError && err.code === 'disk_full') throw new ApiError(507, 'backup.no_room');
      throw err;
    }
    const name = (p: string): string | undefined => p.split(/[\\/]/).pop();
    s.store.tx(() => s.audit.append(actor, 'backup.create', null, { file: name(path), prunedForSpace: pruned.map(name) }));
    return { ok: true, file: path };
  });

  // --- demo: a simulated passage (the face pipeline drives this in production) ----------------
  app.post('/api/demo/passage', async (req) => {
    if (!s.config.demo) throw new ApiError(404, 'demo.only');
    requireRole(req, 'clerk');
    const body = parse(demoPassageRequest, req.body);
    const w = body.workerId !== null ? s.workers.get(body.workerId) : null;
    if (body.workerId !== null && !w) throw new ApiError(404, 'worker.not_found');
    const reasons = body.workerId ? (body.reasons ?? []) : ['not_enrolled'];
    if (w && reasons.length === 1 && reasons[0] === 'duplicate_scan') {
      // A repeat scan within the window: the lane records nothing and says so (gate-service).
      const at = s.clock.now();
      s.events.publish({ type: 'passage', laneId: body.laneId, eventId: '', decision: 'refuse', direction: body.direction, workerId: w.id, workerName: w.name, teamName: w.teamName, reasons, duplicate: true, at });
      return { id: '', seq: 0, occurredAt: at };
    }
    return recordPassage(s, { laneId: body.laneId, workerId: body.workerId, direction: body.direction, decision: reasons.length === 0 ? 'pass' : 'refuse', reasons });
  });

  // --- live events ------------------------------------------------------------------------------
  // A session is required (a user's, or this machine's kiosk session); it travels in the
  // `sitegate.auth.<token>` subprotocol. The stream ends when the session does (sign-out, a new
  // PIN for the role, expiry).
  app.get('/api/events', { websocket: true }, (socket, req) => {
    const token = req.sessionToken;
    if (!token || (!req.role && !req.kiosk)) {
      socket.close(4401, 'auth.required');
      return;
    }
    const end = (why: string): void => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(4401, why);
    };
    const unwatch = sessions.watch(token, end);
    const unsubscribe = s.events.subscribe((e) => {
      if (socket.readyState !== socket.OPEN) return;
      const alive = sessions.get(token);
      if (alive === null) return end('auth.revoked');
      if (alive === 'expired') return end('auth.expired');
      socket.send(JSON.stringify(e));
    });
    const stop = (): void => {
      unsubscribe();
      unwatch();
    };
    socket.on('close', stop);
    socket.on('error', stop);
  });
}
