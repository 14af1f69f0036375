// Typed client of the core's register, attendance and admin routes. Request bodies use the
// shared zod-inferred request types, replies the contract's (app/shared/api/contract.ts):
// type-only imports, nothing of the schemas' runtime is bundled into the UI.
import type {
  AttendanceEvent,
  AuditEntry,
  Employer,
  Lane,
  LoginRequest,
  Reply,
  Team,
  TodaySummary,
  WorkerDetail,
  WorkerRequest,
  WorkerStatusValue,
  WorkerSummary,
} from '../../../shared/api-types.js';
import type { Role } from '../../../../edge-core/src/auth/roles.js';
import { fetchObjectUrl, request } from './http.js';

export type { Employer, Team, WorkerSummary, WorkerDetail, WorkerStatusValue, AttendanceEvent, Lane, TodaySummary, Role, AuditEntry };

/** PATCH /api/workers/:id: the assignment fields (identity comes from the card). */
export type WorkerPatch = Partial<Omit<WorkerRequest, 'idType' | 'idNumber' | 'name' | 'manualEntry'>>;

export const coreApi = {
  health: () => request<Reply<'GET /health'>>('GET', '/health', { anonymous: true }),
  setupStatus: () => request<Reply<'GET /api/setup/status'>>('GET', '/api/setup/status', { anonymous: true }),
  login: (body: LoginRequest) => request<Reply<'POST /api/session'>>('POST', '/api/session', { body, anonymous: true }),
  logout: () => request<Reply<'DELETE /api/session'>>('DELETE', '/api/session'),

  employers: () => request<Reply<'GET /api/employers'>>('GET', '/api/employers'),
  teams: () => request<Reply<'GET /api/teams'>>('GET', '/api/teams'),
  workers: (q: { q?: string; teamId?: number; status?: WorkerStatusValue; limit?: number; offset?: number } = {}) =>
    request<Reply<'GET /api/workers'>>('GET', '/api/workers', { query: q }),
  worker: (id: number) => request<Reply<'GET /api/workers/:id'>>('GET', `/api/workers/${id}`),
  createWorker: (body: WorkerRequest) => request<Reply<'POST /api/workers'>>('POST', '/api/workers', { body }),
  /** Audited like POST; the change is queued for the platform. */
  updateWorker: (id: number, body: WorkerPatch) => request<Reply<'PATCH /api/workers/:id'>>('PATCH', `/api/workers/${id}`, { body }),
  setWorkerStatus: (id: number, status: WorkerStatusValue, reason: string) =>
    request<Reply<'POST /api/workers/:id/status'>>('POST', `/api/workers/${id}/status`, { body: { status, reason } }),

  attendance: (q: { date?: string; workerId?: number; laneId?: string; limit?: number; beforeSeq?: number } = {}) =>
    request<Reply<'GET /api/attendance'>>('GET', '/api/attendance', { query: q }),
  today: () => request<Reply<'GET /api/dashboard/today'>>('GET', '/api/dashboard/today'),
  lanes: () => request<Reply<'GET /api/lanes'>>('GET', '/api/lanes'),
  devices: () => request<Reply<'GET /api/devices'>>('GET', '/api/devices', { anonymous: true }),
  audit: () => request<Reply<'GET /api/audit'>>('GET', '/api/audit'),
  setPin: (role: Role, pin: string) => request<Reply<'PUT /api/admin/pins'>>('PUT', '/api/admin/pins', { body: { role, pin } }),
  backup: () => request<Reply<'POST /api/admin/backup'>>('POST', '/api/admin/backup'),
  /** The passage photo (supervisor session) as an object URL; revoke it when done. */
  attendancePhoto: (eventId: string) => fetchObjectUrl(`/api/attendance/${encodeURIComponent(eventId)}/photo`),
  demoPassage: (body: { laneId: string; workerId: number | null; direction: 'in' | 'out' }) =>
    request<Reply<'POST /api/demo/passage'>>('POST', '/api/demo/passage', { body }),
};
