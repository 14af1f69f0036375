// The construction calendar (app/server/api/calendar-routes.ts): a month for supervisors,
// marks, the base and the platform import for admins.
import type { CalendarMarkKind, Reply } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { CalendarMarkKind, CalendarMonthResponse, CalendarDayView } from '../../../shared/api-types.js';

export const calendarApi = {
  month: (month?: string) => request<Reply<'GET /api/calendar'>>('GET', '/api/calendar', { query: month ? { month } : {} }),
  mark: (dates: string[], kind: CalendarMarkKind, reason: string) =>
    request<Reply<'PUT /api/admin/calendar/days'>>('PUT', '/api/admin/calendar/days', { body: { dates, kind, reason } }),
  unmark: (dates: string[], reason: string) =>
    request<Reply<'POST /api/admin/calendar/unmark'>>('POST', '/api/admin/calendar/unmark', { body: { dates, reason } }),
  setBase: (body: { start: string | null; end: string | null; restWeekdays: number[] }) =>
    request<Reply<'PUT /api/admin/calendar/base'>>('PUT', '/api/admin/calendar/base', { body }),
  importNow: () => request<Reply<'POST /api/admin/calendar/import'>>('POST', '/api/admin/calendar/import', { body: {} }),
};
