// The construction calendar (app/server/api/calendar-routes.ts): a month for supervisors,
// marks, the base and the platform import for admins.
import type { CalendarMarkKind, CalendarMonthResponse } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { CalendarMarkKind, CalendarMonthResponse, CalendarDayView } from '../../../shared/api-types.js';

export const calendarApi = {
  month: (month?: string) => request<CalendarMonthResponse>('GET', '/api/calendar', { query: month ? { month } : {} }),
  mark: (dates: string[], kind: CalendarMarkKind, reason: string) =>
    request<{ changed: string[] }>('PUT', '/api/admin/calendar/days', { body: { dates, kind, reason } }),
  unmark: (dates: string[], reason: string) =>
    request<{ removed: string[] }>('POST', '/api/admin/calendar/unmark', { body: { dates, reason } }),
  setBase: (body: { start: string | null; end: string | null; restWeekdays: number[] }) =>
    request<{ start: string | null; end: string | null; restWeekdays: number[] }>('PUT', '/api/admin/calendar/base', { body }),
  importNow: () => request<{ state: string }>('POST', '/api/admin/calendar/import', { body: {} }),
};
