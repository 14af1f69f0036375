// Routes of the gate (camera frames per lane, device health) and of the enrollment wizard
// (card read, capture session, 1:1 match, save).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CoreServices } from '../services.js';
import type { DevicesService } from '../devices-service.js';
import { cardSummary } from '../devices-service.js';
import { GateUnavailableError, GATE_POLICY_KEY, type GateService } from '../gate-service.js';
import { rules } from '../../../edge-core/src/index.js';
import { EnrollmentError, EnrollmentService } from '../enrollment-service.js';
import { ApiError } from './errors.js';
import { gateDecisionDto } from '../decision-dto.js';
import { isLoopback, parse, requireRole } from './request-guard.js';
import { requireKnownRefs, requireManagementRoleFits, requireValidIdNumber } from '../worker-rules.js';
import { enrollmentSaveRequest, demoCardRequest, timeWindowPreviewRequest } from '../../shared/api-types.js';
import type { Reply } from '../../shared/api/contract.js';

function jpegBody(req: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
    throw new ApiError(400, 'request.invalid', [{ path: 'body', message: 'a JPEG image with Content-Type image/jpeg' }]);
  }
  return req.body;
}

function rethrow(err: unknown): never {
  if (err instanceof EnrollmentError) throw Object.assign(new ApiError(err.status, 'enrollment.failed', { code: err.code, message: err.messageText }));
  if (err instanceof GateUnavailableError) throw new ApiError(err.code === 'unknown_lane' ? 404 : 503, err.code === 'unknown_lane' ? 'request.not_found' : 'gate.unavailable', { reason: err.message });
  throw err;
}

