// Request schemas (zod) of the local API, shared by the server and the UI. The response schemas
// are in ./api/ (one file per resource, the route table in ./api/contract.ts); their inferred
// types are re-exported here for the modules that import them from this file.
import { z } from 'zod';
import type { Bilingual } from './i18n/messages.js';
import { isCalendarDate } from '../../edge-core/src/domain/resident-id.js';
import { safeText } from './safe-text.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isCalendarDate, 'a real date YYYY-MM-DD (1900–2999)');

const roleName = z.enum(['clerk', 'supervisor', 'admin']);
const newPin = z.string().regex(/^\d{6,12}$/, '6–12 digits');

/**
 * Sign-in: the account number and its PIN. Older clients send a role instead of the account:
 * accepted while exactly one enabled account has that role.
 */
export const loginRequest = z
  .strictObject({
    account: z.number().int().positive().max(999_999).optional(),
    role: roleName.optional(),
    pin: z.string().min(1).max(32),
  })
  .superRefine((v, ctx) => {
    if ((v.account === undefined) === (v.role === undefined)) ctx.addIssue({ code: 'custom', path: ['account'], message: 'give the account number (older clients: the role), exactly one of the two' });
  });

/** Older clients: a new PIN for the one enabled account of a role. */
export const setPinRequest = z.strictObject({
  role: roleName,
  pin: newPin,
});

/** A person's account: shown name (unique, case-insensitive), role (fixed), first PIN. */
export const accountCreateRequest = z.strictObject({
  name: safeText(1, 40),
  role: roleName,
  pin: newPin,
});
export const accountRenameRequest = z.strictObject({ name: safeText(1, 40) });
export const accountPinRequest = z.strictObject({ pin: newPin });

/**
 * First-run set-up. Either the named accounts to create (at least one admin), or — the older
 * body — one PIN per role, which creates one account per role named after the role, to be
 * renamed to its user later.
 */
export const firstSetupRequest = z
  .strictObject({
    accounts: z.array(accountCreateRequest).min(1).max(20).optional(),
    admin: newPin.optional(),
    supervisor: newPin.optional(),
    clerk: newPin.optional(),
  })
  .superRefine((v, ctx) => {
    const roles = [v.admin, v.supervisor, v.clerk].filter((p) => p !== undefined).length;
    if (v.accounts) {
      if (roles) ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'either accounts, or admin/supervisor/clerk PINs, not both' });
      else if (!v.accounts.some((a) => a.role === 'admin')) ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'at least one admin account' });
    } else if (roles !== 3) ctx.addIssue({ code: 'custom', path: ['admin'], message: 'accounts [{ name, role, pin }], or all three of admin, supervisor and clerk PINs' });
  });

export const employerRequest = z.strictObject({
  name: safeText(1, 100),
  creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '18-character unified social credit code'),
  corpType: z.enum(['general', 'sub', 'labour']),
});

export const teamRequest = z.strictObject({
  employerId: z.number().int().positive(),
  name: safeText(1, 50),
});

export const workerRequest = z.strictObject({
  name: safeText(1, 50),
  idType: z.enum(['01', '14', '18', '19', '20', '21', '08', '10', '12', '99']),
  idNumber: z.string().trim().min(6).max(32),
  sex: z.enum(['M', 'F', 'U']).nullish(),
  nation: safeText(0, 20).nullish(),
  birthDate: date.nullish(),
  address: safeText(0, 200).nullish(),
  issuingAuthority: safeText(0, 100).nullish(),
  validFrom: date.nullish(),
  validTo: date.nullish(),
  phone: z.string().regex(/^1\d{10}$/).nullish(),
  tradeCode: z.string().regex(/^\d{3}$/),
  role: z.enum(['worker', 'manager']),
  managementRole: z
    .enum(['project_manager', 'technical_lead', 'quality_officer', 'safety_officer', 'construction_officer', 'labour_officer'])
    .nullish(),
  employerId: z.number().int().positive().nullish(),
  teamId: z.number().int().positive().nullish(),
  isTeamLeader: z.boolean().optional(),
  hasContract: z.boolean().optional(),
  contractStart: date.nullish(),
  contractEnd: date.nullish(),
  hasInsurance: z.boolean().optional(),
  insuranceStart: date.nullish(),
  insuranceEnd: date.nullish(),
  bankCard: z.string().regex(/^\d{12,19}$/).nullish(),
  bankCode: z.string().max(20).nullish(),
  manualEntry: z.boolean().optional(),
});

