// Client of the routes added for the kiosk walkthrough (issue 16): the first-run wizard
// (setup-routes.ts), the demo's card picker and notes (demo-routes.ts), the worker screen's
// photo, history and face re-capture and the enrollment's "already enrolled?" check
// (worker-detail-routes.ts), and device health with the lanes each turnstile opens.
import type { DeviceHealthView, IdLookupResponse, PlatformTestRequest, Reply, SetupCurrent, SiteSetupInput } from '../../../shared/api-types.js';
import { fetchObjectUrl, request } from './http.js';

export type { DeviceHealthView, IdLookupResponse, SetupCurrent };

export const siteApi = {
  setupStatus: () => request<Reply<'GET /api/setup/status'>>('GET', '/api/setup/status', { anonymous: true }),
  setupSite: () => request<Reply<'GET /api/setup/site'>>('GET', '/api/setup/site'),
  serialPorts: () => request<Reply<'GET /api/setup/ports'>>('GET', '/api/setup/ports'),
  platformTest: (body: PlatformTestRequest) => request<Reply<'POST /api/setup/platform-test'>>('POST', '/api/setup/platform-test', { body }),
  saveSetup: (body: SiteSetupInput) => request<Reply<'POST /api/setup'>>('POST', '/api/setup', { body }),

  demoInfo: () => request<Reply<'GET /api/demo/info'>>('GET', '/api/demo/info'),
  /** Puts a deck card on the simulated reader (null: takes it away). */
  placeDemoCard: (key: string | null) => request<Reply<'POST /api/demo/card'>>('POST', '/api/demo/card', { body: { key } }),

  devices: () => request<Reply<'GET /api/devices'>>('GET', '/api/devices'),

  workerPhotoUrl: (id: number) => fetchObjectUrl(`/api/workers/${id}/photo`),
  workerAttendance: (id: number, limit = 30) =>
    request<Reply<'GET /api/workers/:id/attendance'>>('GET', `/api/workers/${id}/attendance`, { query: { limit } }),
  recaptureFace: (id: number, sessionId: string) =>
    request<Reply<'POST /api/workers/:id/face'>>('POST', `/api/workers/${id}/face`, { body: { sessionId } }),
  lookupId: (idType: string, idNumber: string) =>
    request<Reply<'POST /api/workers/lookup'>>('POST', '/api/workers/lookup', { body: { idType, idNumber } }),
  cardEnrolled: (readId: string) =>
    request<Reply<'GET /api/enrollment/card/:readId/enrolled'>>('GET', `/api/enrollment/card/${encodeURIComponent(readId)}/enrolled`),
  passagePhotoUrl: (eventId: string) => fetchObjectUrl(`/api/attendance/${encodeURIComponent(eventId)}/photo`),
};
