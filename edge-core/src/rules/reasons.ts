// Reason codes the gate announces and records. Every code has a stable identifier (stored in
// attendance_events.reasons_json and synced) and a short zh-CN + English text a worker
// understands at the turnstile. The order of REASON_ORDER is the documented order in which
// reasons are listed (see README.md, "Gate policy order"). This is the one catalog: the policy's
// codes, the lane's own refusals and `unknown` (a stored code this version does not know); a
// Reason is only built by gateReason(), and stored codes are read back by parseReasonCodes().

import type { Bilingual } from '../ports/devices.js';

/** User-facing text, Chinese first (the ports' type, re-exported for rule users). */
export type { Bilingual };

export const REASON_TEXTS = {
  // 1. Identity
  liveness_failed: { zh: '活体检测未通过', en: 'Liveness check failed' },
  not_enrolled: { zh: '未登记', en: 'Not enrolled' },
  blacklisted: { zh: '已列入黑名单，禁止通行', en: 'Blacklisted, passage denied' },
  worker_inactive: { zh: '已退场，请到劳务员处办理', en: 'Not active on this project, see the labour officer' },
  // 2. Documents and dates
  id_not_yet_valid: { zh: '身份证尚未生效', en: 'ID card not yet valid' },
  id_expired: { zh: '身份证已过期', en: 'ID card expired' },
  contract_missing: { zh: '未签订劳动合同', en: 'No labour contract on file' },
  contract_not_started: { zh: '合同尚未生效', en: 'Contract not yet started' },
  contract_expired: { zh: '合同已到期', en: 'Contract expired' },
  contract_expiring_soon: { zh: '合同即将到期', en: 'Contract expires soon' },
  insurance_missing: { zh: '未购买保险', en: 'No insurance on file' },
  insurance_expired: { zh: '保险已到期', en: 'Insurance expired' },
  // 3. Time windows and construction calendar
  site_stoppage: { zh: '今日停工，禁止进场', en: 'Site stopped today, no entry' },
  outside_time_window: { zh: '不在通行时段', en: 'Outside permitted hours' },
  // 4. Protective equipment
  helmet_missing: { zh: '未戴安全帽', en: 'No safety helmet' },
  helmet_unchecked: { zh: '安全帽未能识别', en: 'Helmet could not be checked' },
  mask_missing: { zh: '未戴口罩', en: 'No mask' },
  mask_unchecked: { zh: '口罩未能识别', en: 'Mask could not be checked' },
  // 5. Passage history
  anti_passback: { zh: '进出记录不符（防回传）', en: 'Entry/exit out of sequence (anti-passback)' },
  duplicate_scan: { zh: '重复打卡', en: 'Already recorded' },
  // 6. Visitors (QR pass)
  visitors_disabled: { zh: '本工地不接待访客', en: 'Visitors not admitted' },
  visitor_pass_invalid: { zh: '访客码无效', en: 'Invalid visitor pass' },
  visitor_pass_revoked: { zh: '访客码已作废', en: 'Visitor pass revoked' },
  visitor_pass_not_yet_valid: { zh: '访客码尚未生效', en: 'Visitor pass not yet valid' },
  visitor_pass_expired: { zh: '访客码已过期', en: 'Visitor pass expired' },
  visitor_pass_used_up: { zh: '访客码次数已用完', en: 'Visitor pass already used' },
  visitor_lane_not_allowed: { zh: '访客码不能在此通道使用', en: 'Visitor pass not valid at this lane' },
  visitor_escort_missing: { zh: '需陪同人员先刷脸', en: 'Escort must check in first' },
  // 7. The lane itself (not policy rules): passage stops until the supervisor (主管) sees to it
  turnstile_offline: { zh: '闸机离线，暂停通行，请联系主管', en: 'The turnstile is offline; passage stopped, call the supervisor' },
  record_failed: { zh: '通行记录无法保存，暂停通行，请联系主管', en: 'The record cannot be saved; passage stopped, call the supervisor' },
  // 8. A stored code this version does not know (read back from an older or newer record)
  unknown: { zh: '未知原因', en: 'Unknown reason' },
} as const satisfies Record<string, Bilingual>;

export type ReasonCode = keyof typeof REASON_TEXTS;

/** Whether a string (e.g. read back from the store) is a code of this catalog. */
export function isReasonCode(code: unknown): code is ReasonCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REASON_TEXTS, code);
}

/** The fixed order in which reasons are listed. */
export const REASON_ORDER: readonly ReasonCode[] = Object.keys(REASON_TEXTS).filter(isReasonCode);

export interface Reason extends Bilingual {
  code: ReasonCode;
  /** Optional machine-readable facts, e.g. { contractEnd: '2026-03-31' }. No personal data. */
  detail?: Readonly<Record<string, string | number | boolean>>;
}

export function gateReason(code: ReasonCode, detail?: Record<string, string | number | boolean>): Reason {
  const t = REASON_TEXTS[code];
  return detail ? { code, zh: t.zh, en: t.en, detail } : { code, zh: t.zh, en: t.en };
}

/** The zh/en text of any code, also one this version does not know (then `unknown`'s). */
export function reasonText(code: string): Bilingual {
  return REASON_TEXTS[isReasonCode(code) ? code : 'unknown'];
}

/**
 * A stored list of codes as it was written (attendance_events / visitor_passages.reasons_json):
 * gate reason codes and, with a liveness refusal, the face engine's. Anything that is not a JSON
 * array of strings is an error: the row is damaged.
 */
export function parseStoredCodes(json: string): string[] {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v) || !v.every((c): c is string => typeof c === 'string')) throw new Error(`reason codes are not a list of strings: ${json.slice(0, 80)}`);
  return v;
}

/**
 * The stored list as gate reason codes: each kept when this catalog has it and read as
 * `unknown` otherwise (a face-engine code recorded with a liveness refusal, or a code of another
 * version) — never cast.
 */
export function parseReasonCodes(json: string): ReasonCode[] {
  return parseStoredCodes(json).map((c) => (isReasonCode(c) ? c : 'unknown'));
}

const orderIndex = new Map<ReasonCode, number>(REASON_ORDER.map((c, i) => [c, i]));

/** Sorts reasons into the documented order (stable for equal codes). */
export function sortReasons(reasons: readonly Reason[]): Reason[] {
  return [...reasons].sort((a, b) => (orderIndex.get(a.code) ?? 0) - (orderIndex.get(b.code) ?? 0));
}
