// Gate policy evaluation (通行策略): a pure function from one passage attempt and the project's
// policy to a decision with every failing reason, in the documented order (README.md).
import type { PersonRole, WorkerStatus } from '../domain/personnel.js';
import { localParts } from '../time/site-time.js';
import { addDays, minutesOfDay } from './calendar-dates.js';
import { dayType, type ConstructionCalendar, type DayType } from './construction-calendar.js';
import type { DayWindows, GatePolicy, RuleAction, TimeWindow } from './gate-policy-schema.js';
import { gateReason, sortReasons, type Reason, type ReasonCode } from './reasons.js';

export type GateDirection = 'in' | 'out';
export type DetectorResult = 'present' | 'absent' | 'unknown';

/** The facts about an enrolled person the gate needs (mapped from a workers row). */
export interface PassagePerson {
  workerId: number;
  role: PersonRole;
  teamId: number | null;
  status: WorkerStatus;
  /** ID card validity, site-local dates; idValidTo null = 长期 (long-term). */
  idValidFrom?: string | null;
  idValidTo?: string | null;
  hasContract: boolean;
  contractStart?: string | null;
  contractEnd?: string | null;
  hasInsurance: boolean;
  insuranceStart?: string | null;
  insuranceEnd?: string | null;
}

/** An earlier attempt of the same person (or visitor pass). */
export interface PriorPassage {
  laneId: string;
  direction: GateDirection;
  occurredAt: number;
  /** Default 'pass'. Refusals only serve to suppress repeating the same refusal record. */
  decision?: 'pass' | 'refuse';
  /** For refusals: the reason codes recorded. */
  reasonCodes?: readonly ReasonCode[];
}

export interface FaceCredential {
  kind: 'face';
  liveness: 'pass' | 'fail' | 'unchecked';
  /** The 1:N match; null when nobody in the gallery matched. */
  person: PassagePerson | null;
}

export interface VisitorPass {
  passId: string;
  /** UTC ms, validFrom inclusive, validTo exclusive. */
  validFrom: number;
  validTo: number;
  revoked?: boolean;
  /** Number of entries allowed; undefined = unlimited within the validity. */
  maxEntries?: number;
  entriesUsed?: number;
  escortRequired?: boolean;
  /** Lanes where the pass works; undefined = all. */
  laneIds?: readonly string[];
}

/** A recent passage by someone who could escort the visitor. */
export interface EscortPassage {
  role: PersonRole;
  laneId: string;
  occurredAt: number;
}

export interface VisitorCredential {
  kind: 'visitor_pass';
  /** The decoded and signature-checked pass; null when the code is unknown or forged. */
  pass: VisitorPass | null;
  escorts?: readonly EscortPassage[];
}

export interface PassageInput {
  /** UTC ms of the attempt. */
  at: number;
  /** Site IANA zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  laneId: string;
  direction: GateDirection;
  credential: FaceCredential | VisitorCredential;
  detectors?: { helmet?: DetectorResult; mask?: DetectorResult };
  calendar: ConstructionCalendar;
  /** Recent passes of the same person (or pass), any lane, any order; ~24 h is enough. */
  history?: readonly PriorPassage[];
}

export interface PassageResult {
  decision: 'pass' | 'refuse';
  /** Every failing reason that refuses passage, in the documented order. */
  reasons: Reason[];
  /** Failing checks that do not refuse (policy 'remind', or an exit), in the same order. */
  reminders: Reason[];
  /** A duplicate within the suppression window: write no new attendance or refusal record. */
  suppressRecord: boolean;
  /** True when a pass of an enrolled person should be recorded as attendance. */
  countsAsAttendance: boolean;
  localDate: string;
  dayType: DayType;
}

/** Collects outcomes by action. */
class Outcome {
  readonly refusals: Reason[] = [];
  readonly reminders: Reason[] = [];
  apply(action: RuleAction, code: ReasonCode, detail?: Record<string, string | number | boolean>): void {
    if (action === 'refuse') this.refusals.push(gateReason(code, detail));
    else if (action === 'remind') this.reminders.push(gateReason(code, detail));
  }
}

/** Codes that an identified person's exit never converts to reminders: nobody was identified. */
const UNIDENTIFIED: ReadonlySet<ReasonCode> = new Set(['liveness_failed', 'not_enrolled', 'visitor_pass_invalid']);

export function resolveWindows(policy: GatePolicy, person: Pick<PassagePerson, 'role' | 'teamId'> | null): DayWindows {
  const tw = policy.timeWindows;
  if (person) {
    const team = person.teamId !== null ? tw.byTeam[String(person.teamId)] : undefined;
    if (team) return team;
    const role = tw.byRole[person.role];
    if (role) return role;
  }
  return tw.default;
}

