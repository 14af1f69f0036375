// Construction-calendar import (施工日历) from the platform. The national interface list has no
// calendar method; Jiangxi's platform records a project's state (在建/停工…) and the days the
// local authority declared. ASSUMPTION (configurable, like the heartbeat): a query method,
// `ProjectCalendar.Query` by default, taking `{ projectCode, startDate, endDate, pageIndex,
// pageSize }` (dates yyyy-MM-dd) and answering `data.rows` of
// `{ date: 'yyyy-MM-dd', dayType: 'weather'|'stoppage'|'holiday'|'workday', reason }` with
// `data.totalCount`. A platform without it answers −3 (no permission): the import reports the
// calendar as not offered and the locally marked days alone apply.
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError } from '../platform/errors.js';

export const DEFAULT_CALENDAR_METHOD = 'ProjectCalendar.Query';

export type PlatformDayKind = 'weather' | 'stoppage' | 'holiday' | 'workday';
const KINDS: readonly PlatformDayKind[] = ['weather', 'stoppage', 'holiday', 'workday'];

export interface PlatformCalendarDay {
  date: string;
  kind: PlatformDayKind;
  reason: string;
}

export interface CalendarPullResult {
  /** 'unsupported': the platform does not offer the method (−3); nothing was imported. */
  state: 'ok' | 'unsupported';
  days: PlatformCalendarDay[];
  /** Rows the platform sent that could not be read (kept out of the calendar), with why. */
  rejected: Array<{ index: number; problem: string }>;
}

export interface CalendarPullOptions {
  client: PlatformClient;
  method?: string;
  /** Inclusive site-local dates, yyyy-MM-dd. */
  from: string;
  to: string;
  pageSize?: number;
  /** Safety stop (a calendar of a few years is a few pages). */
  maxPages?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads one row of the reply; a string saying what is wrong when it cannot be used. */
export function readCalendarRow(raw: unknown): PlatformCalendarDay | string {
  if (typeof raw !== 'object' || raw === null) return 'row is not an object';
  const r = raw as Record<string, unknown>;
  const date = typeof r.date === 'string' ? r.date.slice(0, 10) : '';
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)
    return `date ${JSON.stringify(r.date)} is not yyyy-MM-dd`;
  const kind = r.dayType;
  if (typeof kind !== 'string' || !KINDS.includes(kind as PlatformDayKind)) return `dayType ${JSON.stringify(kind)} is not one of ${KINDS.join(', ')}`;
  const reason = typeof r.reason === 'string' && r.reason.trim() ? r.reason.trim().slice(0, 200) : '平台日历';
  return { date, kind: kind as PlatformDayKind, reason };
}

/** Pulls the platform's calendar for a date range, all pages. Network and platform errors propagate (PlatformError). */
export async function pullPlatformCalendar(o: CalendarPullOptions): Promise<CalendarPullResult> {
  const method = o.method ?? DEFAULT_CALENDAR_METHOD;
  const pageSize = o.pageSize ?? o.client.config.pageSize;
  const days: PlatformCalendarDay[] = [];
  const rejected: CalendarPullResult['rejected'] = [];
  let index = 0;
  for (let pageIndex = 0; pageIndex < (o.maxPages ?? 50); pageIndex++) {
    let data: unknown;
    try {
      data = await o.client.call(method, { projectCode: o.client.config.projectCode, startDate: o.from, endDate: o.to, pageIndex, pageSize });
    } catch (e) {
      if (isPlatformError(e) && e.kind === 'no_permission') return { state: 'unsupported', days: [], rejected: [] };
      throw e;
    }
    const d = (data ?? {}) as { rows?: unknown; totalCount?: unknown };
    const rows = Array.isArray(d.rows) ? d.rows : [];
    for (const raw of rows) {
      const row = readCalendarRow(raw);
      if (typeof row === 'string') rejected.push({ index, problem: row });
      else if (row.date >= o.from && row.date <= o.to) days.push(row);
      index++;
    }
    const total = typeof d.totalCount === 'number' ? d.totalCount : null;
    if (rows.length < pageSize || (total !== null && (pageIndex + 1) * pageSize >= total)) break;
  }
  return { state: 'ok', days, rejected };
}
