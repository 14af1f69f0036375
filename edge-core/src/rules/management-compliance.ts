// Jiangxi management-personnel attendance rule (赣建建〔2022〕9号 第五条): each of the six
// management roles must have valid attendance on at least 80 % of the month's construction
// days, and the combined on-duty rate (综合到岗率) must be at least 60 %; otherwise the
// project becomes a key target for subcontracting investigation (转包挂靠、违法分包重点对象).
// Management personnel may never make up attendance (第六条), so make-up records never count.
import { MANAGEMENT_ROLES, MANAGEMENT_ROLE_NAMES, type ManagementRole } from '../domain/personnel.js';
import { cachedLocalDate as localDate } from './local-date-cache.js';
import { monthDates } from './calendar-dates.js';
import { isConstructionDay, type ConstructionCalendar } from './construction-calendar.js';
import type { PassEvent } from './attendance-days.js';
import type { Bilingual } from './reasons.js';

export interface ManagerPerson {
  workerId: number;
  managementRole: ManagementRole;
  /** Site-local dates bounding the person's assignment; the month bounds by default. */
  activeFrom?: string | null;
  activeTo?: string | null;
}

export interface ComplianceThresholds {
  /** Per person, percent of construction days (80). */
  personPercent: number;
  /** Combined on-duty rate, percent (60). */
  combinedPercent: number;
}

export const JIANGXI_THRESHOLDS: ComplianceThresholds = { personPercent: 80, combinedPercent: 60 };

export interface ManagementComplianceInput {
  /** 'YYYY-MM'. */
  month: string;
  calendar: ConstructionCalendar;
  managers: readonly ManagerPerson[];
  /** Passed attendance events of these people (other workers' events are ignored). */
  events: readonly PassEvent[];
  /** Site-local date the figures are taken on; the month is complete when asOf ≥ its last day. */
  asOf: string;
  thresholds?: ComplianceThresholds;
  /** Roles the project must fill; an unfilled role counts as a person with no attendance. */
  requiredRoles?: readonly ManagementRole[];
}

export type ComplianceStatus =
  /** Month complete (or the line already secured) and at or above the line. */
  | 'met'
  /** Month complete and below the line. */
  | 'below'
  /** Mid-month, the current pace reaches the line. */
  | 'on_track'
  /** Mid-month, the current pace ends below the line (按当前出勤，月底将低于80%). */
  | 'at_risk'
  /** Mid-month, even full attendance from now on cannot reach the line. */
  | 'unreachable'
  /** No construction days in the period. */
  | 'not_applicable';

export interface RateFigures {
  /** Construction days in the month (within the person's assignment). */
  constructionDays: number;
  /** Construction days up to and including asOf. */
  elapsedDays: number;
  /** Construction days with valid attendance, up to asOf. */
  validDays: number;
  /** validDays ÷ constructionDays, percent with one decimal; null without construction days. */
  percent: number | null;
  /** validDays ÷ elapsedDays (the current pace), percent with one decimal. */
  projectedPercent: number | null;
  /** Valid days the line needs in the month (⌈threshold × constructionDays⌉). */
  requiredDays: number;
  /** Further valid days still needed (0 when secured). */
  stillNeeded: number;
  remainingDays: number;
  status: ComplianceStatus;
  warning: Bilingual | null;
}

export interface PersonCompliance extends RateFigures {
  workerId: number | null;
  managementRole: ManagementRole;
  roleName: Bilingual;
  /** Elapsed construction days without valid attendance (the missed days). */
  missedDates: string[];
  attendedDates: string[];
  /** Days with attendance that are not construction days (holiday, stoppage): shown, not counted. */
  nonConstructionDates: string[];
  /** Make-up records found for this person: invalid for management personnel, never counted. */
  rejectedMakeupEventIds: string[];
  /** The role has nobody assigned. */
  unfilled: boolean;
}

export interface ManagementComplianceReport {
  month: string;
  asOf: string;
  monthComplete: boolean;
  thresholds: ComplianceThresholds;
  persons: PersonCompliance[];
  combined: RateFigures;
  /** Any person below (or unable to reach) the line, or the combined rate below its line. */
  projectFlagged: boolean;
  projectWarning: Bilingual | null;
}

const pct = (num: number, den: number): number | null => (den === 0 ? null : Math.round((num * 1000) / den) / 10);
/** ⌈p% × n⌉ in integers. */
const requiredOf = (percent: number, n: number): number => Math.ceil((percent * n) / 100 - 1e-9);

