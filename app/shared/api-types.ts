// Request schemas (zod) and response types of the local API, shared by the server and the UI.
import { z } from 'zod';
import type { Bilingual } from './i18n/messages.js';
import { isCalendarDate } from '../../edge-core/src/domain/resident-id.js';
import { safeText } from './safe-text.js';
import type { VisitorPassageRecord, VisitorPassRecord } from '../../edge-core/src/store/visitor-repo.js';

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

export type EnrollmentSaveRequest = z.infer<typeof enrollmentSaveRequest>;
export type LoginRequest = z.infer<typeof loginRequest>;
export type AccountCreateRequest = z.infer<typeof accountCreateRequest>;
export type FirstSetupRequest = z.infer<typeof firstSetupRequest>;
export type WorkerRequest = z.infer<typeof workerRequest>;

export interface ApiErrorBody {
  error: { code: string; message: Bilingual; details?: unknown };
}

export interface ComponentHealth {
  ok: boolean;
  detail?: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  demo: boolean;
  uptimeS: number;
  components: Record<string, ComponentHealth>;
}

export interface SessionResponse {
  token: string;
  role: 'clerk' | 'supervisor' | 'admin';
  expiresAt: number;
  /** The person signed in (named accounts). */
  account: { id: number; name: string };
}

/** A person the keypad offers (GET /api/session/accounts, this machine only). */
export interface SignInChoice {
  id: number;
  name: string;
  role: 'clerk' | 'supervisor' | 'admin';
}

export type LiveEvent =
  | {
      type: 'passage';
      laneId: string;
      /** Empty for a suppressed duplicate (no record written). */
      eventId: string;
      decision: 'pass' | 'refuse';
      direction: 'in' | 'out';
      workerId?: number | null;
      workerName: string | null;
      teamName: string | null;
      /** The passage photo (GET, loopback kiosk or supervisor). */
      photoUrl?: string | null;
      /** Reason codes, liveness signal first (e.g. liveness.planar_motion, not_enrolled). */
      reasons: string[];
      reasonTexts?: Bilingual[];
      /** The turnstile confirmed the open command. */
      opened?: boolean;
      /** A visitor pass (访客码) passage: the pass id (workerName is the visitor's name). */
      visitorPassId?: string | null;
      duplicate?: boolean;
      at: number;
    }
  | { type: 'device.health'; deviceId: string; ok: boolean; state?: 'ok' | 'degraded' | 'offline'; kind?: string; detail?: string; at: number }
  | { type: 'card.read'; readId: string; at: number }
  | { type: 'worker.saved'; workerId: number; at: number }
  | { type: 'card.error'; code: string; message: Bilingual; at: number }
  | { type: 'card.removed'; at: number }
  | { type: 'sync.progress'; backlog: number; sent: number; parked: number; lastError?: string; at: number }
  | { type: 'task.progress'; task: string; done: number; total: number; at: number };

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

export interface CalendarDayView {
  date: string;
  /** ISO weekday 1 = Mon … 7 = Sun. */
  weekday: number;
  dayType: 'workday' | 'holiday' | 'stoppage';
  construction: boolean;
  /** The mark in force (the platform's wins over a local one). */
  mark: { kind: CalendarMarkKind; reason: string; source: 'local' | 'platform'; setBy: string; updatedAt: number } | null;
  /** A local mark overridden by the platform's, shown so the admin sees both. */
  overriddenLocal: { kind: CalendarMarkKind; reason: string; setBy: string } | null;
}

export interface CalendarMonthResponse {
  month: string;
  days: CalendarDayView[];
  constructionDays: number;
  base: { start: string | null; end: string | null; restWeekdays: number[] };
  import: {
    state: 'never' | 'off' | 'ok' | 'unsupported' | 'failed';
    at: number | null;
    added: number;
    changed: number;
    removed: number;
    rejected: number;
    error: Bilingual | null;
  };
}

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

export interface VisitorPassView extends VisitorPassRecord {
  /** 'active', 'not_yet_valid', 'expired', 'revoked' or 'used_up', as of the answer. */
  state: 'active' | 'not_yet_valid' | 'expired' | 'revoked' | 'used_up';
  /** The signed code the QR carries. */
  code: string;
}

export interface VisitorPassageView extends Omit<VisitorPassageRecord, 'seq' | 'localDate' | 'reasons'> {
  reasons: Array<{ code: string; zh: string; en: string }>;
}

// --- time windows (通行时段) preview ------------------------------------------------------------------
export const timeWindowPreviewRequest = z.strictObject({
  /** A draft of `timeWindows` being edited (validated like the policy); absent: the saved policy. */
  timeWindows: z.unknown().optional(),
  /** The instant to preview (UTC ms); default now. */
  at: z.number().int().positive().max(Date.UTC(3000, 0, 1) - 1).optional(),
});
