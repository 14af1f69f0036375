// Make-up attendance (补打考勤 / 补卡), 赣建建〔2022〕9号 第六条: management personnel may never
// make up attendance; workers may, only in special cases such as a storm or a network failure,
// confirmed by the local housing and construction authority (当地住房城乡建设主管部门).
// This validates a request and produces the columns of the attendance_events row and the audit
// entry; the store writes both in one transaction.
import { localDate } from '../time/site-time.js';
import type { GateDirection } from './gate-policy.js';
import type { PersonRole, WorkerStatus } from '../domain/personnel.js';
import type { Bilingual } from './reasons.js';

export const MAKEUP_REASONS = {
  storm: { zh: '暴雨等恶劣天气', en: 'Storm or severe weather' },
  network_failure: { zh: '网络故障', en: 'Network failure' },
  power_failure: { zh: '停电', en: 'Power failure' },
  device_failure: { zh: '考勤设备故障', en: 'Attendance device failure' },
  other: { zh: '其他特殊情况', en: 'Other special case' },
} as const satisfies Record<string, Bilingual>;
export type MakeupReasonCode = keyof typeof MAKEUP_REASONS;

export interface MakeupRequest {
  workerId: number;
  direction: GateDirection;
  /** The instant being made up, UTC ms. */
  occurredAt: number;
  timeZone: string;
  reason: MakeupReasonCode;
  /** Required for 'other', optional detail otherwise. */
  reasonText?: string;
  /** Who at the authority confirmed (name and department). */
  confirmedBy: string;
  /** The authority's document or ticket number. */
  documentNo: string;
  /** When the authority confirmed, UTC ms. */
  confirmedAt: number;
  /** The local operator entering it (role or name), for the audit log. */
  enteredBy: string;
}

export interface MakeupPerson {
  workerId: number;
  role: PersonRole;
  status: WorkerStatus;
}

export interface MakeupContext {
  /** UTC ms now. */
  now: number;
  /** Earliest site-local date that may still be made up (e.g. first day of the open payroll month). */
  earliestDate?: string;
  /** The person's passed events around the instant, to refuse a make-up that duplicates a record. */
  existing?: readonly { direction: GateDirection; occurredAt: number; timeZone: string }[];
}

export type MakeupErrorCode =
  | 'makeup_management_forbidden'
  | 'makeup_person_not_active'
  | 'makeup_worker_mismatch'
  | 'makeup_confirmed_by_missing'
  | 'makeup_document_missing'
  | 'makeup_reason_text_missing'
  | 'makeup_confirmed_at_invalid'
  | 'makeup_in_future'
  | 'makeup_too_old'
  | 'makeup_duplicate';

const ERROR_TEXTS: Record<MakeupErrorCode, Bilingual> = {
  makeup_management_forbidden: { zh: '施工现场管理人员不得补打考勤记录', en: 'Management personnel may not make up attendance' },
  makeup_person_not_active: { zh: '该人员不在场（已退场或黑名单），不能补卡', en: 'The person is not active on this project' },
  makeup_worker_mismatch: { zh: '补卡人员与申请不一致', en: 'The request names another person' },
  makeup_confirmed_by_missing: { zh: '缺少主管部门确认人', en: 'Who confirmed at the authority is missing' },
  makeup_document_missing: { zh: '缺少确认文件编号', en: 'The confirmation document number is missing' },
  makeup_reason_text_missing: { zh: '其他原因须写明情况', en: 'Describe the special case' },
  makeup_confirmed_at_invalid: { zh: '确认时间无效', en: 'The confirmation time is invalid' },
  makeup_in_future: { zh: '补卡时间不能晚于当前时间', en: 'A make-up cannot be in the future' },
  makeup_too_old: { zh: '补卡日期已超出可补期限', en: 'The date can no longer be made up' },
  makeup_duplicate: { zh: '该时段已有考勤记录，无需补卡', en: 'An attendance record already exists for this time' },
};

export interface MakeupError extends Bilingual {
  code: MakeupErrorCode;
}

/** The make-up columns of attendance_events (is_makeup = 1). */
export interface MakeupRecordFields {
  workerId: number;
  direction: GateDirection;
  occurredAt: number;
  timeZone: string;
  localDate: string;
  decision: 'pass';
  isMakeup: true;
  makeupConfirmedBy: string;
  makeupDocumentNo: string;
  /** 'storm' or 'other: text' etc.; the code first so it stays machine-readable. */
  makeupReason: string;
  makeupConfirmedAt: number;
}

export type MakeupValidation =
  | { ok: true; record: MakeupRecordFields; audit: { action: 'attendance.makeup'; actor: string; target: string; details: Record<string, string | number> } }
  | { ok: false; errors: MakeupError[] };

/** A duplicate is an existing record of the same direction within this many minutes. */
export const MAKEUP_DUPLICATE_MINUTES = 30;

function err(code: MakeupErrorCode): MakeupError {
  return { code, ...ERROR_TEXTS[code] };
}

/** Validates a make-up request; every problem is listed. */
export function validateMakeup(request: MakeupRequest, person: MakeupPerson, ctx: MakeupContext): MakeupValidation {
  const errors: MakeupError[] = [];
  if (person.role === 'manager') errors.push(err('makeup_management_forbidden'));
  if (person.status !== 'active') errors.push(err('makeup_person_not_active'));
  if (person.workerId !== request.workerId) errors.push(err('makeup_worker_mismatch'));
  const confirmedBy = request.confirmedBy.trim();
  const documentNo = request.documentNo.trim();
  const reasonText = (request.reasonText ?? '').trim();
  if (!confirmedBy) errors.push(err('makeup_confirmed_by_missing'));
  if (!documentNo) errors.push(err('makeup_document_missing'));
  if (request.reason === 'other' && !reasonText) errors.push(err('makeup_reason_text_missing'));
  if (!Number.isFinite(request.confirmedAt) || request.confirmedAt > ctx.now) errors.push(err('makeup_confirmed_at_invalid'));
  if (request.occurredAt > ctx.now) errors.push(err('makeup_in_future'));
  const date = localDate(request.occurredAt, request.timeZone);
  if (ctx.earliestDate && date < ctx.earliestDate) errors.push(err('makeup_too_old'));
  const dupMs = MAKEUP_DUPLICATE_MINUTES * 60_000;
  if ((ctx.existing ?? []).some((e) => e.direction === request.direction && Math.abs(e.occurredAt - request.occurredAt) <= dupMs))
    errors.push(err('makeup_duplicate'));
  if (errors.length > 0) return { ok: false, errors };

  const makeupReason = reasonText ? `${request.reason}: ${reasonText}` : request.reason;
  return {
    ok: true,
    record: {
      workerId: request.workerId,
      direction: request.direction,
      occurredAt: request.occurredAt,
      timeZone: request.timeZone,
      localDate: date,
      decision: 'pass',
      isMakeup: true,
      makeupConfirmedBy: confirmedBy,
      makeupDocumentNo: documentNo,
      makeupReason,
      makeupConfirmedAt: request.confirmedAt,
    },
    audit: {
      action: 'attendance.makeup',
      actor: request.enteredBy,
      target: `worker:${request.workerId}`,
      details: {
        direction: request.direction,
        occurredAt: request.occurredAt,
        localDate: date,
        reason: makeupReason,
        confirmedBy,
        documentNo,
        confirmedAt: request.confirmedAt,
      },
    },
  };
}
