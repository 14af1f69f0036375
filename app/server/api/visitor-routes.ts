// Visitor passes (访客码): a clerk issues a pass (name, host, purpose, validity, optionally the
// visitor's ID card from the reader) and gets its signed code for the QR; clerks list and
// revoke passes; supervisors see the visitor passages. The lane screens (this machine) may
// hand in a code typed by a keyboard-wedge scanner; HID scanners feed the lanes directly.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localDate, VisitorPassNotFoundError } from '../../../edge-core/src/index.js';
import { visitorCodeRequest, visitorListQuery, visitorPassagesQuery, visitorPassRequest, visitorRevokeRequest } from '../../shared/api-types.js';
import type { CoreServices } from '../services.js';
import type { DevicesService } from '../devices-service.js';
import { requireIssuablePass, type VisitorService } from '../visitor-service.js';
import { reasonText } from '../decision-dto.js';
import { ApiError } from './errors.js';
import { isLoopback, parse, requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

const passParam = z.strictObject({ id: z.uuid() });

export function registerVisitorRoutes(app: FastifyInstance, s: CoreServices, devices: DevicesService, visitors: VisitorService): void {
  app.post('/api/visitor-passes', async (req, reply): Promise<Reply<'POST /api/visitor-passes'>> => {
    const actor = requireRole(req, 'clerk');
    const body = parse(visitorPassRequest, req.body);
    requireIssuablePass(s, body);
    let idCard: { type: string; number: string } | null = null;
    if (body.readId) {
      const held = devices.card(body.readId);
      if (!held) throw new ApiError(404, 'visitor.card_not_found');
      idCard = { type: held.read.identity.cardType, number: held.read.identity.idNumber };
    }
    const { pass } = visitors.repo.issue(
      {
        name: body.name,
        host: body.host,
        purpose: body.purpose,
        phone: body.phone ?? null,
        validFrom: body.validFrom,
        validTo: body.validTo,
        maxEntries: body.maxEntries ?? null,
        escortRequired: body.escortRequired ?? false,
        laneIds: body.laneIds ?? null,
        idCard,
      },
      actor,
    );
    reply.status(201);
    return visitors.view(pass);
  });

  app.get('/api/visitor-passes', async (req): Promise<Reply<'GET /api/visitor-passes'>> => {
    requireRole(req, 'clerk');
    const q = parse(visitorListQuery, req.query);
    return visitors.repo.list({ ...(q.state === 'active' ? { activeAt: s.clock.now() } : {}), limit: q.limit ?? 200 }).map((p) => visitors.view(p));
  });

  app.get('/api/visitor-passes/:id', async (req): Promise<Reply<'GET /api/visitor-passes/:id'>> => {
    requireRole(req, 'clerk');
    const { id } = parse(passParam, req.params);
    const pass = visitors.repo.get(id);
    if (!pass) throw new ApiError(404, 'visitor.not_found');
    return visitors.view(pass);
  });

  app.post('/api/visitor-passes/:id/revoke', async (req): Promise<Reply<'POST /api/visitor-passes/:id/revoke'>> => {
    const actor = requireRole(req, 'clerk');
    const { id } = parse(passParam, req.params);
    const { reason } = parse(visitorRevokeRequest, req.body);
    try {
      if (!visitors.repo.revoke(id, actor, reason)) throw new ApiError(409, 'visitor.already_revoked');
    } catch (err) {
      if (err instanceof VisitorPassNotFoundError) throw new ApiError(404, 'visitor.not_found');
      throw err;
    }
    return visitors.view(visitors.repo.get(id) as NonNullable<ReturnType<typeof visitors.repo.get>>);
  });

  app.get('/api/visitor-passages', async (req): Promise<Reply<'GET /api/visitor-passages'>> => {
    requireRole(req, 'supervisor');
    const q = parse(visitorPassagesQuery, req.query);
    const day = q.date ?? localDate(s.clock.now(), s.attendance.siteTimeZone());
    return visitors.repo.passages({ localDate: day, limit: q.limit ?? 200 }).map((p) => ({
      id: p.id,
      passId: p.passId,
      visitorName: p.visitorName,
      host: p.host,
      laneId: p.laneId,
      direction: p.direction,
      occurredAt: p.occurredAt,
      decision: p.decision,
      reasons: p.reasons.map(reasonText),
    }));
  });

  // A keyboard-wedge scanner types into the lane's own screen (this machine only).
  app.post('/api/lanes/:laneId/visitor-code', async (req): Promise<Reply<'POST /api/lanes/:laneId/visitor-code'>> => {
    if (!isLoopback(req)) requireRole(req, 'clerk');
    const { laneId } = parse(z.strictObject({ laneId: z.string().min(1).max(32) }), req.params);
    const { code } = parse(visitorCodeRequest, req.body);
    const d = await visitors.handleCode(laneId, code);
    if (!d) throw new ApiError(404, 'visitor.unknown_lane');
    return { decision: d.decision, opened: d.opened, eventId: d.eventId, visitorName: d.visitorName, reasons: d.reasons.map((r) => ({ code: r.code, zh: r.zh, en: r.en })) };
  });
}
