// Client of the routes added for the kiosk walkthrough (issue 16): the first-run wizard
// (setup-routes.ts), the demo's card picker and notes (demo-routes.ts), the worker screen's
// photo, history and face re-capture and the enrollment's "already enrolled?" check
// (worker-detail-routes.ts), and device health with the lanes each turnstile opens.
import type {
  DemoInfoResponse,
  IdLookupResponse,
  PlatformTestRequest,
  PlatformTestResponse,
  SerialPortInfo,
  SetupStatusResponse,
  SiteSetupInput,
} from '../../../shared/api-types.js';
import type { DeviceHealth } from '../../../../edge-core/src/ports/devices.js';
import type { AttendanceEvent } from './core.js';
import { fetchObjectUrl, request } from './http.js';

export type DeviceHealthView = DeviceHealth & { lanes?: string[] };
export type SetupCurrent = NonNullable<SetupStatusResponse['current']>;

export const siteApi = {
  setupStatus: () => request<SetupStatusResponse>('GET', '/api/setup/status', { anonymous: true }),
  setupSite: () => request<SetupCurrent>('GET', '/api/setup/site'),
  serialPorts: () => request<SerialPortInfo[]>('GET', '/api/setup/ports'),
  platformTest: (body: PlatformTestRequest) => request<PlatformTestResponse>('POST', '/api/setup/platform-test', { body }),
  saveSetup: (body: SiteSetupInput) => request<{ ok: true; restarting: boolean }>('POST', '/api/setup', { body }),

  demoInfo: () => request<DemoInfoResponse>('GET', '/api/demo/info'),
  /** Puts a deck card on the simulated reader (null: takes it away). */
  placeDemoCard: (key: string | null) => request<{ ok: true }>('POST', '/api/demo/card', { body: { key } }),

  devices: () => request<DeviceHealthView[]>('GET', '/api/devices'),

  workerPhotoUrl: (id: number) => fetchObjectUrl(`/api/workers/${id}/photo`),
  workerAttendance: (id: number, limit = 30) =>
    request<AttendanceEvent[]>('GET', `/api/workers/${id}/attendance`, { query: { limit } }),
  recaptureFace: (id: number, sessionId: string) =>
    request<{ templates: number; idMatchScore: number | null }>('POST', `/api/workers/${id}/face`, { body: { sessionId } }),
  lookupId: (idType: string, idNumber: string) =>
    request<IdLookupResponse>('POST', '/api/workers/lookup', { body: { idType, idNumber } }),
  cardEnrolled: (readId: string) =>
    request<IdLookupResponse>('GET', `/api/enrollment/card/${encodeURIComponent(readId)}/enrolled`),
  passagePhotoUrl: (eventId: string) => fetchObjectUrl(`/api/attendance/${encodeURIComponent(eventId)}/photo`),
};
