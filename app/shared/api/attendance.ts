// Responses about passages and what is made of them: attendance records, today's dashboard,
// the audit log, make-up records, the construction calendar, the compliance reports.
import { z } from 'zod';
import { MANAGEMENT_ROLES } from '../../../edge-core/src/domain/personnel.js';
import { bilingual, decision, direction, epochMs, localDate } from './common.js';

export const makeupConfirmation = z.strictObject({ confirmedBy: z.string(), documentNo: z.string(), reason: z.string(), confirmedAt: epochMs });

export const attendanceEvent = z.strictObject({
  id: z.string(),
  seq: z.number().int(),
  laneId: z.string(),
  workerId: z.number().int().nullable(),
  workerName: z.string().nullable(),
  direction,
  occurredAt: epochMs,
  timeZone: z.string(),
  localDate,
  decision,
  reasons: z.array(z.string()),
  scores: z.record(z.string(), z.number()),
  hasPhoto: z.boolean(),
  makeup: makeupConfirmation.nullable(),
});

/** A passage as recorded (the demo's passage; `seq` 0 and `id` '' for a repeat scan, which records nothing). */
export const committedPassage = z.strictObject({
  id: z.string(),
  seq: z.number().int(),
  occurredAt: epochMs,
  localDate: localDate.optional(),
  timeZone: z.string().optional(),
});

/** POST /api/attendance/makeup: what was recorded, said back whole. */
export const makeupResponse = z.strictObject({
  id: z.string(),
  seq: z.number().int(),
  occurredAt: epochMs,
  localDate,
  timeZone: z.string(),
  workerId: z.number().int(),
  workerName: z.string().nullable(),
  direction,
  laneId: z.literal('makeup'),
});

export const todaySummary = z.strictObject({
  localDate,
  teams: z.array(z.strictObject({ teamId: z.number().int().nullable(), teamName: z.string().nullable(), in: z.number().int(), out: z.number().int(), people: z.number().int() })),
  passes: z.number().int(),
  refusals: z.number().int(),
  onSiteNow: z.number().int(),
  sync: z.strictObject({ backlog: z.number().int(), parked: z.number().int(), oldestUnsentAt: epochMs.nullable(), lastSentAt: epochMs.nullable() }),
});

export const auditEntry = z.strictObject({
  id: z.number().int(),
  at: epochMs,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

// --- construction calendar (施工日历) ----------------------------------------------------------------
export const calendarMarkKind = z.enum(['weather', 'stoppage', 'holiday', 'workday']);
export const calendarDayView = z.strictObject({
  date: localDate,
  /** ISO weekday 1 = Mon … 7 = Sun. */
  weekday: z.number().int().min(1).max(7),
  dayType: z.enum(['workday', 'holiday', 'stoppage']),
  construction: z.boolean(),
  /** The mark in force (the platform's wins over a local one). */
  mark: z.strictObject({ kind: calendarMarkKind, reason: z.string(), source: z.enum(['local', 'platform']), setBy: z.string(), updatedAt: epochMs }).nullable(),
  /** A local mark overridden by the platform's, shown so the admin sees both. */
  overriddenLocal: z.strictObject({ kind: calendarMarkKind, reason: z.string(), setBy: z.string() }).nullable(),
});
export const calendarBase = z.strictObject({ start: localDate.nullable(), end: localDate.nullable(), restWeekdays: z.array(z.number().int()) });
const importState = z.enum(['never', 'off', 'ok', 'unsupported', 'failed']);
export const calendarMonthResponse = z.strictObject({
  month: z.string(),
  days: z.array(calendarDayView),
  constructionDays: z.number().int(),
  base: calendarBase,
  import: z.strictObject({
    state: importState,
    at: epochMs.nullable(),
    added: z.number().int(),
    changed: z.number().int(),
    removed: z.number().int(),
    rejected: z.number().int(),
    error: bilingual.nullable(),
  }),
});
export const calendarMarkResponse = z.strictObject({ changed: z.array(localDate) });
export const calendarUnmarkResponse = z.strictObject({ removed: z.array(localDate) });
export const calendarImportResponse = z.strictObject({
  state: importState,
  at: epochMs.nullable(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  rejected: z.array(z.strictObject({ index: z.number().int(), problem: z.string() })),
  error: bilingual.nullable(),
});

// --- reports (the rules in edge-core/src/rules compute them; their types are the screens') -----------
const rateFigures = z.strictObject({
  constructionDays: z.number().int(),
  elapsedDays: z.number().int(),
  validDays: z.number().int(),
  percent: z.number().nullable(),
  projectedPercent: z.number().nullable(),
  requiredDays: z.number().int(),
  stillNeeded: z.number().int(),
  remainingDays: z.number().int(),
  status: z.enum(['met', 'below', 'on_track', 'at_risk', 'unreachable', 'not_applicable']),
  warning: bilingual.nullable(),
});
const completenessIssue = z.strictObject({ code: z.string(), severity: z.string(), problem: bilingual, fix: bilingual });
/** GET /api/reports/management: the managers' attendance against the province's lines. */
export const managementReport = z.strictObject({
  month: z.string(),
  asOf: localDate,
  monthComplete: z.boolean(),
  thresholds: z.strictObject({ personPercent: z.number(), combinedPercent: z.number() }),
  persons: z.array(
    rateFigures.extend({
      workerId: z.number().int().nullable(),
      managementRole: z.enum(MANAGEMENT_ROLES),
      roleName: bilingual,
      missedDates: z.array(localDate),
      attendedDates: z.array(localDate),
      nonConstructionDates: z.array(localDate),
      rejectedMakeupEventIds: z.array(z.string()),
      unfilled: z.boolean(),
      name: z.string().nullable(),
    }),
  ),
  combined: rateFigures,
  projectFlagged: z.boolean(),
  projectWarning: bilingual.nullable(),
});
/** GET /api/reports/completeness: what the platform's yellow light would flag. */
export const completenessReport = z.strictObject({
  asOf: localDate,
  workers: z.array(z.strictObject({ workerId: z.number().int(), name: z.string(), issues: z.array(completenessIssue) })),
  project: z.array(completenessIssue),
  notChecked: z.array(bilingual),
  yellowCount: z.number().int(),
  wouldFlagYellow: z.boolean(),
});

export type AttendanceEvent = z.infer<typeof attendanceEvent>;
export type TodaySummary = z.infer<typeof todaySummary>;
export type AuditEntry = z.infer<typeof auditEntry>;
export type MakeupResponse = z.infer<typeof makeupResponse>;
export type CalendarMarkKind = z.infer<typeof calendarMarkKind>;
export type CalendarDayView = z.infer<typeof calendarDayView>;
export type CalendarMonthResponse = z.infer<typeof calendarMonthResponse>;
export type CalendarBase = z.infer<typeof calendarBase>;
export type CalendarImportResponse = z.infer<typeof calendarImportResponse>;
