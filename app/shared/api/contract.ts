// The contract of the local API: for every route, the schema of its success reply (JSON), or
// the kind of file it answers with. The contract test (app/test/api.contract.test.ts) calls
// every route the core registers and fails on a route missing here or a reply that does not
// parse; the server's handlers return the inferred types (Reply<'GET /api/…'>).
import { z } from 'zod';
import { ok } from './common.js';
import * as people from './people.js';
import * as att from './attendance.js';
import * as gate from './gate.js';
import * as site from './site.js';

/** A route answering with a file or a stream, not JSON. */
export interface FileReply {
  file: string;
}
const file = (contentType: string): FileReply => ({ file: contentType });

export const RESPONSES = {
  'GET /health': site.healthResponse,
  // accounts and sessions
  'GET /api/setup/status': site.setupStatusResponse,
  'POST /api/setup/pins': people.firstSetupResponse,
  'GET /api/session/accounts': z.array(people.signInChoice),
  'POST /api/session': people.sessionResponse,
  'DELETE /api/session': ok,
  'POST /api/kiosk/session': people.kioskSessionResponse,
  'GET /api/accounts': z.array(people.account),
  'POST /api/accounts': people.account,
  'PATCH /api/accounts/:id': people.account,
  'POST /api/accounts/:id/disable': people.accountChangeResponse,
  'POST /api/accounts/:id/enable': people.accountEnableResponse,
  'PUT /api/accounts/:id/pin': people.accountChangeResponse,
  'PUT /api/admin/pins': people.rolePinResponse,
  // employers, teams, workers
  'GET /api/employers': z.array(people.employer),
  'POST /api/employers': people.employer,
  'GET /api/teams': z.array(people.team),
  'POST /api/teams': people.team,
  'GET /api/workers': z.array(people.workerSummary),
  'GET /api/workers/:id': people.workerDetail,
  'POST /api/workers': people.workerCreated,
  'PATCH /api/workers/:id': people.workerDetail,
  'POST /api/workers/:id/status': ok,
  'GET /api/workers/:id/photo': file('image/jpeg'),
  'GET /api/workers/:id/attendance': z.array(att.attendanceEvent),
  'POST /api/workers/lookup': people.idLookupResponse,
  'POST /api/workers/:id/face': people.recaptureResponse,
  // attendance, dashboard, reports, audit
  'GET /api/attendance': z.array(att.attendanceEvent),
  'GET /api/attendance/:eventId/photo': file('image/jpeg'),
  'POST /api/attendance/makeup': att.makeupResponse,
  'GET /api/dashboard/today': att.todaySummary,
  'GET /api/audit': z.array(att.auditEntry),
  'GET /api/reports/management': att.managementReport,
  'GET /api/reports/attendance-sheet': file('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv'),
  'GET /api/reports/completeness': att.completenessReport,
  'GET /api/ledger/receipt': file('application/json or text/plain (a download)'),
  // construction calendar
  'GET /api/calendar': att.calendarMonthResponse,
  'PUT /api/admin/calendar/days': att.calendarMarkResponse,
  'POST /api/admin/calendar/unmark': att.calendarUnmarkResponse,
  'PUT /api/admin/calendar/base': att.calendarBase,
  'POST /api/admin/calendar/import': att.calendarImportResponse,
  // gate, lanes, devices
  'GET /api/lanes': z.array(gate.lane),
  'GET /api/devices': z.array(gate.deviceHealth),
  'POST /api/lanes/:laneId/frames': gate.frameOutcome,
  'GET /api/lanes/:laneId/still.jpg': file('image/jpeg'),
  'GET /api/lanes/:laneId/live.mjpeg': file('multipart/x-mixed-replace'),
  'GET /api/lanes/:laneId/live.mp4': file('fMP4 over WebSocket'),
  'GET /api/gate/policy': gate.gatePolicy,
  'PUT /api/gate/policy': gate.gatePolicySaved,
  'POST /api/gate/time-windows/preview': gate.timeWindowPreview,
  // enrollment
  'GET /api/enrollment/card': gate.currentCardResponse,
  'GET /api/enrollment/card/:readId/photo': file('image/jpeg'),
  'GET /api/enrollment/card/:readId/enrolled': people.idLookupResponse,
  'POST /api/enrollment/sessions': gate.captureSessionOpened,
  'POST /api/enrollment/sessions/:id/frames': gate.frameFeedback,
  'POST /api/enrollment/sessions/:id/match': gate.idPhotoMatch,
  'POST /api/enrollment/sessions/:id/card-image/:side': gate.cardImageResponse,
  'POST /api/enrollments': gate.enrollmentSaved,
  // demo
  'GET /api/demo/info': gate.demoInfoResponse,
  'POST /api/demo/card': ok,
  'POST /api/demo/passage': att.committedPassage,
  // first-run wizard
  'GET /api/setup/site': site.setupCurrent,
  'GET /api/setup/ports': z.array(site.serialPortInfo),
  'POST /api/setup/platform-test': site.platformTestResponse,
  'POST /api/setup': site.setupSaved,
  // platform link
  'GET /api/sync/status': site.syncStatus,
  'POST /api/sync/retry': site.syncRetryResponse,
  'GET /api/sync/parked': z.array(site.parkedRecord),
  'PUT /api/admin/platform-secret': site.platformSecretSaved,
  // admin
  'POST /api/admin/backup': site.backupResponse,
  'GET /api/admin/cameras': site.camerasResponse,
  'GET /api/admin/voice-templates': site.voiceTemplates,
  'PUT /api/admin/voice-templates': ok,
  'POST /api/admin/restart': site.restartResponse,
  'GET /api/admin/remote': site.remoteResponse,
  // visitor passes
  'POST /api/visitor-passes': site.visitorPassView,
  'GET /api/visitor-passes': z.array(site.visitorPassView),
  'GET /api/visitor-passes/:id': site.visitorPassView,
  'POST /api/visitor-passes/:id/revoke': site.visitorPassView,
  'GET /api/visitor-passages': z.array(site.visitorPassageView),
  'POST /api/lanes/:laneId/visitor-code': site.visitorCodeResponse,
  // the live stream: its messages are `liveEvent` (live.ts)
  'GET /api/events': file('WebSocket, JSON text frames: liveEvent'),
} as const satisfies Record<string, z.ZodType | FileReply>;

export type RouteKey = keyof typeof RESPONSES;
type JsonRoute = { [K in RouteKey]: (typeof RESPONSES)[K] extends z.ZodType ? K : never }[RouteKey];
/** The success reply of a JSON route, as the handler returns it and the UI receives it. */
export type Reply<K extends JsonRoute> = (typeof RESPONSES)[K] extends z.ZodType ? z.infer<(typeof RESPONSES)[K]> : never;
