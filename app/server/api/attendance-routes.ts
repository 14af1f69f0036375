// Attendance records, a passage's photo and today's dashboard (supervisor).
import type { FastifyInstance } from 'fastify';
import { localDate } from '../../../edge-core/src/index.js';
import { attendanceQuery } from '../../shared/api-types.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './request-guard.js';
import type { CoreServices } from '../services.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerAttendanceRoutes(app: FastifyInstance, s: CoreServices): void {
  app.get('/api/attendance', async (req): Promise<Reply<'GET /api/attendance'>> => {
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
  app.get('/api/dashboard/today', async (req): Promise<Reply<'GET /api/dashboard/today'>> => {
    requireRole(req, 'supervisor');
    return s.dashboard.today(localDate(s.clock.now(), s.attendance.siteTimeZone()));
  });
}