/** Editable after enrollment; identity fields come from the card and are not editable here. */
export const workerPatchRequest = workerRequest
  .pick({
    phone: true,
    tradeCode: true,
    role: true,
    managementRole: true,
    employerId: true,
    teamId: true,
    isTeamLeader: true,
    hasContract: true,
    contractStart: true,
    contractEnd: true,
    hasInsurance: true,
    insuranceStart: true,
    insuranceEnd: true,
    bankCard: true,
    bankCode: true,
  })
  .partial();

export const workerStatusRequest = z.strictObject({
  status: z.enum(['active', 'inactive', 'blacklisted']),
  reason: safeText(1, 200),
});

export const workerListQuery = z.strictObject({
  q: z.string().max(40).optional(),
  teamId: z.coerce.number().int().positive().optional(),
  status: z.enum(['active', 'inactive', 'blacklisted']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const attendanceQuery = z.strictObject({
  date: date.optional(),
  workerId: z.coerce.number().int().positive().optional(),
  laneId: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
});

export const demoPassageRequest = z.strictObject({
  laneId: z.string().min(1).max(32),
  workerId: z.number().int().positive().nullable(),
  direction: z.enum(['in', 'out']),
  /**
   * Demo and tests: refuse with these gate reasons (e.g. helmet_missing). `duplicate_scan` plays a
   * repeat scan as the lane does: announced and shown, nothing recorded.
   */
  reasons: z.array(z.enum(['helmet_missing', 'mask_missing', 'contract_expired', 'outside_time_window', 'anti_passback', 'duplicate_scan'])).max(3).optional(),
});

const assignmentFields = workerRequest.omit({ name: true, idType: true, idNumber: true, sex: true, nation: true, birthDate: true, address: true, issuingAuthority: true, validFrom: true, validTo: true, manualEntry: true });

export const enrollmentSaveRequest = z.strictObject({
  /** Chosen by the UI once per draft, so a repeated save returns the first result. */
  clientRequestId: z.uuid(),
  sessionId: z.uuid(),
  /** The held card read; absent only on the flagged manual-entry path. */
  readId: z.uuid().nullish(),
  manual: workerRequest.pick({ name: true, idType: true, idNumber: true, sex: true, nation: true, birthDate: true, address: true, issuingAuthority: true, validFrom: true, validTo: true }).nullish(),
  assignment: assignmentFields,
  /** Admins only: save without a 1:1 face-vs-card result of this capture session, with a written reason (audited). */
  idMatchOverride: z.strictObject({ reason: z.string().trim().min(5).max(500) }).nullish(),
});

export const demoCardRequest = z.strictObject({ key: z.string().min(1).max(40).nullable() });

/** Is this ID number already enrolled? (asked at the enrollment's card step, manual entry). */
export const idLookupRequest = z.strictObject({
  idType: workerRequest.shape.idType,
  idNumber: z.string().trim().min(6).max(32),
});

/** Replaces a worker's face templates with a new live capture (the worker screen's re-capture). */
export const workerFaceRequest = z.strictObject({ sessionId: z.uuid() });

const laneId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and dashes');
const serialPath = z.string().trim().min(1).max(200);
const channels = z.strictObject({ in: z.number().int().min(0).max(65535), out: z.number().int().min(0).max(65535) });

/** One lane's turnstile controller as the first-run wizard asks for it. */
export const setupTurnstile = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('modbus_relay'), path: serialPath, unit: z.number().int().min(0).max(247).default(1), channels }),
  z.strictObject({ type: z.literal('wiegand_converter'), path: serialPath, format: z.union([z.literal(26), z.literal(34)]).default(26), facility: z.number().int().min(0).max(65535).default(1), channels }),
  z.strictObject({ type: z.literal('lcus_relay'), path: serialPath, channels }),
]);