function inWindow(w: TimeWindow, t: number, part: 'same_day' | 'previous_day'): boolean {
  const from = minutesOfDay(w.from);
  const to = minutesOfDay(w.to);
  if (from < to) return part === 'same_day' && from <= t && t < to;
  // Crosses midnight: the evening part belongs to its own day, the morning part to the day before.
  return part === 'same_day' ? t >= from : t < to;
}

/** Whether a site-local date and minute-of-day fall inside the windows (see README). */
export function withinTimeWindows(windows: DayWindows, calendar: ConstructionCalendar, date: string, minute: number): boolean {
  const today = windows[dayType(calendar, date)];
  const yesterday = windows[dayType(calendar, addDays(date, -1))];
  return today.some((w) => inWindow(w, minute, 'same_day')) || yesterday.some((w) => inWindow(w, minute, 'previous_day'));
}

function checkDates(o: Outcome, policy: GatePolicy, p: PassagePerson, date: string): void {
  if (p.idValidFrom && date < p.idValidFrom) o.apply(policy.idCard.expired, 'id_not_yet_valid', { idValidFrom: p.idValidFrom });
  if (p.idValidTo && date > p.idValidTo) o.apply(policy.idCard.expired, 'id_expired', { idValidTo: p.idValidTo });

  if (!p.hasContract) o.apply(policy.contract.missing, 'contract_missing');
  else if (p.contractStart && date < p.contractStart) o.apply(policy.contract.outOfDates, 'contract_not_started', { contractStart: p.contractStart });
  else if (p.contractEnd && date > p.contractEnd) o.apply(policy.contract.outOfDates, 'contract_expired', { contractEnd: p.contractEnd });
  else if (p.contractEnd && policy.contract.expiringSoonDays > 0 && policy.contract.outOfDates !== 'ignore') {
    const soon = addDays(date, policy.contract.expiringSoonDays);
    if (soon >= p.contractEnd) {
      let daysLeft = 0;
      while (addDays(date, daysLeft) < p.contractEnd) daysLeft++;
      o.apply('remind', 'contract_expiring_soon', { contractEnd: p.contractEnd, daysLeft });
    }
  }

  if (!p.hasInsurance) o.apply(policy.insurance.missing, 'insurance_missing');
  else if ((p.insuranceStart && date < p.insuranceStart) || (p.insuranceEnd && date > p.insuranceEnd))
    o.apply(policy.insurance.outOfDates, 'insurance_expired', { insuranceEnd: p.insuranceEnd ?? '' });
}

function checkEquipment(o: Outcome, policy: GatePolicy, input: PassageInput): void {
  if (input.direction !== 'in') return; // nobody needs a helmet to leave
  const helmet = input.detectors?.helmet ?? 'unknown';
  if (helmet === 'absent') o.apply(policy.helmet.action, 'helmet_missing');
  else if (helmet === 'unknown' && policy.helmet.action !== 'ignore') o.apply(policy.helmet.whenUnknown, 'helmet_unchecked');
  const mask = input.detectors?.mask ?? 'unknown';
  if (mask === 'absent') o.apply(policy.mask.action, 'mask_missing');
  else if (mask === 'unknown' && policy.mask.action !== 'ignore') o.apply(policy.mask.whenUnknown, 'mask_unchecked');
}

/** Returns true when the attempt is a duplicate; otherwise checks anti-passback. */
function checkHistory(o: Outcome, policy: GatePolicy, input: PassageInput, withAntiPassback: boolean): boolean {
  const history = (input.history ?? []).filter((h) => (h.decision ?? 'pass') === 'pass');
  const windowMs = policy.duplicateScan.windowSeconds * 1000;
  const duplicate = history.some(
    (h) => h.laneId === input.laneId && h.direction === input.direction && h.occurredAt <= input.at && input.at - h.occurredAt <= windowMs,
  );
  if (duplicate) {
    o.apply(policy.duplicateScan.action === 'refuse' ? 'refuse' : 'remind', 'duplicate_scan', {
      windowSeconds: policy.duplicateScan.windowSeconds,
    });
    return true;
  }
  if (!withAntiPassback) return false;
  const ap = policy.antiPassback;
  const resetMs = ap.resetAfterHours * 3_600_000;
  let last: PriorPassage | undefined;
  for (const h of history) {
    if (h.occurredAt > input.at || input.at - h.occurredAt > resetMs) continue;
    if (ap.scope === 'lane' && h.laneId !== input.laneId) continue;
    if (!last || h.occurredAt > last.occurredAt || (h.occurredAt === last.occurredAt && h.direction === 'out')) last = h;
  }
  if (last && last.direction === input.direction) o.apply(ap.action, 'anti_passback', { lastDirection: last.direction, lastLane: last.laneId });
  return false;
}

