// The construction calendar (施工日历): supervisors read a month, admins mark days of no
// construction (weather, stoppage, holiday) or extra workdays with a reason, withdraw marks,
// set the base (start, end, rest weekdays) and import the platform's calendar now. Every
// change goes to the signed audit log (calendar.mark / unmark / base / import).
import type { FastifyInstance } from 'fastify';
import { localDate, rules } from '../../../edge-core/src/index.js';
import {
  calendarBaseRequest,
  calendarMarkRequest,
  calendarMonthQuery,
  calendarUnmarkRequest,
  type CalendarDayView,
  type CalendarMonthResponse,
} from '../../shared/api-types.js';
import type { CoreServices } from '../services.js';
import { parse, requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerCalendarRoutes(app: FastifyInstance, s: CoreServices): void {
  const monthView = (month: string): CalendarMonthResponse => {
    const dates = rules.monthDates(month);
    const calendar = s.calendar.current();
    const marks = s.calendar.repo.list(dates[0], dates[dates.length - 1]);
    const days = dates.map((date): CalendarDayView => {
      const local = marks.find((m) => m.date === date && m.source === 'local') ?? null;
      const platform = marks.find((m) => m.date === date && m.source === 'platform') ?? null;
      const inForce = platform ?? local;
      const dayType = rules.dayType(calendar, date);
      return {
        date,
        weekday: rules.isoWeekday(date),
        dayType,
        construction: dayType === 'workday',
        mark: inForce ? { kind: inForce.kind, reason: inForce.reason, source: inForce.source, setBy: inForce.setBy, updatedAt: inForce.updatedAt } : null,
        overriddenLocal: platform && local ? { kind: local.kind, reason: local.reason, setBy: local.setBy } : null,
      };
    });
    const base = s.calendar.base();
    const st = s.calendar.importStatus();
    return {
      month,
      days,
      constructionDays: days.filter((d) => d.construction).length,
      base: { start: base.start ?? null, end: base.end ?? null, restWeekdays: base.restWeekdays },
      import: { state: st.state, at: st.at, added: st.added, changed: st.changed, removed: st.removed, rejected: st.rejected.length, error: st.error },
    };
  };
  const thisMonth = () => localDate(s.clock.now(), s.attendance.siteTimeZone()).slice(0, 7);

  app.get('/api/calendar', async (req): Promise<Reply<'GET /api/calendar'>> => {
    requireRole(req, 'supervisor');
    const q = parse(calendarMonthQuery, req.query);
    return monthView(q.month ?? thisMonth());
  });

  app.put('/api/admin/calendar/days', async (req): Promise<Reply<'PUT /api/admin/calendar/days'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(calendarMarkRequest, req.body);
    const changed = s.calendar.repo.mark(body.dates, body.kind, body.reason, actor);
    return { changed };
  });

  app.post('/api/admin/calendar/unmark', async (req): Promise<Reply<'POST /api/admin/calendar/unmark'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(calendarUnmarkRequest, req.body);
    const removed = s.calendar.repo.unmark(body.dates, actor, body.reason);
    return { removed };
  });

  app.put('/api/admin/calendar/base', async (req): Promise<Reply<'PUT /api/admin/calendar/base'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(calendarBaseRequest, req.body);
    const base = s.calendar.setBase(body, actor);
    return { start: base.start ?? null, end: base.end ?? null, restWeekdays: base.restWeekdays };
  });

  app.post('/api/admin/calendar/import', async (req): Promise<Reply<'POST /api/admin/calendar/import'>> => {
    requireRole(req, 'admin');
    const st = await s.calendar.importNow();
    return { state: st.state, at: st.at, added: st.added, changed: st.changed, removed: st.removed, rejected: st.rejected, error: st.error };
  });
}
