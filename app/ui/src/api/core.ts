// Typed client of the routes the core offers today (app/server/api/routes.ts). Request bodies
// use the shared zod-inferred types; responses the shared or edge-core types (type-only
// imports: nothing of edge-core's runtime is bundled into the UI).
import type {
  HealthResponse,
  SessionResponse,
  WorkerRequest,
  LoginRequest,
} from '../../../shared/api-types.js';
import type {
  Employer,
  Team,
  WorkerSummary,
  WorkerRecord,
  AttendanceEvent,
  Lane,
  TodaySummary,
  Project,
  Role,
  AuditEntry,
} from '../../../../edge-core/src/index.js';
import type { DeviceHealth } from '../../../../edge-core/src/ports/devices.js';
import { fetchObjectUrl, request } from './http.js';

export type { DeviceHealth };
export type { Employer, Team, WorkerSummary, AttendanceEvent, Lane, TodaySummary, Project, Role, AuditEntry };
export type WorkerDetail = Omit<WorkerRecord, 'idNumber' | 'bankCard'> & { bankCardMasked: string | null };
export type WorkerStatusValue = WorkerSummary['status'];

export interface SetupStatus {
  pinsSet: Record<Role, boolean>;
  project: Project | null;
}

export const coreApi = {
  health: () => request<HealthResponse>('GET', '/health', { anonymous: true }),
  setupStatus: () => request<SetupStatus>('GET', '/api/setup/status', { anonymous: true }),
  login: (body: LoginRequest) => request<SessionResponse>('POST', '/api/session', { body, anonymous: true }),
  logout: () => request<{ ok: true }>('DELETE', '/api/session'),

  employers: () => request<Employer[]>('GET', '/api/employers'),
  teams: () => request<Team[]>('GET', '/api/teams'),
  workers: (
    q: { q?: string; teamId?: number; status?: WorkerStatusValue; limit?: number; offset?: number } = {},
  ) => request<WorkerSummary[]>('GET', '/api/workers', { query: q }),
  worker: (id: number) => request<WorkerDetail>('GET', `/api/workers/${id}`),
  createWorker: (body: WorkerRequest) =>
    request<{ id: number; name: string; idNumberMasked: string }>('POST', '/api/workers', { body }),
  setWorkerStatus: (id: number, status: WorkerStatusValue, reason: string) =>
    request<{ ok: true }>('POST', `/api/workers/${id}/status`, { body: { status, reason } }),

  attendance: (
    q: { date?: string; workerId?: number; laneId?: string; limit?: number; beforeSeq?: number } = {},
  ) => request<AttendanceEvent[]>('GET', '/api/attendance', { query: q }),
  today: () => request<TodaySummary>('GET', '/api/dashboard/today'),
  lanes: () => request<Lane[]>('GET', '/api/lanes'),
  devices: () => request<DeviceHealth[]>('GET', '/api/devices', { anonymous: true }),
  audit: () => request<AuditEntry[]>('GET', '/api/audit'),
  setPin: (role: Role, pin: string) =>
    request<{ ok: true }>('PUT', '/api/admin/pins', { body: { role, pin } }),
  backup: () => request<{ ok: true; file: string }>('POST', '/api/admin/backup'),
  /** The passage photo (supervisor session) as an object URL; revoke it when done. */
  attendancePhoto: (eventId: string) => fetchObjectUrl(`/api/attendance/${encodeURIComponent(eventId)}/photo`),
  demoPassage: (body: { laneId: string; workerId: number | null; direction: 'in' | 'out' }) =>
    request<{ id: string; seq: number }>('POST', '/api/demo/passage', { body }),
};