/** The platform connection as the wizard asks for it (the appsecret is stored encrypted, never in the file). */
export const setupPlatform = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('off') }),
  z.strictObject({
    type: z.literal('remote'),
    endpoint: z.url().max(300),
    appId: z.string().trim().min(1).max(100),
    appsecret: z.string().min(8).max(128),
  }),
]);

/** POST /api/setup: everything the first-run wizard collected, saved in one go. */
export const siteSetupRequest = z.strictObject({
  /** One PIN per role: the wizard makes one account per role, named after it (renamed later). */
  pins: z.strictObject({ admin: newPin, supervisor: newPin, clerk: newPin }),
  project: z.strictObject({
    code: z.string().trim().min(1).max(40),
    name: z.string().trim().min(1).max(100),
    timeZone: z.string().trim().min(1).max(64).default('Asia/Shanghai'),
  }),
  lanes: z
    .array(z.strictObject({ id: laneId, name: z.string().trim().min(1).max(40), direction: z.enum(['in', 'out']), turnstile: setupTurnstile }))
    .min(1)
    .max(16)
    .refine((ls) => new Set(ls.map((l) => l.id)).size === ls.length, 'lane ids must differ'),
  devices: z.strictObject({
    /** Simulated reader and turnstiles (to try the appliance without hardware). */
    simulate: z.boolean(),
    idCardReaderPath: serialPath.nullable(),
  }),
  platform: setupPlatform,
});

/** POST /api/setup/platform-test: one read-only call to the platform with these settings. */
export const platformTestRequest = z.strictObject({
  endpoint: z.url().max(300),
  appId: z.string().trim().min(1).max(100),
  /** Absent: the appsecret already stored (Settings). */
  appsecret: z.string().min(8).max(128).optional(),
  projectCode: z.string().trim().min(1).max(40),
});

export type SiteSetupRequest = z.infer<typeof siteSetupRequest>;
export type SiteSetupInput = z.input<typeof siteSetupRequest>;
export type PlatformTestRequest = z.infer<typeof platformTestRequest>;
export type EnrollmentSaveRequest = z.infer<typeof enrollmentSaveRequest>;
export type LoginRequest = z.infer<typeof loginRequest>;
export type AccountCreateRequest = z.infer<typeof accountCreateRequest>;
export type FirstSetupRequest = z.infer<typeof firstSetupRequest>;
export type WorkerRequest = z.infer<typeof workerRequest>;

export interface ApiErrorBody {
  error: { code: string; message: Bilingual; details?: unknown };
}

// --- construction calendar (施工日历) -----------------------------------------------------------
/** A site-local date the calendar can hold (1970–2999; the report helpers' range). */
const calendarDate = date.refine((d) => d >= '1970-01-01' && d <= '2999-12-31', 'a date between 1970 and 2999');

export const calendarMonthQuery = z.strictObject({
  month: z.string().regex(/^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/, 'YYYY-MM (1970–2999)').optional(),
});

export const calendarMarkRequest = z.strictObject({
  /** One or more days (a week of rain is one request, one audit entry). */
  dates: z.array(calendarDate).min(1).max(366),
  /** weather 天气 / stoppage 停工 / holiday 节假日 → no construction; workday → 调休 construction day. */
  kind: z.enum(['weather', 'stoppage', 'holiday', 'workday']),
  reason: z.string().trim().min(1).max(200),
});

