// What the worker screen and the enrollment's card step need beyond the worker record: the
// worker's photo, their attendance history, a face re-capture, and "is this ID number already
// enrolled?" (asked at the card step, before anything else is typed).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EnrollmentRepo } from '../../../edge-core/src/index.js';
import { idLookupRequest, workerFaceRequest, type IdLookupResponse } from '../../shared/api-types.js';
import type { CoreServices } from '../services.js';
import type { DevicesService } from '../devices-service.js';
import { EnrollmentError, type EnrollmentService } from '../enrollment-service.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

const idParam = (p: unknown): number => parse(z.strictObject({ id: z.coerce.number().int().positive().max(2 ** 31) }), p).id;

function enrolledAs(s: CoreServices, idNumber: string): IdLookupResponse {
  const id = s.workers.findIdByIdNumber(idNumber.trim().toUpperCase());
  const w = id === null ? null : s.workers.get(id);
  return { enrolled: w ? { workerId: w.id, name: w.name, teamName: w.teamName, status: w.status } : null };
}

export function registerWorkerDetailRoutes(app: FastifyInstance, s: CoreServices, devices: DevicesService, enrollment: EnrollmentService): void {
  const enrollments = new EnrollmentRepo(s.store);

  // The newest live capture (enrollment or re-capture), else the ID-card photo.
  app.get('/api/workers/:id/photo', async (req, reply) => {
    requireRole(req, 'clerk');
    const id = idParam(req.params);
    if (!s.workers.get(id)) throw new ApiError(404, 'worker.not_found');
    const photo = enrollments.photo(id) ?? s.workers.idPhoto(id);
    if (!photo) throw new ApiError(404, 'request.not_found');
    reply.header('cache-control', 'no-store');
    return reply.type('image/jpeg').send(photo);
  });

  app.get('/api/workers/:id/attendance', async (req): Promise<Reply<'GET /api/workers/:id/attendance'>> => {
    requireRole(req, 'clerk');
    const id = idParam(req.params);
    const q = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() }), req.query);
    if (!s.workers.get(id)) throw new ApiError(404, 'worker.not_found');
    return s.attendance.list({ workerId: id, limit: q.limit ?? 50 });
  });

  app.post('/api/workers/lookup', async (req): Promise<Reply<'POST /api/workers/lookup'>> => {
    requireRole(req, 'clerk');
    return enrolledAs(s, parse(idLookupRequest, req.body).idNumber);
  });

  app.get('/api/enrollment/card/:readId/enrolled', async (req): Promise<Reply<'GET /api/enrollment/card/:readId/enrolled'>> => {
    requireRole(req, 'clerk');
    const { readId } = parse(z.strictObject({ readId: z.uuid() }), req.params);
    const card = devices.card(readId);
    if (!card) throw new ApiError(404, 'request.not_found');
    return enrolledAs(s, card.read.identity.idNumber);
  });

  app.post('/api/workers/:id/face', async (req): Promise<Reply<'POST /api/workers/:id/face'>> => {
    const actor = requireRole(req, 'clerk');
    const id = idParam(req.params);
    const body = parse(workerFaceRequest, req.body);
    const w = s.workers.get(id);
    if (!w) throw new ApiError(404, 'worker.not_found');
    try {
      return await enrollment.recapture(id, body.sessionId, actor);
    } catch (err) {
      if (err instanceof EnrollmentError) throw new ApiError(err.status, 'worker.face_failed', { code: err.code, message: err.messageText });
      throw err;
    }
  });
}