function figures(validDays: number, constructionDays: number, elapsedDays: number, threshold: number, monthComplete: boolean): RateFigures {
  const requiredDays = requiredOf(threshold, constructionDays);
  const remainingDays = constructionDays - elapsedDays;
  const stillNeeded = Math.max(0, requiredDays - validDays);
  let status: ComplianceStatus;
  let warning: Bilingual | null = null;
  if (constructionDays === 0) status = 'not_applicable';
  else if (validDays >= requiredDays) status = 'met';
  else if (monthComplete) {
    status = 'below';
    warning = {
      zh: `本月有效考勤 ${validDays}/${constructionDays} 天，低于${threshold}%`,
      en: `Valid attendance ${validDays}/${constructionDays} days this month, below ${threshold}%`,
    };
  } else if (validDays + remainingDays < requiredDays) {
    status = 'unreachable';
    warning = {
      zh: `本月已无法达到${threshold}%（还需 ${stillNeeded} 天，仅剩 ${remainingDays} 个施工日）`,
      en: `${threshold}% can no longer be reached this month (${stillNeeded} more days needed, ${remainingDays} construction days left)`,
    };
  } else if (elapsedDays > 0 && validDays * 100 < threshold * elapsedDays) {
    status = 'at_risk';
    warning = {
      zh: `按当前出勤，月底将低于${threshold}%（已出勤 ${validDays}/${elapsedDays} 天，还需 ${stillNeeded} 天，剩余 ${remainingDays} 个施工日）`,
      en: `At the current pace the month will end below ${threshold}% (${validDays}/${elapsedDays} days so far, ${stillNeeded} more needed, ${remainingDays} construction days left)`,
    };
  } else status = 'on_track';
  return {
    constructionDays,
    elapsedDays,
    validDays,
    percent: pct(validDays, constructionDays),
    projectedPercent: pct(validDays, elapsedDays),
    requiredDays,
    stillNeeded,
    remainingDays,
    status,
    warning,
  };
}

/** Computes the per-person and combined management attendance figures for a month. */
export function computeManagementCompliance(input: ManagementComplianceInput): ManagementComplianceReport {
  const thresholds = input.thresholds ?? JIANGXI_THRESHOLDS;
  const required = input.requiredRoles ?? MANAGEMENT_ROLES;
  const dates = monthDates(input.month);
  const lastDay = dates[dates.length - 1] as string;
  const monthComplete = input.asOf >= lastDay;
  const construction = dates.filter((d) => isConstructionDay(input.calendar, d));

  const ids = new Set(input.managers.map((m) => m.workerId));
  const validDates = new Map<number, Set<string>>();
  const rejected = new Map<number, string[]>();
  for (const e of input.events) {
    if (!ids.has(e.workerId) || e.decision === 'refuse') continue;
    const d = localDate(e.occurredAt, e.timeZone);
    if (!d.startsWith(input.month) || d > input.asOf) continue;
    if (e.isMakeup) {
      rejected.set(e.workerId, [...(rejected.get(e.workerId) ?? []), e.id]);
      continue;
    }
    const set = validDates.get(e.workerId) ?? new Set<string>();
    set.add(d);
    validDates.set(e.workerId, set);
  }

  const persons: PersonCompliance[] = [];
  const personOf = (m: ManagerPerson | null, role: ManagementRole): PersonCompliance => {
    const from = m?.activeFrom ?? dates[0] ?? '';
    const to = m?.activeTo ?? lastDay;
    const mine = construction.filter((d) => d >= from && d <= to);
    const elapsed = mine.filter((d) => d <= input.asOf);
    const attended = m ? (validDates.get(m.workerId) ?? new Set<string>()) : new Set<string>();
    const attendedDates = elapsed.filter((d) => attended.has(d));
    const f = figures(attendedDates.length, mine.length, elapsed.length, thresholds.personPercent, monthComplete);
    return {
      ...f,
      workerId: m?.workerId ?? null,
      managementRole: role,
      roleName: MANAGEMENT_ROLE_NAMES[role],
      missedDates: elapsed.filter((d) => !attended.has(d)),
      attendedDates,
      nonConstructionDates: [...attended].filter((d) => !mine.includes(d)).sort(),
      rejectedMakeupEventIds: m ? [...(rejected.get(m.workerId) ?? [])].sort() : [],
      unfilled: m === null,
    };
  };
  for (const m of [...input.managers].sort((a, b) => MANAGEMENT_ROLES.indexOf(a.managementRole) - MANAGEMENT_ROLES.indexOf(b.managementRole) || a.workerId - b.workerId))
    persons.push(personOf(m, m.managementRole));
  for (const role of required) if (!input.managers.some((m) => m.managementRole === role)) persons.push(personOf(null, role));

  const sum = (k: 'validDays' | 'constructionDays' | 'elapsedDays'): number => persons.reduce((a, p) => a + p[k], 0);
  const combined = figures(sum('validDays'), sum('constructionDays'), sum('elapsedDays'), thresholds.combinedPercent, monthComplete);
  if (combined.warning) combined.warning = { zh: `综合到岗率：${combined.warning.zh}`, en: `Combined on-duty rate: ${combined.warning.en}` };
  const bad = (s: ComplianceStatus): boolean => s === 'below' || s === 'unreachable';
  const projectFlagged = persons.some((p) => bad(p.status)) || bad(combined.status);
  const atRisk = persons.some((p) => p.status === 'at_risk') || combined.status === 'at_risk';
  const projectWarning: Bilingual | null = projectFlagged
    ? { zh: '管理人员到岗不达标，项目将被列为转包挂靠、违法分包重点监管对象', en: 'Management attendance below the line: the project will be flagged for subcontracting investigation' }
    : atRisk
      ? { zh: '按当前出勤，月底管理人员到岗将不达标', en: 'At the current pace management attendance will miss the line at month end' }
      : null;
  return { month: input.month, asOf: input.asOf, monthComplete, thresholds, persons, combined, projectFlagged, projectWarning };
}