function checkVisitor(o: Outcome, policy: GatePolicy, input: PassageInput, cred: VisitorCredential): void {
  if (!policy.visitors.enabled) {
    o.apply('refuse', 'visitors_disabled');
    return;
  }
  const pass = cred.pass;
  if (!pass) {
    o.apply('refuse', 'visitor_pass_invalid');
    return;
  }
  if (pass.revoked) o.apply('refuse', 'visitor_pass_revoked');
  if (input.at < pass.validFrom) o.apply('refuse', 'visitor_pass_not_yet_valid');
  if (input.at >= pass.validTo) o.apply('refuse', 'visitor_pass_expired');
  if (pass.laneIds && !pass.laneIds.includes(input.laneId)) o.apply('refuse', 'visitor_lane_not_allowed');
  if (input.direction === 'in') {
    if (pass.maxEntries !== undefined && (pass.entriesUsed ?? 0) >= pass.maxEntries)
      o.apply('refuse', 'visitor_pass_used_up', { maxEntries: pass.maxEntries });
    const needsEscort =
      policy.visitors.escort === 'always' || (policy.visitors.escort === 'per_pass' && pass.escortRequired === true);
    if (needsEscort) {
      const windowMs = policy.visitors.escortWindowSeconds * 1000;
      const escorted = (cred.escorts ?? []).some(
        (e) =>
          e.laneId === input.laneId &&
          policy.visitors.escortRoles.includes(e.role) &&
          e.occurredAt <= input.at &&
          input.at - e.occurredAt <= windowMs,
      );
      if (!escorted) o.apply('refuse', 'visitor_escort_missing', { escortWindowSeconds: policy.visitors.escortWindowSeconds });
    }
  }
}

/** The same refusal (same lane, direction and reasons) already recorded within the window. */
function repeatsRefusal(input: PassageInput, policy: GatePolicy, reasons: readonly Reason[]): boolean {
  const windowMs = policy.duplicateScan.windowSeconds * 1000;
  const codes = reasons.map((r) => r.code).join(',');
  return (input.history ?? []).some(
    (h) =>
      h.decision === 'refuse' &&
      h.laneId === input.laneId &&
      h.direction === input.direction &&
      h.occurredAt <= input.at &&
      input.at - h.occurredAt <= windowMs &&
      [...(h.reasonCodes ?? [])].join(',') === codes,
  );
}

/**
 * Evaluates one passage attempt. Pure: the same input and policy always give the same result.
 * Order of checks and reasons: identity → documents and dates → time window → helmet/mask →
 * duplicate scan / anti-passback → visitor pass (README.md, "Gate policy order").
 */
export function evaluatePassage(input: PassageInput, policy: GatePolicy): PassageResult {
  const parts = localParts(input.at, input.timeZone);
  const localDate = parts.date;
  const type = dayType(input.calendar, localDate);
  const minute = minutesOfDay(parts.time);
  const o = new Outcome();
  let identified = false;
  let duplicate = false;
  const cred = input.credential;

  if (cred.kind === 'face') {
    const spoof = cred.liveness === 'fail';
    if (spoof) o.apply(policy.liveness, 'liveness_failed');
    if (spoof && policy.liveness === 'refuse') {
      // A face that is not live identifies nobody: nothing else is evaluated against it.
    } else if (!cred.person) {
      o.apply('refuse', 'not_enrolled');
      checkEquipment(o, policy, input);
    } else {
      const p = cred.person;
      identified = true;
      if (p.status === 'blacklisted') o.apply('refuse', 'blacklisted');
      else if (p.status === 'inactive') o.apply('refuse', 'worker_inactive');
      checkDates(o, policy, p, localDate);
      if (input.direction === 'in' || policy.timeWindows.appliesTo === 'both') {
        if (!withinTimeWindows(resolveWindows(policy, p), input.calendar, localDate, minute))
          o.apply('refuse', type === 'stoppage' ? 'site_stoppage' : 'outside_time_window', { dayType: type, localTime: parts.time.slice(0, 5) });
      }
      checkEquipment(o, policy, input);
      duplicate = checkHistory(o, policy, input, true);
    }
  } else {
    checkEquipment(o, policy, input);
    duplicate = checkHistory(o, policy, input, false);
    checkVisitor(o, policy, input, cred);
    identified = cred.pass !== null;
  }

  let refusals = o.refusals;
  let reminders = o.reminders;
  if (input.direction === 'out' && identified && policy.exit.mode === 'never_block_known') {
    reminders = [...reminders, ...refusals.filter((r) => !UNIDENTIFIED.has(r.code))];
    refusals = refusals.filter((r) => UNIDENTIFIED.has(r.code));
  }
  const decision = refusals.length === 0 ? 'pass' : 'refuse';
  const reasons = sortReasons(refusals);
  return {
    decision,
    reasons,
    reminders: sortReasons(reminders),
    suppressRecord: duplicate || (decision === 'refuse' && repeatsRefusal(input, policy, reasons)),
    countsAsAttendance: decision === 'pass' && !duplicate && cred.kind === 'face' && cred.person !== null,
    localDate,
    dayType: type,
  };
}