export const calendarUnmarkRequest = z.strictObject({
  dates: z.array(calendarDate).min(1).max(366),
  /** Why the mark is withdrawn (kept in the audit log). */
  reason: z.string().trim().min(1).max(200),
});

export const calendarBaseRequest = z
  .strictObject({
    start: calendarDate.nullable().optional(),
    end: calendarDate.nullable().optional(),
    restWeekdays: z.array(z.number().int().min(1).max(7)).max(7),
  })
  .refine((b) => !b.start || !b.end || b.start <= b.end, { message: 'end is before start', path: ['end'] });

export type CalendarMarkKind = z.infer<typeof calendarMarkRequest>['kind'];


// --- visitor passes (访客码) -----------------------------------------------------------------------
const epochMs = z.number().int().positive().max(Date.UTC(3000, 0, 1) - 1);

export const visitorPassRequest = z.strictObject({
  name: z.string().trim().min(1).max(50),
  /** Whom the visitor sees (a person or an office). */
  host: z.string().trim().min(1).max(50),
  purpose: z.string().trim().min(1).max(100),
  phone: z.string().regex(/^1\d{10}$/).nullish(),
  /** UTC ms; the pass is valid from `validFrom` (inclusive) to `validTo` (exclusive). */
  validFrom: epochMs,
  validTo: epochMs,
  /** Entries allowed (null: any number within the validity). */
  maxEntries: z.number().int().min(1).max(100).nullish(),
  escortRequired: z.boolean().optional(),
  /** Lanes where the pass works (null: all). */
  laneIds: z.array(z.string().min(1).max(32)).min(1).max(16).nullish(),
  /** A held ID-card read of the visitor (GET /api/enrollment/card): its number is kept, encrypted. */
  readId: z.uuid().nullish(),
});

export const visitorRevokeRequest = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const visitorListQuery = z.strictObject({
  state: z.enum(['active', 'all']).default('active'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const visitorPassagesQuery = z.strictObject({
  date: date.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const visitorCodeRequest = z.strictObject({ code: z.string().min(1).max(512) });

// --- time windows (通行时段) preview ------------------------------------------------------------------
export const timeWindowPreviewRequest = z.strictObject({
  /** A draft of `timeWindows` being edited (validated like the policy); absent: the saved policy. */
  timeWindows: z.unknown().optional(),
  /** The instant to preview (UTC ms); default now. */
  at: z.number().int().positive().max(Date.UTC(3000, 0, 1) - 1).optional(),
});

export type { Bilingual as BilingualText, ReasonText, FaceReasonJson } from './api/common.js';
export type { Account, SignInChoice, SessionResponse, Employer, Team, WorkerSummary, WorkerDetail, WorkerCreated, WorkerStatusValue, IdLookupResponse, RecaptureResponse } from './api/people.js';
export type { AttendanceEvent, TodaySummary, AuditEntry, MakeupResponse, CalendarDayView, CalendarMonthResponse, CalendarBase, CalendarImportResponse } from './api/attendance.js';
export type {
  Lane,
  DeviceHealthView,
  GateDecisionDto,
  FrameOutcomeJson,
  GatePolicySaved,
  CardSummary,
  CurrentCardResponse,
  ChallengeJson,
  LivenessJson,
  CaptureSessionOpened,
  FrameFeedbackJson,
  IdPhotoMatchJson,
  CardImageResponse,
  EnrollmentSaved,
  DemoInfoResponse,
} from './api/gate.js';
export type { ComponentHealth, HealthResponse, SetupStatusResponse, SetupCurrent, SerialPortInfo, PlatformTestResponse, SyncStatus, ParkedRecord, VoiceTemplates, VisitorPassView, VisitorPassageView, ProjectView } from './api/site.js';
export type { LiveEvent, PassageEvent } from './api/live.js';
export type { Reply, RouteKey } from './api/contract.js';