export function registerGateRoutes(app: FastifyInstance, s: CoreServices, devices: DevicesService, gate: GateService): EnrollmentService {
  const enrollment = new EnrollmentService(s, devices, gate);
  const laneParam = (p: unknown) => parse(z.strictObject({ laneId: z.string().regex(/^[a-z0-9-]{1,32}$/) }), p).laneId;
  const sessionParam = (p: unknown) => parse(z.strictObject({ id: z.uuid() }), p).id;

  // The lane's kiosk posts camera frames; from this machine without a login (the kiosk),
  // from elsewhere only with one.
  app.post('/api/lanes/:laneId/frames', { config: { rateLimit: 'frames' } }, async (req): Promise<Reply<'POST /api/lanes/:laneId/frames'>> => {
    if (!isLoopback(req)) requireRole(req, 'clerk');
    const laneId = laneParam(req.params);
    try {
      const outcome = await gate.submitFrame(laneId, jpegBody(req));
      if (outcome.state !== 'decided') return outcome;
      return { state: 'decided', decision: gateDecisionDto(outcome.decision) };
    } catch (err) {
      rethrow(err);
    }
  });

  app.get('/api/devices', async (): Promise<Reply<'GET /api/devices'>> => devices.health());
  // The project's lanes, each with whose camera serves it (the browser's, or the core's own).
  app.get('/api/lanes', async (): Promise<Reply<'GET /api/lanes'>> =>
    s.project.lanes().map((l) => {
      const c = s.config.lanes.find((x) => x.id === l.id)?.camera.type ?? 'browser';
      return { ...l, camera: c === 'browser' ? 'browser' : 'core' };
    }),
  );

  // --- gate policy (supervisors read it, admins change it; every change audited with its diff) ---
  app.get('/api/gate/policy', async (req): Promise<Reply<'GET /api/gate/policy'>> => {
    requireRole(req, 'supervisor');
    return gate.policy();
  });
  app.put('/api/gate/policy', async (req): Promise<Reply<'PUT /api/gate/policy'>> => {
    const actor = requireRole(req, 'admin');
    // Strict: an unknown key (a typo) is refused with its name, the stored policy untouched.
    const policy = parse(rules.GatePolicySchema, req.body);
    const change = rules.describePolicyChange(gate.policy(), policy);
    s.store.tx(() => {
      s.settings.set(GATE_POLICY_KEY, policy);
      s.audit.append(actor, change.audit.action, 'gate.policy', change.audit.details);
    });
    return { policy, summary: change.summary, changes: change.changes.length };
  });

  // Who may pass now under the saved policy or a draft of its time windows (nothing is saved).
  app.post('/api/gate/time-windows/preview', async (req): Promise<Reply<'POST /api/gate/time-windows/preview'>> => {
    requireRole(req, 'supervisor');
    const body = parse(timeWindowPreviewRequest, req.body);
    const saved = gate.policy();
    let policy = saved;
    if (body.timeWindows !== undefined) {
      const parsed = rules.GatePolicySchema.safeParse({ ...saved, timeWindows: body.timeWindows });
      if (!parsed.success) throw new ApiError(400, 'request.invalid', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      policy = parsed.data;
    }
    const people = s.workers.list({ status: 'active', limit: 100_000 }).map((w) => ({ workerId: w.id, name: w.name, role: w.role, teamId: w.teamId, teamName: w.teamName }));
    return rules.previewTimeWindows({ policy, calendar: gate.calendar(), people, at: body.at ?? s.clock.now(), timeZone: s.attendance.siteTimeZone() });
  });

  // --- enrollment -------------------------------------------------------------------------------
  app.get('/api/enrollment/card', async (req): Promise<Reply<'GET /api/enrollment/card'>> => {
    requireRole(req, 'clerk');
    const c = devices.latestCard();
    return { card: c ? cardSummary(c) : null, readerPresent: Boolean(devices.devices?.idCardReader) };
  });

  app.get('/api/enrollment/card/:readId/photo', async (req, reply) => {
    requireRole(req, 'clerk');
    const { readId } = parse(z.strictObject({ readId: z.uuid() }), req.params);
    const c = devices.card(readId);
    if (!c || c.read.photo.kind !== 'decoded') throw new ApiError(404, 'request.not_found');
    reply.header('cache-control', 'no-store');
    return reply.type(c.read.photo.mime).send(Buffer.from(c.read.photo.bytes));
  });

  app.post('/api/enrollment/sessions', async (req): Promise<Reply<'POST /api/enrollment/sessions'>> => {
    requireRole(req, 'clerk');
    try {
      return enrollment.openSession();
    } catch (err) {
      rethrow(err);
    }
  });

  app.post('/api/enrollment/sessions/:id/frames', async (req): Promise<Reply<'POST /api/enrollment/sessions/:id/frames'>> => {
    requireRole(req, 'clerk');
    try {
      return await enrollment.addFrame(sessionParam(req.params), jpegBody(req));
    } catch (err) {
      rethrow(err);
    }
  });

  app.post('/api/enrollment/sessions/:id/match', async (req): Promise<Reply<'POST /api/enrollment/sessions/:id/match'>> => {
    requireRole(req, 'clerk');
    const body = parse(z.strictObject({ readId: z.uuid() }), req.body);
    try {
      return await enrollment.matchCard(sessionParam(req.params), body.readId);
    } catch (err) {
      rethrow(err);
    }
  });

  // The clerk's photograph of the card: portrait side (the 1:1's reference without a WLT decoder) or emblem side.
  app.post('/api/enrollment/sessions/:id/card-image/:side', async (req): Promise<Reply<'POST /api/enrollment/sessions/:id/card-image/:side'>> => {
    requireRole(req, 'clerk');
    const { id, side } = parse(z.strictObject({ id: z.uuid(), side: z.enum(['portrait', 'emblem']) }), req.params);
    try {
      return await enrollment.addCardImage(id, side, jpegBody(req));
    } catch (err) {
      rethrow(err);
    }
  });

  app.post('/api/enrollments', async (req, reply): Promise<Reply<'POST /api/enrollments'>> => {
    const clerk = requireRole(req, 'clerk');
    const body = parse(enrollmentSaveRequest, req.body);
    requireManagementRoleFits(body.assignment.role, body.assignment.managementRole, 'assignment.');
    requireKnownRefs(s, body.assignment, 'assignment.');
    if (body.manual) requireValidIdNumber(body.manual, 'manual.');
    try {
      const r = enrollment.save({
        clientRequestId: body.clientRequestId,
        sessionId: body.sessionId,
        readId: body.readId ?? null,
        manual: body.manual ?? null,
        assignment: body.assignment,
        clerk,
        role: req.role ?? 'clerk', // set: requireRole above refuses a request without one
        override: body.idMatchOverride ?? null,
      });
      reply.status(r.repeated ? 200 : 201);
      return r;
    } catch (err) {
      rethrow(err);
    }
  });

  // --- demo: put a simulated card on the simulated reader ------------------------------------------
  app.post('/api/demo/card', async (req): Promise<Reply<'POST /api/demo/card'>> => {
    if (!s.config.demo || !devices.simulators) throw new ApiError(404, 'demo.only');
    requireRole(req, 'clerk');
    const body = parse(demoCardRequest, req.body);
    if (body.key === null) devices.simulators.idCardReader.remove();
    else {
      try {
        devices.simulators.idCardReader.place(body.key);
      } catch {
        // The simulator throws for a key that is not in its card deck.
        throw new ApiError(400, 'request.invalid', [{ path: 'key', message: 'no such card in the demo deck' }]);
      }
    }
    return { ok: true };
  });

  return enrollment;
}
