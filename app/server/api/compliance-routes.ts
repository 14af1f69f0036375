// Make-up attendance (补卡) with the local authority's confirmation, the data-completeness
// preview (what the platform's yellow light would flag), and the voice texts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localDate, rules, FaceTemplateRepo } from '../../../edge-core/src/index.js';
import type { CoreServices } from '../services.js';
import { VOICE_TEMPLATES_KEY, type DevicesService } from '../devices-service.js';
import type { GateService } from '../gate-service.js';
import { ApiError } from './errors.js';
import { passageEvent, recordedDecisionDto } from '../decision-dto.js';
import { parse, requireRole } from './request-guard.js';
import { safeText } from '../../shared/safe-text.js';
import type { Reply } from '../../shared/api/contract.js';

/** Times are epoch milliseconds before the year 3000 (beyond 8.64e15 a Date is invalid and site-time formatting throws). */
const epochMs = z.number().int().positive().max(Date.UTC(3000, 0, 1) - 1);

const makeupRequest = z.strictObject({
  workerId: z.number().int().positive(),
  direction: z.enum(['in', 'out']),
  occurredAt: epochMs,
  reason: z.enum(['storm', 'network_failure', 'power_failure', 'device_failure', 'other']),
  reasonText: safeText(0, 200).optional(),
  confirmedBy: safeText(0, 100),
  documentNo: safeText(0, 100),
  confirmedAt: epochMs,
});

export function registerComplianceRoutes(app: FastifyInstance, s: CoreServices, devices: DevicesService, gate: GateService): void {
  app.post('/api/attendance/makeup', async (req, reply): Promise<Reply<'POST /api/attendance/makeup'>> => {
    const actor = requireRole(req, 'supervisor');
    const body = parse(makeupRequest, req.body);
    const worker = s.workers.get(body.workerId);
    if (!worker) throw new ApiError(404, 'worker.not_found');
    const tz = s.attendance.siteTimeZone();
    const existing = s.attendance
      .forWorkerBetween(body.workerId, body.occurredAt - 3600_000, body.occurredAt + 3600_000)
      .filter((e) => e.decision === 'pass');
    const v = rules.validateMakeup(
      { ...body, timeZone: tz, enteredBy: actor },
      { workerId: worker.id, role: worker.role, status: worker.status },
      { now: s.clock.now(), existing },
    );
    if (!v.ok) throw new ApiError(422, 'makeup.refused', v.errors);
    const committed = s.store.tx(() => {
      const c = s.attendance.record(
        {
          laneId: 'makeup',
          workerId: worker.id,
          direction: body.direction,
          occurredAt: body.occurredAt,
          decision: 'pass',
          reasons: [],
          makeup: { confirmedBy: v.record.makeupConfirmedBy, documentNo: v.record.makeupDocumentNo, reason: v.record.makeupReason, confirmedAt: v.record.makeupConfirmedAt },
        },
        tz,
      );
      s.audit.append(v.audit.actor, v.audit.action, v.audit.target, { ...v.audit.details, eventId: c.id });
      return c;
    });
    const dto = recordedDecisionDto({ eventId: committed.id, decision: 'pass', direction: body.direction, worker: { id: worker.id, name: worker.name, teamName: worker.teamName }, reasons: ['makeup'], at: committed.occurredAt });
    s.events.publish(passageEvent('makeup', dto));
    reply.status(201);
    // What was recorded, said back whole: the screen confirms the direction the core stored.
    return { ...committed, workerId: worker.id, workerName: worker.name, direction: body.direction, laneId: 'makeup' };
  });

  app.get('/api/reports/completeness', { config: { rateLimit: 'expensive' } }, async (req): Promise<Reply<'GET /api/reports/completeness'>> => {
    requireRole(req, 'supervisor');
    const asOf = localDate(s.clock.now(), s.attendance.siteTimeZone());
    const templates = gate.engine ? new FaceTemplateRepo(s.store) : null;
    const modelId = gate.engine?.modelId;
    const workers = s.workers.list({ status: 'active', limit: 100_000 }).map((summary) => {
      const w = s.workers.get(summary.id);
      return {
        workerId: summary.id,
        name: summary.name,
        role: summary.role,
        status: summary.status,
        idType: summary.idType,
        idNumber: w?.idNumber ?? null,
        birthDate: w?.birthDate ?? null,
        sex: w?.sex ?? null,
        idValidTo: summary.validTo,
        tradeCode: summary.tradeCode,
        managementRole: summary.managementRole,
        employerId: summary.employerId,
        teamId: summary.teamId,
        hasContract: summary.hasContract,
        contractStart: w?.contractStart ?? null,
        contractEnd: summary.contractEnd,
        hasBankCard: Boolean(w?.bankCard),
        ...(templates && modelId ? { hasFaceTemplate: templates.forWorker(summary.id, modelId).length > 0 } : {}),
      };
    });
    return rules.previewCompleteness({
      asOf,
      workers,
      project: { teams: s.workers.listTeams().map((t) => ({ teamId: t.id, name: t.name, platformTeamSysNo: t.platformTeamSysNo })) },
    });
  });

  app.get('/api/admin/voice-templates', async (req): Promise<Reply<'GET /api/admin/voice-templates'>> => {
    requireRole(req, 'admin');
    return s.settings.get<Record<string, string>>(VOICE_TEMPLATES_KEY, {});
  });

  app.put('/api/admin/voice-templates', async (req): Promise<Reply<'PUT /api/admin/voice-templates'>> => {
    const actor = requireRole(req, 'admin');
    const text = safeText(1, 60).optional();
    const parsed = parse(z.strictObject({ welcome: text, goodbye: text, refused: text }), req.body);
    const body = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    s.store.tx(() => {
      s.settings.set(VOICE_TEMPLATES_KEY, body);
      s.audit.append(actor, 'voice.templates', null, { keys: Object.keys(body) });
    });
    devices.devices?.announcer?.setTemplates(body);
    return { ok: true };
  });
}
